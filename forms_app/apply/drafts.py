"""Saving, submitting, confirming and resubmitting one application, all under its private link."""

from __future__ import annotations

import logging
import secrets

from flask import current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from .. import storage
from ..database import db
from ..models import Application, token_digest, utcnow
from ..review import states, workflow
from ..review.models import audit
from ..storage import attach, stored_together
from ..web import limiter, submit_limit
from . import bp, catalog, closed, edit_rows, is_open, may_edit, read_form, receive_files, render_form
from .form import NONCHARACTER, ApplicationInput, normalise_email, normalise_name, normalise_phone

log = logging.getLogger(__name__)
APPLICANT = "申报人"
CONFIRM_DAYS = 7


def application_of_request() -> tuple[Application | None, str | None]:
    token = (request.view_args or {}).get("token")
    return (storage.by_token(Application, token), token) if token else (None, None)


@bp.post("/r/<token>")
@limiter.limit(submit_limit, methods=["POST"])
def edit(token: str):
    """The same 申报书 sent again from its private link: saved, submitted or resubmitted after 退回."""
    return handle_post(storage.by_token(Application, token), token)


def handle_post(application: Application | None, token: str | None):
    if not may_edit(application):
        if application is None or application.status in states.EDITABLE[:2]:
            return closed()
        return redirect(url_for("apply.receipt", token=token), 303)
    data = read_form(request.form, catalog().call, catalog().directions)
    if application is not None and application.confirmed_at:
        # The confirmed address is the leader's identity: changing it would be a second place.
        data.values["leader_email"] = data.clean["leader_email"] = application.leader_email
        data.errors.pop("leader_email", None)
    file_errors: dict = {}
    pending = receive_files(file_errors)
    if edit_rows(data):
        data.errors = file_errors
        return render_form(data, pending, 200, None, application, token)
    if request.form.get("action") == "save":
        return save(application, token, data, pending, file_errors)
    data.errors.update(file_errors)
    if data.errors:
        return render_form(data, pending, 422, None, application, token)
    return send(application, token, data, pending)


def typed_values(data: ApplicationInput) -> dict:
    """What the form held, as typed, minus what no database column can hold (NUL, non-characters)."""

    def clean(text: str) -> str:
        return NONCHARACTER.sub("", text.replace("\x00", ""))

    return {"values": {k: clean(v) for k, v in data.values.items()},
            "participants": [{k: clean(v) for k, v in row.items()} for row in data.participants],
            "schedule": [{k: clean(v) for k, v in row.items()} for row in data.schedule]}  # fmt: skip


def save(application, token, data: ApplicationInput, pending: dict, file_errors: dict):
    """Keep what has been typed so far; only an e-mail address is needed, to send the link to."""
    email = data.clean.get("leader_email")
    if email is None:
        errors = {"leader_email": "保存草稿需要填写有效的电子邮箱：本申报的专用链接将发送到该邮箱。", **file_errors}
        return render_form(
            ApplicationInput(data.values, data.participants, data.schedule, {}, errors), pending, 422, None, application, token
        )
    new = application is None
    if new:
        token = secrets.token_urlsafe(32)
        application = Application(call_id=catalog().call["id"], token_hash=token_digest(token), status=states.DRAFT)
        db.session.add(application)
    if not application.confirmed_at:
        application.leader_email, application.email_key = email, normalise_email(email)
    application.form_data = typed_values(data)
    with stored_together() as placement:
        db.session.flush()
        if application.status == states.UNCONFIRMED:  # saving an unconfirmed submission takes it back to a draft
            workflow.move(application, states.DRAFT, APPLICANT, "保存为草稿")
        place_files(placement, application, pending)
        audit(APPLICANT, "保存草稿", application.id)
        if new:
            workflow.notify(
                application, "申报草稿已保存", "您的申报草稿已保存。请通过下面的专用链接继续填写、提交；截止前均可修改。", token
            )
    return redirect(url_for("apply.receipt", token=token, saved=1), 303)


def place_files(placement, application: Application, pending: dict) -> None:
    for kind, upload in pending.items():
        old = application.current(kind) if application.id else None
        if old and old.sha256 == upload.sha256 and old.original_name == upload.name:
            continue
        if old:
            old.replaced_at = utcnow()
        attach(placement, upload, application_id=application.id)


def fill(application: Application, clean: dict) -> None:
    values = dict(clean)
    values["direction_id"] = values.pop("direction")["id"]
    for key, value in values.items():
        setattr(application, key, value)
    application.email_key = normalise_email(values["leader_email"])
    application.phone_key = normalise_phone(values["leader_phone"])
    application.name_key = normalise_name(values["leader_name"])


def send(application, token, data: ApplicationInput, pending: dict):
    """Submit: a new or draft application waits for its e-mail confirmation; a 退回 one goes back."""
    new = application is None
    if new:
        token = secrets.token_urlsafe(32)
        application = Application(call_id=catalog().call["id"], token_hash=token_digest(token), status=states.DRAFT)
        db.session.add(application)
    fill(application, data.clean)
    application.form_data = typed_values(data)
    try:
        with stored_together() as placement:
            db.session.flush()
            place_files(placement, application, pending)
            if application.status == states.RETURNED:
                problem = workflow.move(application, states.SUBMITTED, APPLICANT, "修改后重新提交", submitted_at=utcnow())
            elif application.status != states.UNCONFIRMED:
                problem = workflow.move(application, states.UNCONFIRMED, APPLICANT)
            else:
                problem = None
            if problem:
                raise Conflict(problem)
            if application.status == states.UNCONFIRMED:
                ask_confirmation(application, token)
    except Conflict as conflict:  # rolled back, new files back in the pending area
        return render_form(data, pending, 409, str(conflict), None if new else application, None if new else token)
    return redirect(url_for("apply.receipt", token=token, sent=1), 303)


class Conflict(Exception):
    """Someone else moved the application meanwhile: undo this request's changes."""


def confirm_code(application: Application) -> str:
    return _signer().dumps({"a": application.id, "e": application.email_key})


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="apply-confirm")


def ask_confirmation(application: Application, token: str) -> None:
    link = url_for("apply.confirm", token=token, code=confirm_code(application), _external=True)
    text = (f"您提交了出彩项目申报。请在 {CONFIRM_DAYS} 天内、申报截止前打开下面的链接确认，申报才算提交：\n{link}\n\n"
            "如果不是您本人提交，请忽略此邮件：未经确认的申报不会被受理，也不占用名额。")  # fmt: skip
    workflow.notify(application, "请确认您的申报", text, token)


def code_matches(application: Application, code: str) -> bool:
    try:
        found = _signer().loads(code, max_age=CONFIRM_DAYS * 86400)
    except BadSignature:
        return False
    return found == {"a": application.id, "e": application.email_key}


@bp.route("/r/<token>/confirm/<code>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def confirm(token: str, code: str):
    """The link from the mail: a page with one button (mail scanners open links; only a person posts)."""
    application = storage.by_token(Application, token)
    if application.status != states.UNCONFIRMED:
        return redirect(url_for("apply.receipt", token=token), 303)
    if not code_matches(application, code):
        return render_template(
            "apply/confirm.html",
            a=application,
            token=token,
            error="确认链接无效或已过期（有效期 7 天）。请在申报页重新提交，系统会发送新的确认邮件。",
        ), 400
    if not is_open():
        return closed()
    if request.method == "GET":
        return render_template("apply/confirm.html", a=application, token=token, code=code)
    if error := confirm_now(application, token):
        return render_template("apply/confirm.html", a=application, token=token, code=code, error=error), 409
    return redirect(url_for("apply.receipt", token=token, confirmed=1), 303)


def confirm_now(application: Application, token: str) -> str | None:
    """Count the application: one per leader (by confirmed address), eligible, then on its way."""
    call = catalog().call
    count = db.session.scalar(select(func.count()).where(
        Application.call_id == call["id"], Application.email_key == application.email_key, Application.email_seq.is_not(None)))  # fmt: skip
    if count >= call["per_leader"]:
        return f"每人限报 {call['per_leader']} 个项目：本邮箱的负责人已确认提交过本批申报，本申报不能再确认。"
    if unfinished := catalog().unfinished_earlier(application.leader_name, application.unit):
        return unfinished.message
    receipt_no = f"CC{call['deadline']:%Y}-{application.id:05d}"
    now = utcnow()
    try:
        problem = workflow.move(application, states.after_confirmation(application.level), APPLICANT, "邮箱已确认",
                                email_seq=count + 1, receipt_no=receipt_no, confirmed_at=now, submitted_at=now)  # fmt: skip
        if problem:
            db.session.rollback()
            return problem
        db.session.flush()
        workflow.notify(
            application,
            f"申报已提交，受理编号 {receipt_no}",
            "您的申报已确认提交。请保存本邮件：专用链接是查看进度、修改退回申报、上传结项材料的凭证。",
            token,
        )
        db.session.commit()
    except IntegrityError:  # a simultaneous confirmation of the same address won
        db.session.rollback()
        return f"每人限报 {call['per_leader']} 个项目：本邮箱的另一项申报刚刚已确认提交。"
    log.info("application %s confirmed", receipt_no)
    return None
