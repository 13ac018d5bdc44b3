"""Mail to applicants through a transactional outbox: a message is queued in the same commit as
the action it reports, then sent; a failed send stays queued and is retried, never lost.

FORMS_SMTP_URL configures delivery: smtp://user:password@host:587 (STARTTLS when offered),
smtps://… (TLS from the start) or smtp://host:25. Without it nothing is sent: in demo mode the
pages show the links a mail would carry; in production FORMS.md asks for it.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from urllib.parse import unquote, urlsplit

from flask import current_app, g
from sqlalchemy import Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from .database import db
from .models import utcnow

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10
LEASE = dt.timedelta(minutes=5)


class OutboxMail(db.Model):
    __tablename__ = "mail_outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    # A sender's lease: a worker killed mid-send leaves it, and the mail goes again after LEASE.
    claimed_at: Mapped[dt.datetime | None] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(Text, default="", server_default="")


def queue(recipient: str, subject: str, body: str) -> OutboxMail:
    """Add a message to the current transaction; it is sent once the response has gone out."""
    mail = OutboxMail(recipient=recipient, subject=subject, body=body)
    db.session.add(mail)
    g.mail_queued = True
    return mail


def init_app(app) -> None:
    """Send what a request queued after its response has reached the browser (WSGI close), so a
    slow or absent mail server never delays or fails the page; whatever fails waits for the next."""

    @app.after_request
    def _send_after(response):
        if g.get("mail_queued") and configured():
            response.call_on_close(lambda: _send_in(app))
        return response


def _send_in(app) -> None:
    with app.app_context():
        try:
            send_queued()
        except Exception:  # the database itself failed: the mail stays queued for the next request
            log.exception("sending queued mail failed")
        finally:
            db.session.remove()


def configured() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def send_queued(limit: int = 20) -> int:
    """Send what is waiting (oldest first); return how many went. Errors are recorded, not raised:
    the action that queued the mail has already been committed and must not fail now."""
    if not configured():
        return 0
    free = (OutboxMail.claimed_at.is_(None)) | (OutboxMail.claimed_at < utcnow() - LEASE)
    waiting = (OutboxMail.sent_at.is_(None)) & (OutboxMail.attempts < MAX_ATTEMPTS) & free
    ids = db.session.scalars(select(OutboxMail.id).where(waiting).order_by(OutboxMail.id).limit(limit)).all()
    sent = 0
    for mail_id in ids:
        # Claim the row first (one conditional UPDATE), so two workers never send the same message.
        claim = update(OutboxMail).where(OutboxMail.id == mail_id, waiting)
        claimed = db.session.execute(claim.values(claimed_at=utcnow(), attempts=OutboxMail.attempts + 1)).rowcount
        db.session.commit()
        if not claimed:
            continue
        mail = db.session.get(OutboxMail, mail_id)
        try:
            deliver(mail)
            mail.sent_at, sent = utcnow(), sent + 1
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("mail %s to %s not sent: %s", mail.id, mail.recipient, exc)
            mail.last_error = str(exc)[:1000]
        mail.claimed_at = None
        db.session.commit()
    return sent


def deliver(mail: OutboxMail) -> None:
    url = urlsplit(current_app.config["SMTP_URL"])
    message = EmailMessage()
    message["From"] = formataddr((current_app.config.get("MAIL_SENDER_NAME", "国培计划信息门户"), current_app.config["MAIL_FROM"]))
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain=current_app.config["MAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(mail.body)
    timeout = current_app.config.get("SMTP_TIMEOUT", 10)
    if url.scheme == "smtps":
        client = smtplib.SMTP_SSL(url.hostname, url.port or 465, timeout=timeout, context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(url.hostname, url.port or 25, timeout=timeout)
    with client:
        if url.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
        if url.username:
            client.login(unquote(url.username), unquote(url.password or ""))
        client.send_message(message)
