"""When each record last changed, from `git blame` of its lines."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from pathlib import Path

from .dataset import Dataset

log = logging.getLogger(__name__)
DATED = ("projects", "counties", "institutions")


def line_dates(path: Path) -> dict[int, dt.date] | None:
    """The commit date of every line of `path`, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "blame", "--line-porcelain", "--", path.name], cwd=path.parent, capture_output=True, text=True, check=True, timeout=120
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    dates, current = {}, None
    for line in out.splitlines():
        if line.startswith("committer-time "):
            current = dt.datetime.fromtimestamp(int(line.split()[1]), dt.UTC).date()
        elif line.startswith("\t") and current is not None:
            dates[len(dates) + 1] = current
    return dates


def record_dates(dataset: Dataset) -> dict[tuple[str, int], str]:
    """(file, line) of each project, county and institution → ISO date of its latest change."""
    out: dict[tuple[str, int], str] = {}
    for name in DATED:
        records = dataset.get(name)
        if not records:
            continue
        path = dataset.root / dataset.resource(name)["path"]
        dates = line_dates(path)
        if dates is None:
            fallback = dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
            out.update({(r.file, r.line): fallback for r in records})
            continue
        ends = [r.line for r in records[1:]] + [max(dates, default=0) + 1]
        for record, end in zip(records, ends, strict=True):
            changed = [dates[n] for n in range(record.line, end) if n in dates]
            if changed:
                out[(record.file, record.line)] = max(changed).isoformat()
    return out
