"""Where each application stands in 专家评审: its panel, the scores in, mean and spread, its rank.

Figures count only the scores of the application's current panel (panel.py). Rank is by mean
total, highest first (ties share a rank: 1, 2, 2, 4); applications with no score yet come
last, unranked. Spread is shown two ways, because staff read them differently: the standard
deviation (population: the panel is all the experts there are, not a sample) and max − min.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from ..models import Application, Staff
from . import panel, states

# A panel this far apart (a fifth of the full marks) is flagged for staff to look at before deciding.
WIDE_SPREAD = 20


@dataclass
class Standing:
    application: Application
    members: list[Staff]
    excluded: list[Staff]
    totals: dict[int, float] = field(default_factory=dict)  # expert id → total
    rank: int | None = None

    @property
    def scored(self) -> int:
        return len(self.totals)

    @property
    def complete(self) -> bool:
        return bool(self.members) and self.scored == len(self.members)

    @property
    def mean(self) -> float | None:
        return round(statistics.fmean(self.totals.values()), 2) if self.totals else None

    @property
    def sd(self) -> float | None:
        return round(statistics.pstdev(self.totals.values()), 2) if self.scored >= 2 else None

    @property
    def spread(self) -> float | None:
        return max(self.totals.values()) - min(self.totals.values()) if self.scored >= 2 else None

    @property
    def wide(self) -> bool:
        return (self.spread or 0) >= WIDE_SPREAD


def standings(direction: str | None = None) -> list[Standing]:
    """The current call's applications in review (受理 and decided), ranked, optionally of one direction."""
    applications = [a for a in panel.in_review() if direction is None or a.direction_id == direction]
    staff, assigned, scores = panel.experts(), panel.assignments(), panel.scores_of(applications)
    rows = []
    for application in applications:
        members, excluded = panel.panel(application, staff, assigned)
        totals = {e.id: scores[(application.id, e.id)].total for e in members if (application.id, e.id) in scores}
        rows.append(Standing(application, members, excluded, totals))
    rows.sort(key=lambda s: (s.mean is None, -(s.mean or 0), s.spread or 0, s.application.receipt_no or ""))
    previous = None
    for position, row in enumerate(rows, 1):
        if row.mean is None:
            break
        row.rank = previous.rank if previous and previous.mean == row.mean else position
        previous = row
    return rows


def counts(rows: list[Standing]) -> dict[str, int]:
    """How many are decided each way and how many wait."""
    statuses = [r.application.status for r in rows]
    return {
        "approved": sum(s in (states.APPROVED, states.COMPLETED) for s in statuses),
        "rejected": statuses.count(states.REJECTED),
        "open": statuses.count(states.ACCEPTED),
        "complete": sum(r.complete for r in rows if r.application.status == states.ACCEPTED),
    }


CSV_HEADER = ["名次", "受理编号", "项目名称", "项目负责人", "单位", "申报方向", "已评分专家数", "评审专家数", "平均分", "标准差", "极差", "最高分", "最低分", "状态", "在拟立项数以内"]  # fmt: skip


def csv_rows(rows: list[Standing], directions: dict[str, dict], planned: int | None) -> list[list]:
    def figure(value):
        return "" if value is None else f"{value:g}"

    out = []
    for position, row in enumerate(rows, 1):
        a, totals = row.application, list(row.totals.values())
        direction = directions.get(a.direction_id)
        name = f"{direction['number']}. {direction['name']}" if direction else a.direction_id
        within = "是" if planned and row.rank is not None and position <= planned else "否"
        out.append([row.rank or "", a.receipt_no, a.project_name, a.leader_name, a.unit, name, row.scored, len(row.members),
                    figure(row.mean), figure(row.sd), figure(row.spread), figure(max(totals, default=None)),
                    figure(min(totals, default=None)), a.status, within])  # fmt: skip
    return out
