"""Time validation of a synthetic national dataset against a plain-parse baseline.

Prints figures and ratios measured in this run:
  baseline  yaml.load (libyaml) of every data file — the least any validator must do
  load      our line-aware loader
  validate  load + Frictionless schema checks + cross-record checks
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synthetic import generate  # noqa: E402
from site_builder.dataset import load_dataset  # noqa: E402
from site_builder.problems import has_errors  # noqa: E402
from site_builder.validate import validate  # noqa: E402


def timed(fn, repeat: int = 3):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "national"
        counts = generate(out)
        data = out / "data"
        size = sum(p.stat().st_size for p in data.glob("*.yaml")) / 1024 / 1024
        print(f"synthetic dataset: {counts}, {size:.1f} MB of YAML")
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        base, _ = timed(lambda: [yaml.load(p.read_text(encoding="utf-8"), Loader=loader) for p in data.glob("*.yaml")])
        load, _ = timed(lambda: load_dataset(data))
        full, (_, problems) = timed(lambda: validate(data), repeat=2)
        if has_errors(problems):
            print("synthetic data is invalid:", *[p.text() for p in problems[:10]], sep="\n  ")
            sys.exit(1)
        print(f"baseline yaml.load : {base:6.2f} s")
        print(f"line-aware load    : {load:6.2f} s  ({load / base:.2f}× baseline)")
        print(f"full validation    : {full:6.2f} s  ({full / base:.2f}× baseline, {counts['projects'] / full:,.0f} projects/s)")
        print(f"aim: validation under 10 s — {'met' if full < 10 else 'NOT met'}")


if __name__ == "__main__":
    main()
