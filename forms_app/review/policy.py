"""Who may do what, in one place. Every staff route asks `may`; tests walk routes × roles.

Roles (seed 004): province staff (省教育厅教师工作处) run the call; a city reviewer speaks for
one 省辖市 and sees only that city's 县（区） applications; an expert sees only the accepted
applications of the directions assigned to them, never one from their own unit, and never
another expert's scores. Applicants act only through their private link (apply/).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..apply.form import normalise_name
from . import states

PROVINCE, CITY, EXPERT = "province", "city", "expert"
ROLES = {PROVINCE: "省级管理员", CITY: "市级审核员", EXPERT: "评审专家"}
# Areas of the staff site only province staff use.
PROVINCE_ONLY = {"briefings", "compliance", "unit_codes", "export", "experts", "ranking", "completion_board", "quotas"}
# What an expert may open: the applications under review and after.
REVIEWED = (states.ACCEPTED, states.APPROVED, states.REJECTED, states.COMPLETED)


@dataclass(frozen=True)
class Actor:
    role: str
    username: str = ""
    city: str | None = None
    unit: str | None = None
    directions: frozenset[str] = field(default_factory=frozenset)


def conflicted(actor: Actor, application) -> bool:
    """An expert from the applicant's own unit must not judge it."""
    return bool(actor.unit and application.unit and normalise_name(actor.unit) == normalise_name(application.unit))


def may_see(actor: Actor, application) -> bool:
    if application.status in states.NOT_SENT:
        return False
    if actor.role == PROVINCE:
        return True
    if actor.role == CITY:
        return application.level == states.COUNTY and application.city == actor.city
    if actor.role == EXPERT:
        return application.status in REVIEWED and application.direction_id in actor.directions and not conflicted(actor, application)
    return False


def may_move(actor: Actor, application, new: str) -> bool:
    """Staff moves only; the role named in states.STAFF_MOVES, on an application it may see."""
    return states.mover(application.status, new) == actor.role and may_see(actor, application)


def may_score(actor: Actor, application) -> bool:
    return actor.role == EXPERT and application.status == states.ACCEPTED and may_see(actor, application)


def may_use(actor: Actor, area: str) -> bool:
    """Staff areas other than single applications."""
    if area in PROVINCE_ONLY:
        return actor.role == PROVINCE
    if area == "applications":
        return actor.role in (PROVINCE, CITY, EXPERT)
    if area == "city_review":
        return actor.role == CITY
    if area == "scoring":
        return actor.role == EXPERT
    return False
