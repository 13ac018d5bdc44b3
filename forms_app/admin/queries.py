"""The filters staff use on the lists, shared by the pages and the exports."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select

from ..catalog import CHINA
from ..models import Application, Briefing


def day_start_utc(text: str, shift_days: int = 0) -> dt.datetime | None:
    """Midnight of a China date as naive UTC (how times are stored), or None if `text` is no date."""
    try:
        day = dt.date.fromisoformat(text) + dt.timedelta(days=shift_days)
    except ValueError:
        return None
    return dt.datetime.combine(day, dt.time(), CHINA).astimezone(dt.UTC).replace(tzinfo=None)


def _dates(query, column, args):
    if start := day_start_utc(args.get("from", "")):
        query = query.where(column >= start)
    if end := day_start_utc(args.get("to", ""), 1):
        query = query.where(column < end)
    return query


def applications_query(args):
    """Applications matching the request's filters (direction, status, from, to, q), newest first."""
    query = select(Application).order_by(Application.id.desc())
    if direction := args.get("direction"):
        query = query.where(Application.direction_id == direction)
    if status := args.get("status"):
        query = query.where(Application.status == status)
    query = _dates(query, Application.created_at, args)
    if q := args.get("q", "").strip():
        fields = (Application.receipt_no, Application.project_name, Application.leader_name, Application.unit, Application.leader_email)
        query = query.where(or_(*(f.contains(q, autoescape=True) for f in fields)))
    return query


def briefings_query(args):
    """Briefings matching the request's filters (province, project, from, to, q), newest first."""
    query = select(Briefing).order_by(Briefing.id.desc())
    if province := args.get("province"):
        query = query.where(Briefing.province == province)
    if project := args.get("project"):
        query = query.where(Briefing.project_id == project)
    query = _dates(query, Briefing.created_at, args)
    if q := args.get("q", "").strip():
        fields = (Briefing.receipt_no, Briefing.project_name, Briefing.unit, Briefing.title, Briefing.project_id)
        query = query.where(or_(*(f.contains(q, autoescape=True) for f in fields)))
    return query
