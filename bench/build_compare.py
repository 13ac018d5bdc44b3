"""Build the national-scale site with two revisions of the code, alternating, and compare.

    python bench/build_compare.py --base f2f7819 [--head WORKTREE|REV] [--repeat 3]

The same synthetic data (bench/synthetic.py) is built by the base revision's generator,
theme overrides, assets and mkdocs.yml, and by the head's (the working tree by default).
Builds alternate base/head so a machine that slows down during the run slows both; the
figures are min and median of the repeats and the head/base ratio of each.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build_bench import build  # noqa: E402
from bench.synthetic import generate  # noqa: E402

CODE = ["site_builder", "overrides", "content/assets", "mkdocs.yml"]


def checkout(rev: str, into: Path) -> None:
    """The build code of `rev` (a commit) or of the working tree (`WORKTREE`) into `into`."""
    if rev == "WORKTREE":
        for path in CODE:
            source = ROOT / path
            (shutil.copytree if source.is_dir() else shutil.copy)(source, into / path)
        return
    archive = subprocess.run(["git", "archive", rev, *CODE], cwd=ROOT, check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", required=True, help="the commit to compare against")
    parser.add_argument("--head", default="WORKTREE")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--projects", type=int, default=15000)
    parser.add_argument("--counties", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        projects = {}
        for name, rev in (("base", args.base), ("head", args.head)):
            project = Path(tmp) / name
            counts = generate(project, args.projects, args.counties)
            checkout(rev, project)
            projects[name] = project
        times: dict[str, list[float]] = {"base": [], "head": []}
        for n in range(args.repeat):
            for name in ("base", "head") if n % 2 == 0 else ("head", "base"):
                seconds = build(projects[name], Path(tmp) / f"{name}-site")
                times[name].append(seconds)
                print(f"run {n + 1} {name}: {seconds:6.1f} s", flush=True)
        pages = sum(1 for _ in (Path(tmp) / "head-site").rglob("index.html"))
        html = sum(f.stat().st_size for f in (Path(tmp) / "head-site").rglob("*.html"))
        base_html = sum(f.stat().st_size for f in (Path(tmp) / "base-site").rglob("*.html"))
        print(f"dataset: {counts}; head site {pages} pages, HTML {html / 1e6:.0f} MB (base {base_html / 1e6:.0f} MB)")
        for name in times:
            print(
                f"{name:4} {args.base if name == 'base' else args.head:>10}: min {min(times[name]):6.1f} s  median {statistics.median(times[name]):6.1f} s"
            )
        print(
            f"head/base: min {min(times['head']) / min(times['base']):.3f}×  "
            f"median {statistics.median(times['head']) / statistics.median(times['base']):.3f}×  (aim ≤ 1.10×)"
        )


if __name__ == "__main__":
    main()
