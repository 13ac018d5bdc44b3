"""工作简报 upload: bound to a project from data, one file per 期, with a receipt link to replace it."""

from __future__ import annotations

import datetime as dt
import secrets

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from . import attachments, storage
from .apply.form import text_problem
from .database import db
from .models import Briefing, token_digest
from .storage import attach, stored_together
from .web import limiter, submit_limit

bp = Blueprint("briefings", __name__, url_prefix="/briefings")
FIELDS = {"unit": ("承训单位名称", 100), "title": ("简报标题", 200)}
MAX_ISSUE = 99
SELECT_LIMIT = 300


def catalog():
    return current_app.extensions["catalog"]


def project_label(project: dict) -> str:
    return f"{project['year']} {project['province']} · {project['name']}（{project['id']}）"


@bp.get("/projects.json")
def projects_json():
    """Projects matching `q` for the type-ahead, at most 50."""
    found = catalog().search_projects(request.args.get("q", "")[:100], limit=50)
    return jsonify([{"id": p["id"], "label": project_label(p), "institution": p.get("institution") or ""} for p in found])


def render_form(values: dict, errors: dict, pending=None, status: int = 200):
    query = values.get("q", "")
    options = catalog().search_projects(query, limit=SELECT_LIMIT)
    chosen = catalog().projects_by_id.get(values.get("project_id", ""))
    if chosen and chosen not in options:
        options.insert(0, chosen)
    more = len(catalog().projects) > len(options) and not query
    return render_template("briefings/form.html", values=values, errors=errors, pending=pending, options=options,
                           label=project_label, more=more), status  # fmt: skip


@bp.get("/")
def form():
    """Show the upload form; `q` narrows the project list without JavaScript."""
    return render_form({"q": request.args.get("q", "").strip(), "project_id": request.args.get("project_id", "")}, {})


def read_form(form) -> tuple[dict, dict, dict]:
    """Return (values as typed, clean values, errors) for the text fields."""
    values = {k: form.get(k, "").strip() for k in ("project_id", "unit", "issue_no", "title", "issued_on", "q")}
    clean, errors = {}, {}
    project = catalog().projects_by_id.get(values["project_id"])
    if project is None:
        errors["project_id"] = "请从列表中选择项目（可输入项目名称查找）。" if not values["project_id"] else "所选项目不在项目数据中。"
    else:
        clean["project"] = project
    for name, (label, limit) in FIELDS.items():
        if problem := text_problem(label, values[name], limit):
            errors[name] = problem
        else:
            clean[name] = values[name]
    if values["issue_no"].isdigit() and 1 <= int(values["issue_no"]) <= MAX_ISSUE:
        clean["issue_no"] = int(values["issue_no"])
    else:
        errors["issue_no"] = f"期数请填写 1 到 {MAX_ISSUE} 之间的整数。"
    try:
        issued_on = dt.date.fromisoformat(values["issued_on"])
        if not dt.date(2000, 1, 1) <= issued_on <= current_app.config["CLOCK"]():
            errors["issued_on"] = "简报日期不能晚于今天。"
        else:
            clean["issued_on"] = issued_on
    except ValueError:
        errors["issued_on"] = "请填写简报日期（年-月-日）。"
    return values, clean, errors


def duplicate_message(project_id: str, issue_no: int) -> str | None:
    found = db.session.scalar(select(Briefing).where(Briefing.project_id == project_id, Briefing.issue_no == issue_no))
    if found is None:
        return None
    return (f"该项目的第 {issue_no} 期简报已于 {found.created_at:%Y-%m-%d} 上传（受理编号 {found.receipt_no}），不能重复上传。"
            "如需更换文件，请打开上次上传后回执页的链接，在那里替换。")  # fmt: skip


@bp.post("/")
@limiter.limit(submit_limit, methods=["POST"])
def submit():
    """Store one 简报 with its file, or show the form again with the errors."""
    values, clean, errors = read_form(request.form)
    if request.form.get("find"):
        return render_form(values, {})
    pending = None
    upload = request.files.get("file")
    try:
        if upload and upload.filename:
            pending = attachments.receive(upload, "briefing")
        elif token := request.form.get("file_pending"):
            pending = attachments.from_token(token, "briefing")
        if pending is None:
            errors["file"] = "请选择简报文件（PDF、Word 或图片）。"
    except attachments.UploadError as exc:
        errors["file"] = str(exc)
    if not errors and (message := duplicate_message(clean["project"]["id"], clean["issue_no"])):
        errors["issue_no"] = message
    if errors:
        return render_form(values, errors, pending, 422)
    project = clean.pop("project")
    token = secrets.token_urlsafe(32)
    briefing = Briefing(
        token_hash=token_digest(token), project_id=project["id"], project_name=project["name"], province=project["province"], **clean
    )
    try:
        with stored_together() as placement:
            db.session.add(briefing)
            db.session.flush()
            briefing.receipt_no = f"JB-{briefing.id:06d}"
            attach(placement, pending, briefing_id=briefing.id)
    except IntegrityError:  # rolled back, file back in the pending area: the same 期 arrived a moment earlier
        errors["issue_no"] = duplicate_message(project["id"], clean["issue_no"]) or "该期简报刚刚已被上传，请勿重复提交。"
        return render_form(values, errors, pending, 422)
    return redirect(url_for("briefings.receipt", token=token), 303)


def by_token(token: str) -> Briefing:
    return storage.by_token(Briefing, token)


def render_receipt(briefing: Briefing, token: str, error: str | None = None, status: int = 200):
    issues = db.session.scalars(
        select(Briefing.issue_no).where(Briefing.project_id == briefing.project_id).order_by(Briefing.issue_no)
    ).all()
    return render_template("briefings/receipt.html", b=briefing, token=token, issues=issues, error=error), status


@bp.get("/r/<token>")
def receipt(token: str):
    """Show the receipt: what was sent, and which 期 of the project have arrived."""
    return render_receipt(by_token(token), token)


@bp.get("/r/<token>/file")
def download(token: str):
    """Send the uploaded file back to the uploader."""
    found = by_token(token).current() or abort(404)
    return storage.send_attachment(found)


@bp.post("/r/<token>/file")
@limiter.limit(submit_limit, methods=["POST"])
def replace(token: str):
    """Replace the file of this 期; the old one is kept for the record."""
    briefing = by_token(token)
    pending, error = storage.receive_upload("file", "briefing", "请选择新的简报文件。")
    if error:
        return render_receipt(briefing, token, error, 422)
    storage.replace_file(briefing.current(), pending, briefing_id=briefing.id)
    return redirect(url_for("briefings.receipt", token=token, replaced=1), 303)
