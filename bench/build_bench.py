"""Time the full site build at national scale against a bare mkdocs-material build.

Both builds run in this process's machine, one after the other, on the same
number of pages:
  portal    validate + generate + mkdocs build --strict + downloads + search index
  bare      mkdocs-material with the portal's theme settings, markdown extensions and
            a nav of the same shape, its default lunr search plugin on, over the same
            number of plain Markdown pages kept out of the nav: what any site of that
            size costs before our work
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import generate  # noqa: E402
from site_builder.validate import validate  # noqa: E402


def build(project: Path, site: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(site)],
        cwd=project,
        check=True,
    )
    return time.perf_counter() - start


def bare_project(out: Path, pages: int) -> Path:
    """Plain pages under the portal's own theme settings and a nav of the same shape."""
    content = out / "content"
    content.mkdir(parents=True)
    portal = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {k: v for k, v in portal["theme"].items() if k != "custom_dir"}
    nav = []
    for n, entry in enumerate(portal["nav"]):
        title = next(iter(entry))
        (content / f"section{n}.md").write_text(f"# {title}\n\n栏目首页。\n", encoding="utf-8")
        nav.append({title: "index.md" if n == 0 else f"section{n}.md"})
    (content / "index.md").write_text("# 首页\n\n正文。\n", encoding="utf-8")
    for n in range(pages - len(nav)):
        (content / f"p{n}.md").write_text(
            f"# 页面 {n}\n\n这是第 {n} 个普通页面，用于对照。\n\n| 字段 | 值 |\n|---|---|\n| 编号 | {n} |\n", encoding="utf-8"
        )
    # Material's default plugins (its lunr search) stay on: the out-of-the-box cost.
    config = {"site_name": "对照", "docs_dir": "content", "theme": theme, "nav": nav, "markdown_extensions": portal["markdown_extensions"]}
    (out / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=15000)
    parser.add_argument("--counties", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        portal = Path(tmp) / "portal"
        counts = generate(portal, args.projects, args.counties)
        shutil.copy(ROOT / "mkdocs.yml", portal)
        shutil.copytree(ROOT / "overrides", portal / "overrides")
        shutil.copytree(ROOT / "site_builder", portal / "site_builder")
        shutil.copytree(ROOT / "content" / "assets", portal / "content" / "assets")
        start = time.perf_counter()
        _, problems = validate(portal / "data")
        validate_s = time.perf_counter() - start
        portal_s = build(portal, Path(tmp) / "portal-site")
        pages = sum(1 for _ in (Path(tmp) / "portal-site").rglob("index.html"))
        bare_s = build(bare_project(Path(tmp) / "bare", pages), Path(tmp) / "bare-site")
        search = sum(f.stat().st_size for f in (Path(tmp) / "portal-site" / "searchindex").rglob("*") if f.is_file())
        print(f"dataset: {counts}; {len(problems)} validation problems")
        print(f"validate          : {validate_s:7.2f} s")
        print(
            f"portal build      : {portal_s:7.2f} s for {pages} pages ({portal_s / pages * 1000:.2f} ms/page), includes validation and search index"
        )
        print(f"bare material     : {bare_s:7.2f} s for {pages} pages ({bare_s / pages * 1000:.2f} ms/page)")
        print(f"ratio portal/bare : {portal_s / bare_s:7.2f}×   (aim ≤ 1.3×, whole build < 120 s)")
        print(f"search index      : {search / 1024 / 1024:.1f} MB on disk, fetched in small files (make bench-search for its figures)")


if __name__ == "__main__":
    main()
