"""工作简报 pages of a signed-in 承训单位: its projects, the upload, what it has sent, each receipt."""

from __future__ import annotations

import secrets

from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import attachments, storage
from ..database import db
from ..models import Briefing, token_digest
from ..storage import attach, stored_together
from ..web import limiter, submit_limit
from . import bp, due
from .access import current_unit, ended_message, own_briefing, projects_of, unit_required
from .form import duplicate_message, read_form

SENT_LIMIT = 500


def sent_by(unit: str) -> list[Briefing]:
    """What `unit` has filed, newest first."""
    query = select(Briefing).where(Briefing.institution == unit).order_by(Briefing.id.desc()).limit(SENT_LIMIT)
    return list(db.session.scalars(query))


def project_rows(unit: str, sent: list[Briefing]) -> list[dict]:
    """The unit's projects with the 期 received so far and their status today."""
    today = current_app.config["CLOCK"]()
    received: dict[str, set[int]] = {}
    for b in sent:
        received.setdefault(b.project_id, set()).add(b.issue_no)
    rows = []
    for project in projects_of(unit):
        issues = sorted(received.get(project["id"], ()))
        status = due.training_status(project, len(issues), today)
        rows.append({**project, "issues": issues, "status": status, "status_text": due.status_text(status, len(issues)),
                     "period": due.period_text(project)})  # fmt: skip
    return rows


def render_form(unit: str, values: dict, errors: dict, pending=None, status: int = 200):
    sent = sent_by(unit)
    return render_template("briefings/form.html", unit=unit, values=values, errors=errors, pending=pending,
                           projects=project_rows(unit, sent), sent=sent, minimum=due.MIN_ISSUES), status  # fmt: skip


def signin_page(error: str | None = None, status: int = 200):
    return render_template("briefings/signin.html", error=error, ended=ended_message()), status


@bp.get("/")
def form():
    """A signed-in unit's upload form and what it has sent; otherwise the sign-in form."""
    unit = current_unit()
    if unit is None:
        return signin_page()
    return render_form(unit, {"project_id": request.args.get("project_id", "")}, {})


@bp.post("/")
@limiter.limit(submit_limit, methods=["POST"])
def submit():
    """Store one 简报 with its file for one of the unit's own projects, or show the form again."""
    unit = current_unit()
    if unit is None:
        return signin_page(ended_message() or "请先用上传码登录，再上传简报。", 401)
    values, clean, errors = read_form(request.form, unit)  # another unit's project: 403 here, nothing read or stored
    pending = None
    try:
        if (upload := request.files.get("file")) and upload.filename:
            pending = attachments.receive(upload, "briefing")
        elif token := request.form.get("file_pending"):
            pending = attachments.from_token(token, "briefing")
        if pending is None:
            errors["file"] = "请选择简报文件（PDF、Word 或图片）。"
    except attachments.UploadError as exc:
        errors["file"] = str(exc)
    if not errors and (message := duplicate_message(unit, clean["project"]["id"], clean["issue_no"])):
        errors["issue_no"] = message
    if errors:
        return render_form(unit, values, errors, pending, 422)
    project = clean.pop("project")
    # Receipts are the unit's own pages now; the old private-link column keeps a random, unusable digest.
    briefing = Briefing(token_hash=token_digest(secrets.token_urlsafe(32)), project_id=project["id"], project_name=project["name"],
                        province=project["province"], unit=unit, institution=unit, **clean)  # fmt: skip
    try:
        with stored_together() as placement:
            db.session.add(briefing)
            db.session.flush()
            briefing.receipt_no = f"JB-{briefing.id:06d}"
            attach(placement, pending, briefing_id=briefing.id)
    except IntegrityError:  # rolled back, file back in the pending area: the same 期 arrived a moment earlier
        errors["issue_no"] = duplicate_message(unit, project["id"], clean["issue_no"]) or "该期简报刚刚已被上传，请勿重复提交。"
        return render_form(unit, values, errors, pending, 422)
    return redirect(url_for("briefings.receipt", briefing_id=briefing.id), 303)


def render_receipt(unit: str, briefing: Briefing, error: str | None = None, status: int = 200):
    issues = db.session.scalars(
        select(Briefing.issue_no)
        .where(Briefing.project_id == briefing.project_id, Briefing.institution == unit)
        .order_by(Briefing.issue_no)
    ).all()
    return render_template("briefings/receipt.html", b=briefing, issues=issues, error=error, minimum=due.MIN_ISSUES), status


@bp.get("/sent/<int:briefing_id>")
@unit_required
def receipt(briefing_id: int):
    """The receipt of one of the unit's 简报: what was sent and which 期 of the project have arrived."""
    unit = current_unit()
    return render_receipt(unit, own_briefing(unit, briefing_id))


@bp.get("/sent/<int:briefing_id>/file")
@unit_required
def download(briefing_id: int):
    """Send the unit's uploaded file back."""
    found = own_briefing(current_unit(), briefing_id).current() or abort(404)
    return storage.send_attachment(found)


@bp.post("/sent/<int:briefing_id>/file")
@limiter.limit(submit_limit, methods=["POST"])
@unit_required
def replace(briefing_id: int):
    """Replace the file of one of the unit's 简报; the old one is kept for the record."""
    unit = current_unit()
    briefing = own_briefing(unit, briefing_id)
    pending, error = storage.receive_upload("file", "briefing", "请选择新的简报文件。")
    if error:
        return render_receipt(unit, briefing, error, 422)
    storage.replace_file(briefing.current(), pending, briefing_id=briefing.id)
    return redirect(url_for("briefings.receipt", briefing_id=briefing.id, replaced=1), 303)
