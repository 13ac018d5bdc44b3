"""Tables of the review process: city quotas, expert assignments and scores, the audit log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..database import db
from ..models import utcnow


class CityQuota(db.Model):
    """How many 县（区） applications a 省辖市 may recommend in a call, and how many it has.

    `used` only ever changes by one conditional UPDATE (see quota.py), and the check constraint
    holds it within the quota even if some other code path forgot to.
    """

    __tablename__ = "city_quotas"
    __table_args__ = (CheckConstraint("used >= 0 AND used <= quota", name="ck_city_quota_within"),)

    call_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    city: Mapped[str] = mapped_column(String(64), primary_key=True)
    quota: Mapped[int] = mapped_column(Integer)
    used: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AuditEvent(db.Model):
    """Every action on an application or account: who (applicant or staff account), what, when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(64))
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="", server_default="")


def audit(actor: str, action: str, application_id: int | None = None, detail: str = "") -> None:
    """Add an audit row to the current transaction: it commits or rolls back with the action."""
    db.session.add(AuditEvent(actor=actor, action=action, application_id=application_id, detail=detail[:2000]))


class ExpertAssignment(db.Model):
    """An expert reviews the accepted applications of one direction (never those of its own unit)."""

    __tablename__ = "expert_assignments"
    __table_args__ = (UniqueConstraint("staff_id", "direction_id", name="uq_expert_direction"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    direction_id: Mapped[str] = mapped_column(String(64))


class Score(db.Model):
    """One expert's marks for one application, per criterion of the call's rubric."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("application_id", "staff_id", name="uq_score_expert"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    marks: Mapped[dict] = mapped_column(JSON)
    total: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
