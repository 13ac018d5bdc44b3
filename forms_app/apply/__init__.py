"""出彩项目申报: the 申报书 form, its receipt, the filled .docx and the stamped-PDF replacement."""

from __future__ import annotations

import logging
import secrets

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError

from .. import attachments, storage
from ..catalog import call_state
from ..database import db
from ..models import Application, token_digest
from ..storage import attach, stored_together
from ..web import RESHOW, limiter, submit_limit
from . import docx
from .form import (
    BLANK_ROWS,
    PARTICIPANT_COLUMNS,
    SCHEDULE_COLUMNS,
    ApplicationInput,
    _empty,
    normalise_email,
    normalise_name,
    normalise_phone,
    read_form,
)

bp = Blueprint("apply", __name__, url_prefix="/apply")
log = logging.getLogger(__name__)
FILE_FIELDS = {"word": "word_file", "pdf": "pdf_file"}


def catalog():
    return current_app.extensions["catalog"]


def is_open() -> bool:
    """Whether applications are accepted now; demo mode lifts the deadline (never in production)."""
    return current_app.config["DEMO_MODE"] or call_state(catalog().call, current_app.config["CLOCK"]()) == "open"


@bp.get("/")
def form():
    """Show the empty 申报书, or the closed page after the deadline."""
    if not is_open():
        return closed()
    return render_form(ApplicationInput.blank(), {})


def closed():
    state = call_state(catalog().call, current_app.config["CLOCK"]())
    return render_template("apply/closed.html", state=state, directions=catalog().directions), 403


def render_form(data: ApplicationInput, pending: dict, status: int = 200, notice: str | None = None):
    return (
        render_template("apply/form.html", data=data, pending=pending, directions=catalog().directions,
                        participant_columns=PARTICIPANT_COLUMNS, schedule_columns=SCHEDULE_COLUMNS,
                        roles=[(r, r) for r in catalog().call["leader_roles"]], notice=notice),
        status,
    )  # fmt: skip


def reshow(status: int, notice: str, keep_new_files: bool):
    """The submitted 申报书 back, every field as typed, after a refusal that is not about its
    content (an expired security token, the rate limit): nothing typed is lost.

    New files are kept after an expired token; after a rate limit only files already held are,
    so a client that keeps posting cannot keep writing uploads to disk.
    """
    if not is_open():
        return closed()
    data = read_form(request.form, catalog().call, catalog().directions)
    file_errors: dict = {}
    pending = receive_files(file_errors) if keep_new_files else held_files()
    data.errors = file_errors
    return render_form(data, pending, status, notice)


def held_files() -> dict:
    """Files uploaded with an earlier attempt of this form, from their signed tokens."""
    return {
        kind: found
        for kind, field in FILE_FIELDS.items()
        if (token := request.form.get(f"{field}_pending")) and (found := attachments.from_token(token, kind))
    }


def receive_files(errors: dict) -> dict:
    """New uploads go to the pending area; earlier ones come back from their signed tokens."""
    pending = {}
    for kind, field in FILE_FIELDS.items():
        upload = request.files.get(field)
        if upload and upload.filename:
            try:
                pending[kind] = attachments.receive(upload, kind)
            except attachments.UploadError as exc:
                errors[field] = str(exc)
        elif token := request.form.get(f"{field}_pending"):
            if found := attachments.from_token(token, kind):
                pending[kind] = found
            else:
                errors[field] = "先前上传的文件已失效，请重新选择文件。"
    return pending


@bp.post("/")
@limiter.limit(submit_limit, methods=["POST"])
def submit():
    """Check the 申报书 against the call's rules and store it with its files, or show it again with errors."""
    if not is_open():
        return closed()
    call = catalog().call
    data = read_form(request.form, call, catalog().directions)
    file_errors: dict = {}
    pending = receive_files(file_errors)
    if edit_rows(data):
        data.errors = file_errors
        return render_form(data, pending)
    data.errors.update(file_errors)
    if not data.errors:
        check_leader(data, call)
    if data.errors:
        return render_form(data, pending, 422)
    token = secrets.token_urlsafe(32)
    application = build(data, call, token)
    try:
        with stored_together() as placement:
            db.session.add(application)
            db.session.flush()
            application.receipt_no = receipt_no = f"CC{call['deadline']:%Y}-{application.id:05d}"
            for upload in pending.values():
                attach(placement, upload, application_id=application.id)
    except IntegrityError:  # rolled back, files back in the pending area: a simultaneous twin won the race
        check_leader(data, call)
        data.errors.setdefault("leader_email", "该负责人刚刚已提交过申报，请勿重复提交。")
        return render_form(data, pending, 422)
    log.info("application %s stored", receipt_no)  # not application.receipt_no: that would reload the row
    return redirect(url_for("apply.receipt", token=token), 303)


RESHOW["apply.submit"] = reshow


def edit_rows(data: ApplicationInput) -> bool:
    """Handle the no-JS “添加一行/删除” buttons; True if the form is only being edited."""
    for prefix, rows, columns in (("p", data.participants, PARTICIPANT_COLUMNS), ("s", data.schedule, SCHEDULE_COLUMNS)):
        if request.form.get(f"add_{prefix}"):
            rows.append(_empty(columns))
            return True
        removed = request.form.get(f"remove_{prefix}", "")
        if removed.isdigit():
            if int(removed) < len(rows):
                rows.pop(int(removed))
            if not rows:
                rows.extend([_empty(columns)] * BLANK_ROWS)
            return True
    return False


# One project per leader. A leader is identified by e-mail address OR by phone number together
# with name: an e-mail address belongs to one person, but the 联系电话 on a 申报书 is often an
# office landline shared by colleagues of the same 教育局 or university, so the phone alone
# would wrongly block a second, different leader; phone plus name still catches the same person
# re-applying under another mailbox. Names alone are not unique. The `*_seq` columns make the
# count part of a unique key, so two simultaneous submissions cannot both slip through.
# Both counts in one statement, built once; each subquery is answered from its unique key's index.
_SAME_CALL = Application.call_id == bindparam("call_id")
LEADER_COUNTS = select(
    select(func.count()).where(_SAME_CALL, Application.email_key == bindparam("email_key")).scalar_subquery(),
    select(func.count())
    .where(_SAME_CALL, Application.phone_key == bindparam("phone_key"), Application.name_key == bindparam("name_key"))
    .scalar_subquery(),
)


def check_leader(data: ApplicationInput, call: dict) -> None:
    """Add an error if the leader already has `per_leader` applications in this call."""
    email_count, phone_count = db.session.execute(LEADER_COUNTS, {"call_id": call["id"], **leader_keys(data.clean)}).one()
    limit = call["per_leader"]
    if email_count >= limit:
        data.errors["leader_email"] = f"每人限报 {limit} 个项目：使用此电子邮箱的负责人已提交过本批申报。"
    elif phone_count >= limit:
        data.errors["leader_phone"] = f"每人限报 {limit} 个项目：同名负责人使用此联系电话已提交过本批申报。"
    data.clean["email_seq"], data.clean["phone_seq"] = email_count + 1, phone_count + 1


def leader_keys(clean: dict) -> dict:
    return {
        "email_key": normalise_email(clean["leader_email"]),
        "phone_key": normalise_phone(clean["leader_phone"]),
        "name_key": normalise_name(clean["leader_name"]),
    }


def build(data: ApplicationInput, call: dict, token: str) -> Application:
    clean = dict(data.clean)
    clean["direction_id"] = clean.pop("direction")["id"]
    return Application(call_id=call["id"], token_hash=token_digest(token), **leader_keys(clean), **clean)


def by_token(token: str) -> Application:
    return storage.by_token(Application, token)


@bp.get("/r/<token>")
def receipt(token: str):
    """Show the applicant what was sent, with the .docx and the stamped-PDF upload."""
    application = by_token(token)
    direction = catalog().direction(application.direction_id)
    return render_template("apply/receipt.html", a=application, direction=direction, token=token, can_replace=is_open())


@bp.get("/r/<token>/shenbaoshu.docx")
def download_docx(token: str):
    """Send the filled 申报书 as a Word file."""
    application = by_token(token)
    stream = docx.build_docx(application, catalog().call, catalog().direction(application.direction_id))
    return storage.send_docx(stream, application.receipt_no)


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
    if not is_open():
        return closed()
    pending, error = storage.receive_upload("pdf_file", "pdf", "请选择加盖公章的 PDF 文件。")
    if error:
        direction = catalog().direction(application.direction_id)
        return render_template("apply/receipt.html", a=application, direction=direction, token=token, can_replace=True, error=error), 422
    storage.replace_file(application.current("pdf"), pending, application_id=application.id)
    return redirect(url_for("apply.receipt", token=token, replaced=1), 303)
