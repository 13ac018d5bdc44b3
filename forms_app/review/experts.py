"""专家评审, staff side: assigning experts to directions, with conflicts of interest shown.

Routes register on the admin blueprint (its login and policy guard them); the scoring and
ranking routes live in scoring.py and ranking.py, imported at the end. The rubric is read
once when the blueprint is registered on an app.
"""

from __future__ import annotations

from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..admin import bp, current_staff
from ..database import db
from ..models import Staff
from . import panel, policy, states
from .models import ExpertAssignment, audit
from .rubric import load_rubrics


@bp.record_once
def _load_rubrics(state) -> None:
    state.app.extensions["rubrics"] = load_rubrics(Path(state.app.config["DATA_DIR"]))


@bp.get("/experts")
@panel.requires("experts")
def experts():
    """Show every expert with a checkbox per direction, and whom each must not review."""
    staff, assigned = panel.experts(), panel.assignments()
    reviewed = panel.in_review()
    conflicts = {e.id: [a for a in reviewed if policy.conflicted(panel.as_actor(e), a)] for e in staff}
    accepted = [a for a in reviewed if a.status == states.ACCEPTED]
    without_panel = [a for a in accepted if not panel.panel(a, staff, assigned)[0]]
    per_direction = {d["id"]: sum(1 for a in accepted if a.direction_id == d["id"]) for d in panel.catalog().directions}
    return render_template("review/experts.html", staff=staff, assigned=assigned, conflicts=conflicts, without_panel=without_panel,
                           per_direction=per_direction, directions=panel.catalog().directions)  # fmt: skip


@bp.post("/experts")
@panel.requires("experts")
def assign_expert():
    """Set the directions one expert reviews to exactly those ticked."""
    back = redirect(url_for("admin.experts"), 303)
    expert = db.session.get(Staff, panel.row_id(request.form.get("staff_id", "")))
    if expert is None or expert.role != policy.EXPERT:
        flash("没有这位评审专家，请刷新页面后重试。")
        return back
    known = {d["id"]: d for d in panel.catalog().directions}
    wanted = set(request.form.getlist("direction"))
    if wanted - known.keys():
        flash("所选申报方向不存在，请刷新页面后重试。")
        return back
    for _attempt in range(2):
        try:
            _set_directions(expert, wanted, known)
            db.session.commit()
            break
        except IntegrityError:  # the same form sent twice at once: the other request added these rows
            db.session.rollback()
    else:
        flash("分配刚刚被他人同时修改，请刷新页面后重试。")
        return back
    flash(f"已保存 {expert.username} 评审的申报方向。")
    return back


def _set_directions(expert: Staff, wanted: set[str], known: dict) -> None:
    """Add and remove assignment rows in the current transaction, with an audit line of what changed."""
    have = set(db.session.scalars(select(ExpertAssignment.direction_id).where(ExpertAssignment.staff_id == expert.id)))
    added, removed = wanted - have, have - wanted
    if not added and not removed:
        return
    db.session.add_all(ExpertAssignment(staff_id=expert.id, direction_id=d) for d in sorted(added))
    if removed:
        db.session.execute(
            delete(ExpertAssignment).where(ExpertAssignment.staff_id == expert.id, ExpertAssignment.direction_id.in_(removed))
        )
    db.session.flush()

    def names(ids) -> str:
        return "、".join(f"{known[d]['number']}. {known[d]['name']}" for d in sorted(ids, key=lambda i: known[i]["number"]))

    detail = "；".join(part for part in (added and f"新增 {names(added)}", removed and f"取消 {names(removed)}") if part)
    audit(current_staff(), "专家分配", None, f"{expert.username}：{detail}")


from . import ranking, scoring  # noqa: E402,F401  (their routes register on bp too)
