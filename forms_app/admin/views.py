"""Staff lists, detail pages, attachment downloads and status changes, each as the policy allows."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from .. import storage
from ..database import db
from ..models import Application, Attachment, Briefing
from ..review import policy, quota, states, workflow
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


def scoped(query, actor: policy.Actor):
    """Only what the actor may see (the same rule as policy.may_see, as SQL for lists; drafts and
    unconfirmed submissions are already left out by applications_query)."""
    if actor.role == policy.CITY:
        return query.where(Application.level == states.COUNTY, Application.city == actor.city)
    if actor.role == policy.EXPERT:
        return query.where(Application.status.in_(policy.REVIEWED), Application.direction_id.in_(actor.directions))
    return query


def visible(app_id: int) -> Application:
    """The application if this account may see it; 404 otherwise (its existence is not told)."""
    found = db.session.get(Application, app_id) if app_id < 2**31 else None  # larger overflows SQLite's integer
    if found is None or not policy.may_see(g.actor, found):
        abort(404)
    return found


@bp.get("/")
def index():
    """Start where the account's work is."""
    return redirect(url_for("admin.scoring" if g.actor.role == policy.EXPERT else "admin.applications"))


@bp.get("/applications")
def applications():
    """List applications with filters by direction, status and date, and a search box."""
    rows, total, page = page_of(scoped(applications_query(request.args), g.actor))
    rows = [a for a in rows if policy.may_see(g.actor, a)]
    standing = quota.standing(catalog().call["id"], g.actor.city) if g.actor.role == policy.CITY else None
    return render_template("admin/applications.html", rows=rows, total=total, page=page, per_page=PAGE,
                           directions=catalog().directions, statuses=states.STATUSES[2:], standing=standing)  # fmt: skip


@bp.get("/applications/<int:app_id>")
def application(app_id: int):
    """Show one application with its attachments, history and the moves this account may make."""
    found = visible(app_id)
    if found.city:
        quota.ensure(catalog().call)
    moves = states.staff_moves(found.status, g.actor.role)
    return render_template("admin/application.html", a=found, direction=catalog().direction(found.direction_id), moves=moves,
                           standing=quota.standing(found.call_id, found.city) if found.city else None,
                           divisions=len(quota.counties_by_city(catalog().call["province"]).get(found.city, ())))  # fmt: skip


@bp.post("/applications/<int:app_id>/status")
def change_status(app_id: int):
    """Move an application on: once, by the role the process names, with the reason it needs."""
    found = visible(app_id)
    new, note = request.form.get("status", ""), request.form.get("note", "").strip()[:2000]
    back = redirect(url_for("admin.application", app_id=app_id), 303)
    if not policy.may_move(g.actor, found, new):
        flash(f"不能将状态从“{found.status}”改为“{new}”。")
        return back
    if new in states.NEEDS_NOTE and not note:
        flash("请填写理由：申报人会看到它。")
        return back
    values = {}
    if g.actor.role == policy.CITY:
        quota.ensure(catalog().call)
        # The city's opinion is the 上级教育行政部门意见 printed on the 申报书.
        values["authority_opinion"] = note or "同意推荐。"
        if new == states.SUBMITTED and not quota.take(found.call_id, found.city):
            db.session.rollback()
            flash(f"{found.city}的推荐名额已用完，不能再推荐。")
            return back
    if problem := workflow.move(found, new, current_staff(), note, **values):
        db.session.rollback()
        flash(problem)
        return back
    db.session.commit()
    flash(f"状态已改为“{new}”。")
    return back


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
    """Download an attachment, current or replaced, of something this account may see."""
    found = db.session.get(Attachment, attachment_id) or abort(404)
    if found.application_id is not None:
        visible(found.application_id)
    elif not policy.may_use(g.actor, "briefings"):
        abort(404)
    return storage.send_attachment(found)


@bp.get("/applications/<int:app_id>/shenbaoshu.docx")
def application_docx(app_id: int):
    """Download the 申报书 generated from the application."""
    from ..apply.docx import build_docx

    found = visible(app_id)
    stream = build_docx(found, catalog().call, catalog().direction(found.direction_id))
    return storage.send_docx(stream, found.receipt_no)
