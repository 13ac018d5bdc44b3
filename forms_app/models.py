"""Tables: applications, briefings, their attachments, staff, upload codes and the status audit trail."""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .database import db
from .review.states import APPROVED, DRAFT, STATUSES  # noqa: F401  (statuses live with the process)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def token_digest(token: str) -> str:
    """Only a digest of each private link is stored, so a leaked database reveals no links."""
    return hashlib.sha256(token.encode()).hexdigest()


class HasFiles:
    """A record with attachments, some of them replaced by later uploads."""

    attachments: list[Attachment]

    def current(self, kind: str) -> Attachment | None:
        """The latest attachment of `kind` that has not been replaced; replaced ones stay for the record."""
        live = [a for a in self.attachments if a.kind == kind and a.replaced_at is None]
        return live[-1] if live else None


class Application(HasFiles, db.Model):
    __tablename__ = "applications"
    # One project per leader, counted when the e-mail address is confirmed: `email_seq` is the
    # count at that moment, part of a unique key, so two confirmations at once cannot both pass.
    __table_args__ = (UniqueConstraint("call_id", "email_key", "email_seq", name="uq_application_leader_email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    call_id: Mapped[str] = mapped_column(String(64), index=True)
    direction_id: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DRAFT, index=True)
    project_name: Mapped[str | None] = mapped_column(Text)
    leader_name: Mapped[str | None] = mapped_column(Text)
    leader_title: Mapped[str | None] = mapped_column(Text)
    leader_role: Mapped[str | None] = mapped_column(Text)
    leader_phone: Mapped[str | None] = mapped_column(Text)
    leader_email: Mapped[str] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(200))
    phone_key: Mapped[str | None] = mapped_column(String(32))
    email_key: Mapped[str] = mapped_column(String(320))
    email_seq: Mapped[int | None] = mapped_column(Integer)
    unit: Mapped[str | None] = mapped_column(Text)
    participants: Mapped[list] = mapped_column(JSON, default=list)
    completion_date: Mapped[dt.date | None] = mapped_column(Date)
    goals: Mapped[str | None] = mapped_column(Text)
    basis: Mapped[str | None] = mapped_column(Text)
    key_work: Mapped[bool | None] = mapped_column(Boolean)
    plan: Mapped[str | None] = mapped_column(Text)
    schedule: Mapped[list] = mapped_column(JSON, default=list)
    unit_opinion: Mapped[str] = mapped_column(Text, default="")
    authority_opinion: Mapped[str] = mapped_column(Text, default="")
    # What was typed, as typed (drafts, and the form shown again for editing after 退回).
    form_data: Mapped[dict | None] = mapped_column(JSON)
    level: Mapped[str | None] = mapped_column(String(16))  # 县区 / 省辖市 / 高校
    city: Mapped[str | None] = mapped_column(String(64), index=True)  # the 省辖市 that reviews a 县区 application
    county: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    attachments: Mapped[list[Attachment]] = relationship(back_populates="application", order_by="Attachment.id")
    changes: Mapped[list[StatusChange]] = relationship(back_populates="application", order_by="StatusChange.id")


class Briefing(HasFiles, db.Model):
    __tablename__ = "briefings"
    __table_args__ = (UniqueConstraint("project_id", "issue_no", name="uq_briefing_issue"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    receipt_no: Mapped[str | None] = mapped_column(String(32), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    project_id: Mapped[str] = mapped_column(String(64), index=True)
    project_name: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str] = mapped_column(String(32), index=True)
    unit: Mapped[str | None] = mapped_column(Text)
    # The 承训单位 signed in with its upload code when filing; empty for rows from before codes.
    institution: Mapped[str | None] = mapped_column(String(200), index=True)
    issue_no: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
    issued_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    attachments: Mapped[list[Attachment]] = relationship(back_populates="briefing", order_by="Attachment.id")

    def current(self, kind: str = "briefing") -> Attachment | None:
        return super().current(kind)


class Attachment(db.Model):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"), index=True)
    briefing_id: Mapped[int | None] = mapped_column(ForeignKey("briefings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(Text)
    file_type: Mapped[str] = mapped_column(String(16))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    replaced_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    application: Mapped[Application | None] = relationship(back_populates="attachments")
    briefing: Mapped[Briefing | None] = relationship(back_populates="attachments")


class Staff(db.Model):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Sessions are signed cookies the server cannot recall; each carries this number, and
    # logout or a password reset raises it, so every earlier cookie of the account stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    role: Mapped[str] = mapped_column(String(16), default="province", server_default="province")  # province / city / expert
    city: Mapped[str | None] = mapped_column(String(64))  # the 省辖市 a city reviewer speaks for
    unit: Mapped[str | None] = mapped_column(Text)  # an expert's own unit: never reviews its applications


class UnitCode(db.Model):
    """A 承训单位's upload code for 工作简报: only its digest; rows are never deleted, so ids are never reused.

    Issuing a new code or revoking bumps `generation`, which signs out every session of the old code.
    """

    __tablename__ = "unit_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    institution: Mapped[str] = mapped_column(String(200), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)  # None: revoked
    generation: Mapped[int] = mapped_column(Integer, default=1)
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(64))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class StatusChange(db.Model):
    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    old_status: Mapped[str] = mapped_column(String(16))
    new_status: Mapped[str] = mapped_column(String(16))
    staff_username: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="changes")
