"""专家评审, the expert's side: the applications to score and one score form per application.

An expert opens only what policy.may_see allows (assigned direction, 受理 or later, not their
own unit's), anything else is 404 like a missing page; the score stays editable while the
application is 受理 and never shows another expert's marks.
"""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ..admin import bp, current_staff
from ..database import db
from ..models import Application, Staff, utcnow
from . import panel, policy, states
from .models import Score, audit
from .rubric import read_score, typed_from

CLOSED = "该申报的评审已经结束（省教育厅已作出立项决定），评分不能再修改。"


def me() -> Staff:
    return db.session.scalar(select(Staff).where(Staff.username == g.actor.username))


@bp.get("/scoring")
@panel.requires("scoring")
def scoring():
    """List the applications this expert reviews, with their own scores and progress."""
    expert = me()
    rows = [a for a in panel.in_review() if policy.may_see(g.actor, a)]
    mine = {s.application_id: s for s in db.session.scalars(select(Score).where(Score.staff_id == expert.id))}
    open_rows = [a for a in rows if a.status == states.ACCEPTED]
    done = sum(1 for a in open_rows if a.id in mine)
    return render_template("review/scoring.html", rows=rows, mine=mine, done=done, todo=len(open_rows),
                           directions={d["id"]: d for d in panel.catalog().directions}, criteria=panel.criteria())  # fmt: skip


@bp.route("/scoring/<int:app_id>", methods=["GET", "POST"])
@panel.requires("scoring")
def score(app_id: int):
    """Show the application and this expert's score form; save the score while review is open."""
    found = panel.this_call(app_id)
    if found is None or not policy.may_see(g.actor, found):
        abort(404)
    expert, criteria = me(), panel.criteria()
    mine = db.session.scalar(select(Score).where(Score.application_id == found.id, Score.staff_id == expert.id))
    editable = policy.may_score(g.actor, found) and bool(criteria)
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not editable:
            flash(CLOSED if criteria else "本申报通知尚未设定评审指标，暂不能评分。")
            return redirect(url_for("admin.score", app_id=app_id), 303)
        typed, clean, errors = read_score(request.form, criteria)
        if not errors:
            if problem := save(found, expert, clean):
                flash(problem)
                return redirect(url_for("admin.score", app_id=app_id), 303)
            flash(f"已保存对 {found.receipt_no} 的评分：总分 {clean['total']:g} 分。省教育厅作出立项决定前可以修改。")
            return redirect(url_for("admin.scoring"), 303)
    else:
        typed = typed_from(mine, criteria)
    page = render_template("review/score.html", a=found, mine=mine, criteria=criteria, editable=editable,
                           data=SimpleNamespace(values=typed, errors=errors),
                           direction=panel.catalog().direction(found.direction_id))  # fmt: skip
    return page, 422 if errors else 200


def save(application: Application, expert: Staff, clean: dict) -> str | None:
    """Store the expert's one score for `application` and commit; why not (Chinese) otherwise."""
    for _attempt in range(2):
        # Compare-and-set on the application: the score is taken only while it is still 受理. On
        # PostgreSQL this no-op UPDATE also holds the row until commit, so a 立项 decision made at
        # the same moment waits for the score instead of overtaking it (SQLite writers queue anyway).
        still_open = db.session.execute(
            update(Application)
            .where(Application.id == application.id, Application.status == states.ACCEPTED)
            .values(status=Application.status, updated_at=Application.updated_at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if still_open != 1:
            db.session.rollback()
            return CLOSED
        row = db.session.scalar(select(Score).where(Score.application_id == application.id, Score.staff_id == expert.id))
        if row is None:
            row = Score(application_id=application.id, staff_id=expert.id)
            db.session.add(row)
        row.marks, row.total, row.comment, row.submitted_at = clean["marks"], clean["total"], clean["comment"], utcnow()
        audit(current_staff(), "专家评分" if row.id is None else "修改专家评分", application.id, f"总分 {clean['total']:g}")
        try:
            db.session.commit()
            return None
        except IntegrityError:  # the same form sent twice at once: the other request made the row; update it
            db.session.rollback()
    return "评分未能保存，请重试。"
