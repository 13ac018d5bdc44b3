"""Read the numbers out of a published training duration.

“每年线下集中7天+线上50学时” → 7 days offline, 50 hours online. Every “N天”
counts as offline time and every “N学时” as online time, summed, because the
tables add up phases (集中 + 访学 + 跟岗) in one cell.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_DAYS = re.compile(r"(\d+)\s*天")
_HOURS = re.compile(r"(\d+)\s*学时")


class Duration(NamedTuple):
    offline_days: int | None
    online_hours: int | None


def parse_duration(text: str | None) -> Duration:
    """Sum the day and 学时 figures of a duration text; None where it gives none."""
    if not text:
        return Duration(None, None)
    days = [int(n) for n in _DAYS.findall(text)]
    hours = [int(n) for n in _HOURS.findall(text)]
    return Duration(sum(days) if days else None, sum(hours) if hours else None)
