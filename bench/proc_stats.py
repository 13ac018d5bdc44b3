"""What the benchmarks read from /proc: a gunicorn master's workers, their memory and CPU time."""

from __future__ import annotations

import os
from pathlib import Path


def children_of(parent: int) -> list[int]:
    """Process ids whose parent is `parent` (a gunicorn master's workers, nginx's worker)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            children.append(int(stat.parent.name))
    return children


def memory(pid: int, key: str) -> int:
    """VmRSS or VmHWM (peak) of `pid` in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def peak_growth(pids: list[int], action) -> float:
    """Largest growth of peak RSS (MB) over `pids` while `action` runs."""
    before = {}
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        before[pid] = memory(pid, "VmRSS")
    action()
    return max(memory(pid, "VmHWM") - before[pid] for pid in pids) / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by `pids` (those that have ended count nothing)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")
