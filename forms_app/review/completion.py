"""结项: a 立项 project hands in its materials by its direction's 结项时间; staff see who is due,
overdue or done, and confirm (立项 → 已结项, in admin/views.py)."""

from __future__ import annotations

import datetime as dt

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from .. import storage
from ..admin import bp as admin_bp
from ..apply import bp as apply_bp
from ..database import db
from ..models import Application
from ..web import limiter, submit_limit
from . import states
from .models import audit

DONE, HANDED_IN, DUE, OVERDUE = "已结项", "已交材料待确认", "未到结项时间", "逾期未交"
STATES = [OVERDUE, DUE, HANDED_IN, DONE]


def catalog():
    return current_app.extensions["catalog"]


def completion_state(application: Application, due: dt.date, today: dt.date) -> str:
    if application.status == states.COMPLETED:
        return DONE
    if application.current("completion"):
        return HANDED_IN
    return OVERDUE if today > due else DUE


@apply_bp.post("/r/<token>/completion")
@limiter.limit(submit_limit, methods=["POST"])
def upload_completion(token: str):
    """A 立项 project's 结项 materials, through its private link; each new file is kept beside the earlier ones."""
    application = storage.by_token(Application, token)
    back = redirect(url_for("apply.receipt", token=token), 303)
    if application.status != states.APPROVED:
        flash("只有已立项、尚未结项的项目可以上传结项材料。", "error")
        return back
    pending, error = storage.receive_upload("completion_file", "completion", "请选择结项材料文件（PDF 或 Word）。")
    if error:
        flash(error, "error")
        return back
    with storage.stored_together() as placement:
        storage.attach(placement, pending, application_id=application.id)
        audit("申报人", "上传结项材料", application.id, pending.name)
    flash("结项材料已上传，等待省教育厅确认。", "success")
    return back


@admin_bp.get("/completion")
def completion_board():
    """Every 立项 project with its 结项时间 and where its 结项 stands; filter by state."""
    today = current_app.config["CLOCK"]()
    rows = []
    found = select(Application).where(Application.status.in_((states.APPROVED, states.COMPLETED))).order_by(Application.receipt_no)
    for application in db.session.scalars(found):
        direction = catalog().direction(application.direction_id) or {}
        due = direction.get("due") or dt.date.max
        rows.append({"a": application, "due": due, "state": completion_state(application, due, today), "file": application.current("completion")})
    totals = {s: sum(1 for r in rows if r["state"] == s) for s in STATES}
    wanted = request.args.get("state", "")
    shown = [r for r in rows if r["state"] == wanted] if wanted in STATES else rows
    return render_template("admin/completion.html", rows=shown, totals=totals, states=STATES, wanted=wanted, today=today)
