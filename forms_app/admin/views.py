"""Staff lists, detail pages, attachment downloads and status changes with an audit trail."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import storage
from ..database import db
from ..models import STATUSES, TRANSITIONS, Application, Attachment, Briefing, StatusChange
from . import bp, current_staff
from .queries import applications_query, briefings_query

PAGE = 100


def catalog():
    return current_app.extensions["catalog"]


def page_of(query):
    """One page of results and the total count."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    last = max(1, -(-total // PAGE))
    page = min(max(request.args.get("page", 1, type=int), 1), last)  # page=99999999999999999999 → the last page
    rows = db.session.scalars(query.limit(PAGE).offset((page - 1) * PAGE)).all()
    return rows, total, page


@bp.get("/")
def index():
    """Start at the list of applications."""
    return redirect(url_for("admin.applications"))


@bp.get("/applications")
def applications():
    """List applications with filters by direction, status and date, and a search box."""
    rows, total, page = page_of(applications_query(request.args))
    return render_template("admin/applications.html", rows=rows, total=total, page=page, per_page=PAGE,
                           directions=catalog().directions, statuses=STATUSES)  # fmt: skip


@bp.get("/applications/<int:app_id>")
def application(app_id: int):
    """Show one application with its attachments and status history."""
    found = db.session.get(Application, app_id) or abort(404)
    return render_template("admin/application.html", a=found, direction=catalog().direction(found.direction_id),
                           next_statuses=TRANSITIONS.get(found.status, []))  # fmt: skip


@bp.post("/applications/<int:app_id>/status")
def change_status(app_id: int):
    """Move an application to its next status and record who did it and when."""
    found = db.session.get(Application, app_id) or abort(404)
    new = request.form.get("status", "")
    if new not in TRANSITIONS.get(found.status, []):
        flash(f"状态不能从“{found.status}”改为“{new}”。")
        return redirect(url_for("admin.application", app_id=app_id), 303)
    note = request.form.get("note", "").strip()[:1000]
    db.session.add(
        StatusChange(application_id=found.id, old_status=found.status, new_status=new, staff_username=current_staff(), note=note)
    )
    found.status = new
    db.session.commit()
    flash(f"状态已改为“{new}”。")
    return redirect(url_for("admin.application", app_id=app_id), 303)


@bp.get("/briefings")
def briefings():
    """List 工作简报 with filters by province, project and date, and a search box."""
    rows, total, page = page_of(briefings_query(request.args))
    provinces = sorted({p["province"] for p in catalog().projects})
    return render_template("admin/briefings.html", rows=rows, total=total, page=page, per_page=PAGE, provinces=provinces)


@bp.get("/briefings/<int:briefing_id>")
def briefing(briefing_id: int):
    """Show one 简报 with its files."""
    found = db.session.get(Briefing, briefing_id) or abort(404)
    return render_template("admin/briefing.html", b=found)


@bp.get("/attachments/<int:attachment_id>")
def attachment(attachment_id: int):
    """Download any attachment, current or replaced."""
    found = db.session.get(Attachment, attachment_id) or abort(404)
    return storage.send_attachment(found)


@bp.get("/applications/<int:app_id>/shenbaoshu.docx")
def application_docx(app_id: int):
    """Download the 申报书 generated from the application."""
    from ..apply.docx import build_docx

    found = db.session.get(Application, app_id) or abort(404)
    stream = build_docx(found, catalog().call, catalog().direction(found.direction_id))
    return storage.send_docx(stream, found.receipt_no)
