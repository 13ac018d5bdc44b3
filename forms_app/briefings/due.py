"""What is due: each project's 工作简报 status from its training period, the 期 so far and today.

Seed 002: “培训期间，每个单位要提交不少于 3 期《工作简报》”. A project short of three is a
failure only once its training has ended; before that it is not started or in training.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from ..database import db
from ..models import Briefing

MIN_ISSUES = 3
NOT_STARTED, IN_TRAINING, SHORT, MET, NO_DATES = "未开始", "培训中", f"已结束且不足 {MIN_ISSUES} 期", "已达标", "培训时间未公布"
STATUSES = [SHORT, IN_TRAINING, NOT_STARTED, NO_DATES, MET]  # the board's order: what needs attention first


def training_status(project: dict, count: int, today: dt.date) -> str:
    """The project's status on `today` (a China date) with `count` 期 received."""
    start, end = project.get("training_start"), project.get("training_end")
    if count >= MIN_ISSUES:
        return MET
    if start is None and end is None:
        return NO_DATES
    if start is not None and today < start:
        return NOT_STARTED
    if end is not None and today > end:
        return SHORT
    return IN_TRAINING


def status_text(status: str, count: int) -> str:
    """The status as staff and units read it, with progress while training."""
    if status == IN_TRAINING:
        return f"培训中（已收 {count} 期，还需 {MIN_ISSUES - count} 期）"
    if status == SHORT:
        return f"已结束，只收到 {count} 期（不足 {MIN_ISSUES} 期）" if count else f"已结束，未收到简报（要求不少于 {MIN_ISSUES} 期）"
    return status


def issue_counts(project_ids: list[str] | None = None) -> dict[str, int]:
    """Distinct 期 received per project, counting only 简报 filed by a signed-in 承训单位."""
    query = select(Briefing.project_id, func.count(func.distinct(Briefing.issue_no))).where(Briefing.institution.is_not(None))
    if project_ids is not None:
        query = query.where(Briefing.project_id.in_(project_ids))
    return dict(db.session.execute(query.group_by(Briefing.project_id)).all())


def period_text(project: dict) -> str:
    """“2022-03-01 至 2022-12-31”, “2022-12-31 前” or “未公布”."""
    start, end = project.get("training_start"), project.get("training_end")
    if start and end:
        return f"{start} 至 {end}"
    if end:
        return f"{end} 前"
    if start:
        return f"{start} 起"
    return "未公布"
