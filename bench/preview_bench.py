"""How long a one-line data edit takes to reach the preview, against a full build, in one run.

    python bench/preview_bench.py [--repeat 3] [--builds 2] [--national-only | --seed-only]

For the seed data and for national synthetic data (bench/synthetic.py) it times:
  full build       `mkdocs build --strict`, what every edit cost before the preview
  province build   the same build of one province (PORTAL_PROVINCE): what each edit would
                   cost if the preview rebuilt a province-scoped site instead
  preview start    the preview's first, full build (in this process)
  edits            each edit below and its revert, from the file write until the preview
                   has re-rendered (its watcher running, so detection is included)
Figures are min and median over the repeats.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.build_bench import build  # noqa: E402
from bench.synthetic import generate  # noqa: E402
from site_builder.preview import Preview  # noqa: E402
from site_builder.preview.scope import PROVINCE_ENV  # noqa: E402
from site_builder.preview.watch import watch  # noqa: E402

CODE = ("site_builder", "overrides", "mkdocs.yml")


def project_copy(out: Path, data_from: Path | None) -> Path:
    """The site's code and theme with the seed content (and data, unless synthetic data is there)."""
    for name in CODE:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(
            source, out / name, **({"ignore": shutil.ignore_patterns("__pycache__")} if source.is_dir() else {})
        )
    if data_from is not None:
        shutil.copytree(ROOT / "content", out / "content")
        shutil.copytree(data_from, out / "data")
    else:
        shutil.copytree(ROOT / "content" / "assets", out / "content" / "assets", dirs_exist_ok=True)
        # Resources bench/synthetic.py does not make yet (calls' results, rubrics) as the seed has them.
        descriptor = yaml.safe_load((out / "data" / "datapackage.yaml").read_text(encoding="utf-8"))
        for resource in descriptor["resources"]:
            if not (out / "data" / resource["path"]).exists():
                shutil.copy(ROOT / "data" / resource["path"], out / "data" / resource["path"])
    return out


def edits(data: Path, province: str) -> list[tuple[str, Path, str, str]]:
    """(label, file, first line of the record, substitution): one-line edits staff make, each to a
    record of `province` past the middle of its file (so the records after it move)."""
    projects = _chunks(data / "projects.yaml", province)
    named = next(c for c in projects if "\n  scope: 全省\n" not in c)
    province_wide = next(c for c in projects if "\n  scope: 全省\n" in c)
    return [
        ("project 人数", data / "projects.yaml", _first(named), r"participants: (\d+)"),
        ("new line in a 全省 project", data / "projects.yaml", _first(province_wide), r"(  participants: \d+\n)"),
        ("county field (whole province)", data / "counties.yaml", _first(_chunks(data / "counties.yaml", province)[0]), r"(  level: .*\n)"),
        ("institution note", data / "institutions.yaml", _first(_chunks(data / "institutions.yaml", None)[0]), r"(  kind: .*\n)"),
    ]


def _chunks(path: Path, province: str | None) -> list[str]:
    """Records of `province` (any, if None) without a note, from the middle of the file on."""
    chunks = re.split(r"\n(?=- )", path.read_text(encoding="utf-8"))
    chunks = chunks[len(chunks) // 2 :] + chunks[: len(chunks) // 2]
    return [c for c in chunks if "\n  note:" not in c and (province is None or f"\n  province: {province}\n" in c + "\n")]


def _first(chunk: str) -> str:
    return chunk.split("\n", 1)[0]


REPLACEMENTS = {
    r"participants: (\d+)": lambda m: f"participants: {int(m.group(1)) + 7}",
    r"(  participants: \d+\n)": r"\1  note: 预览计时\n",
    r"(  level: .*\n)": r"\1  note: 预览计时\n",
    r"(  kind: .*\n)": r"\1  note: 预览计时\n",
}


def timed_write(preview: Preview, path: Path, text: str) -> float:
    before = preview.last.generation
    start = time.perf_counter()
    path.write_text(text, encoding="utf-8")
    while preview.last.generation == before:
        time.sleep(0.01)
    assert preview.valid, [p.text() for p in preview.problems[:5]]
    return time.perf_counter() - start


def run_edits(preview: Preview, project: Path, province: str, repeat: int) -> dict[str, list[float]]:
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(preview, project, stop), daemon=True)
    watcher.start()
    time.sleep(0.5)  # the watcher's first snapshot
    times: dict[str, list[float]] = {}
    try:
        for _ in range(repeat):
            for label, path, first, old in edits(project / "data", province):
                original, edited = _apply(path, first, old)
                times.setdefault(label, []).append(timed_write(preview, path, edited))
                times.setdefault(f"{label} (revert)", []).append(timed_write(preview, path, original))
    finally:
        stop.set()
    return times


def _apply(path: Path, first: str, old: str) -> tuple[str, str]:
    """(original text, text with one edit inside the record whose chunk starts with `first`)."""
    text = path.read_text(encoding="utf-8")
    start = text.index(first + "\n")
    end = text.find("\n- ", start + 1) + 1 or len(text)
    chunk = re.sub(old, REPLACEMENTS[old], text[start:end], count=1)
    assert chunk != text[start:end], (path.name, first, old)
    return text, text[:start] + chunk + text[end:]


def line(label: str, values: list[float]) -> str:
    return f"  {label:34} min {min(values):7.2f} s  median {statistics.median(values):7.2f} s  (n={len(values)})"


def measure(name: str, project: Path, province: str, repeat: int, builds: int) -> None:
    print(f"\n== {name} ==", flush=True)
    site = project.parent / f"{project.name}-site"
    os.environ.pop(PROVINCE_ENV, None)
    if builds:
        full = [build(project, site) for _ in range(builds)]
        print(line("full build (mkdocs build --strict)", full), flush=True)
        os.environ[PROVINCE_ENV] = province
        try:
            scoped = [build(project, site) for _ in range(builds)]
        finally:
            del os.environ[PROVINCE_ENV]
        print(line(f"province build ({province})", scoped), flush=True)
    for scope in (None, province):
        preview = Preview(project / "mkdocs.yml", project.parent / f"{project.name}-preview", scope)
        start = time.perf_counter()
        preview.build()
        print(line(f"preview start{' ' + scope if scope else ''}", [time.perf_counter() - start]), flush=True)
        for label, values in run_edits(preview, project, province, repeat).items():
            print(line(f"  {label}", values), flush=True)
        print(f"    last update: {preview.last.summary()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="edits of each kind")
    parser.add_argument("--builds", type=int, default=2, help="full and province builds (0: previews only)")
    parser.add_argument("--seed-only", action="store_true")
    parser.add_argument("--national-only", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        if not args.national_only:
            seed = project_copy(Path(tmp) / "seed", ROOT / "data")
            measure("seed data", seed, "江西省", args.repeat, args.builds)
        if not args.seed_only:
            national = Path(tmp) / "national"
            counts = generate(national)
            project_copy(national, None)
            print(f"\nnational synthetic data: {counts}")
            measure("national synthetic data", national, "江西省", args.repeat, args.builds)


if __name__ == "__main__":
    main()
