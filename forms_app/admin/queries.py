"""The filters staff use on the lists, shared by the pages and the exports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from ..catalog import CHINA
from ..models import Application, Briefing
from ..review.states import NOT_SENT


def day_start_utc(text: str, shift_days: int = 0) -> dt.datetime | None:
    """Midnight of a China date as naive UTC (how times are stored), or None if `text` is no date
    or one at the calendar's edge (9999-12-31 has no next day, 0001-01-01 no UTC midnight)."""
    try:
        day = dt.date.fromisoformat(text) + dt.timedelta(days=shift_days)
        return dt.datetime.combine(day, dt.time(), CHINA).astimezone(dt.UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return None


def arg(args, name: str) -> str:
    """A filter value as the database can take it: PostgreSQL refuses NUL in text, and no filter
    needs more than 200 characters."""
    return args.get(name, "").replace("\x00", "")[:200]


def _dates(query, column, args):
    if start := day_start_utc(arg(args, "from")):
        query = query.where(column >= start)
    if end := day_start_utc(arg(args, "to"), 1):
        query = query.where(column < end)
    return query


def _filtered(model, args, exact: dict, searched: tuple):
    """`model` rows, newest first, where each `exact` filter given in `args` matches its column, the
    creation date lies within from–to and, with q, one of the `searched` columns contains q."""
    query = select(model).order_by(model.id.desc())
    for name, column in exact.items():
        if value := arg(args, name):
            query = query.where(column == value)
    query = _dates(query, model.created_at, args)
    if q := arg(args, "q").strip():
        query = query.where(or_(*(column.contains(q, autoescape=True) for column in searched)))
    return query


def applications_query(args):
    """Applications matching the request's filters (direction, status, from, to, q), newest first.

    Drafts and unconfirmed submissions are the applicants' own: no staff list or export shows them.
    """
    exact = {"direction": Application.direction_id, "status": Application.status}
    searched = (Application.receipt_no, Application.project_name, Application.leader_name, Application.unit, Application.leader_email)
    return _filtered(Application, args, exact, searched).where(Application.status.not_in(NOT_SENT))


def briefings_query(args):
    """Briefings matching the request's filters (province, project, from, to, q), newest first."""
    exact = {"province": Briefing.province, "project": Briefing.project_id}
    searched = (Briefing.receipt_no, Briefing.project_name, Briefing.unit, Briefing.title, Briefing.project_id)
    return _filtered(Briefing, args, exact, searched)
