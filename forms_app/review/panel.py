"""Who reviews what: experts, their directions, the applications under review, conflicts of interest.

An application's panel is every expert assigned to its direction except those of its own unit
(policy.conflicted). Only panel members' scores count: an expert taken off a direction, or
whose unit is changed to the applicant's, drops out of the figures without losing the row.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from flask import abort, current_app, g
from sqlalchemy import select

from ..database import db
from ..models import Application, Staff
from . import policy
from .models import ExpertAssignment, Score
from .rubric import Criterion


def catalog():
    return current_app.extensions["catalog"]


def criteria() -> tuple[Criterion, ...]:
    """The current call's rubric (empty when data/call_rubrics.yaml has none for it)."""
    return current_app.extensions["rubrics"].get(catalog().call["id"], ())


def requires(area: str):
    """Refuse (403) an account whose role may not use `area` of the staff site."""

    def wrap(view):
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if not policy.may_use(g.actor, area):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return wrap


def this_call(app_id: int) -> Application | None:
    """The current call's application of that id; ids beyond 32 bits are no row (and would
    overflow SQLite's and PostgreSQL's integers instead of finding nothing)."""
    found = db.session.get(Application, app_id) if 0 < app_id < 2**31 else None
    return found if found is not None and found.call_id == catalog().call["id"] else None


def row_id(text: str) -> int:
    """A typed row id as the databases take it (PostgreSQL refuses integers beyond 32 bits); 0 if none."""
    return int(text) if text.isascii() and text.isdigit() and int(text) < 2**31 else 0


def as_actor(staff: Staff, directions=frozenset()) -> policy.Actor:
    return policy.Actor(policy.EXPERT, staff.username, staff.city, staff.unit, frozenset(directions))


def experts() -> list[Staff]:
    return list(db.session.scalars(select(Staff).where(Staff.role == policy.EXPERT).order_by(Staff.username)))


def assignments() -> dict[int, set[str]]:
    """Each expert's directions, by staff id."""
    out: dict[int, set[str]] = defaultdict(set)
    for row in db.session.scalars(select(ExpertAssignment)):
        out[row.staff_id].add(row.direction_id)
    return out


def in_review(statuses=policy.REVIEWED) -> list[Application]:
    """The current call's applications admitted to review (受理) and after, by receipt number."""
    query = select(Application).where(Application.call_id == catalog().call["id"], Application.status.in_(statuses))
    return list(db.session.scalars(query.order_by(Application.receipt_no)))


def panel(application: Application, staff: list[Staff], assigned: dict[int, set[str]]) -> tuple[list[Staff], list[Staff]]:
    """The experts who review `application`, and those of its direction excluded as its own unit's."""
    members, excluded = [], []
    for expert in staff:
        if application.direction_id in assigned.get(expert.id, ()):
            (excluded if policy.conflicted(as_actor(expert), application) else members).append(expert)
    return members, excluded


def scores_of(applications: list[Application]) -> dict[tuple[int, int], Score]:
    """Every score of these applications, by (application id, expert id)."""
    ids = [a.id for a in applications]
    if not ids:
        return {}
    return {(s.application_id, s.staff_id): s for s in db.session.scalars(select(Score).where(Score.application_id.in_(ids)))}
