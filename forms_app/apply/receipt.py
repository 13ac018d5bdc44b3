"""The private link's page: the editable 申报书 while it may change, else its receipt and progress.

Every address here answers GET, so any of them can be bookmarked; a POST always ends in a
redirect back to the page (its outcome in a flashed message).
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for

from .. import mail, storage
from ..models import Application
from ..review import states
from ..web import limiter, submit_limit
from . import FILE_FIELDS, bp, catalog, is_open, may_edit, render_form
from .docx import build_docx
from .form import ApplicationInput


def by_token(token: str) -> Application:
    return storage.by_token(Application, token)


def saved_input(application: Application) -> ApplicationInput:
    """The form as last typed (drafts, and after 退回)."""
    saved = application.form_data or {}
    blank = ApplicationInput.blank()
    return ApplicationInput(dict(saved.get("values") or {}), saved.get("participants") or blank.participants,
                            saved.get("schedule") or blank.schedule)  # fmt: skip


def return_reason(application: Application) -> str | None:
    returned = [c for c in application.changes if c.new_status in states.NEEDS_NOTE]
    return returned[-1].note if returned else None


@bp.get("/r/<token>")
def receipt(token: str):
    """The applicant's own page: the form to go on with, or what was sent and where it stands."""
    application = by_token(token)
    if may_edit(application):
        return render_form(saved_input(application), {}, 200, None, application, token)
    direction = catalog().direction(application.direction_id)
    return render_template("apply/receipt.html", a=application, direction=direction, token=token,
                           can_replace=is_open() and application.status in (states.CITY_REVIEW, states.SUBMITTED),
                           **status_context(application, token))  # fmt: skip


@bp.get("/r/<token>/shenbaoshu.docx")
def download_docx(token: str):
    """Send the filled 申报书 as a Word file (once every field of it is filled in)."""
    application = by_token(token)
    if application.project_name is None:
        abort(404)
    stream = build_docx(application, catalog().call, catalog().direction(application.direction_id))
    return storage.send_docx(stream, application.receipt_no or f"草稿{application.id}")


@bp.get("/r/<token>/files/<int:attachment_id>")
def download_file(token: str, attachment_id: int):
    """Send one of the applicant's own attachments back."""
    application = by_token(token)
    found = next((a for a in application.attachments if a.id == attachment_id), None) or abort(404)
    return storage.send_attachment(found)


@bp.post("/r/<token>/pdf")
@limiter.limit(submit_limit, methods=["POST"])
def replace_pdf(token: str):
    """Replace the stamped PDF while the call is open; the old one is kept for the record."""
    application = by_token(token)
    if not (is_open() and application.status in (states.CITY_REVIEW, states.SUBMITTED)):
        flash("申报已截止或已进入审核，材料不能再更换。", "error")
        return redirect(url_for("apply.receipt", token=token), 303)
    pending, error = storage.receive_upload(FILE_FIELDS["pdf"], "pdf", "请选择加盖公章的 PDF 文件。")
    if error:
        flash(error, "error")
        return redirect(url_for("apply.receipt", token=token), 303)
    storage.replace_file(application.current("pdf"), pending, application_id=application.id)
    flash("盖章 PDF 已更新。", "success")
    return redirect(url_for("apply.receipt", token=token), 303)


def status_context(application: Application | None, token: str | None) -> dict:
    """The 退回/不推荐 reason, and in demo mode without a mail server the link a mail would carry."""
    if application is None:
        return {}
    demo = current_app.config["DEMO_MODE"] and not mail.configured() and application.status == states.UNCONFIRMED
    from .drafts import confirm_code

    link = url_for("apply.confirm", token=token, code=confirm_code(application)) if demo else None
    return {"reason": return_reason(application), "demo_confirm": link}
