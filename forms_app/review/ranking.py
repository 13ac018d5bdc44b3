"""专家评审, the province's side: the progress board, the ranking, 立项 decisions and the CSV export.

Decisions go through workflow.move (compare-and-set on the status, audited, mailed), so two
staff deciding one application at once cannot both succeed.
"""

from __future__ import annotations

import csv
import io

from flask import flash, g, redirect, render_template, request, send_file, url_for

from ..admin import bp, current_staff
from ..admin.exports import safe_cell
from ..database import db
from . import panel, policy, states, workflow
from .models import audit
from .standings import CSV_HEADER, counts, csv_rows, standings

DECISIONS = {states.APPROVED: "立项", states.REJECTED: "不立项"}


def _directions() -> dict[str, dict]:
    return {d["id"]: d for d in panel.catalog().directions}


def _chosen_direction() -> str | None:
    chosen = request.args.get("direction", "")
    return chosen if chosen in _directions() else None


@bp.get("/review-progress")
@panel.requires("ranking")
def review_progress():
    """Show, per application, its experts and who has scored; per expert, how far they are."""
    rows, staff, assigned = standings(), panel.experts(), panel.assignments()
    open_rows = [r for r in rows if r.application.status == states.ACCEPTED]
    per_expert = [(e, sum(e in r.members for r in open_rows), sum(e.id in r.totals for r in open_rows)) for e in staff]
    rows.sort(key=lambda r: r.application.receipt_no or "")
    return render_template("review/progress.html", rows=rows, per_expert=per_expert, assigned=assigned, directions=_directions(),
                           counts=counts(rows))  # fmt: skip


@bp.get("/ranking")
@panel.requires("ranking")
def ranking():
    """Rank the applications in review by mean score, overall or within one direction, with the 拟立项数 line."""
    direction = _chosen_direction()
    rows = standings(direction)
    everything = rows if direction is None else standings()
    summary = [(d, counts([r for r in everything if r.application.direction_id == d["id"]])) for d in panel.catalog().directions]
    return render_template("review/ranking.html", rows=rows, direction=direction, directions=_directions(), summary=summary,
                           counts=counts(everything), planned=panel.catalog().call.get("planned"))  # fmt: skip


@bp.get("/ranking.csv")
@panel.requires("ranking")
def ranking_csv():
    """Download the ranking shown (overall or one direction) as CSV for Excel."""
    direction = _chosen_direction()
    rows = csv_rows(standings(direction), _directions(), panel.catalog().call.get("planned") if direction is None else None)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    audit(current_staff(), "导出评审排名", None, f"方向：{direction or '全部'}，{len(rows)} 行")
    db.session.commit()
    name = f"ranking-{direction}.csv" if direction else "ranking.csv"
    # A byte order mark makes Excel read the CSV as UTF-8.
    return send_file(io.BytesIO(("\ufeff" + out.getvalue()).encode("utf-8")), as_attachment=True, download_name=name, mimetype="text/csv")


@bp.post("/ranking/<int:app_id>/decision")
@panel.requires("ranking")
def decide(app_id: int):
    """立项 or 不立项 for one application under review, once."""
    direction = _chosen_direction()
    back = redirect(url_for("admin.ranking", direction=direction) + f"#a{app_id}", 303)
    found, new = panel.this_call(app_id), request.form.get("status", "")
    if found is None or new not in DECISIONS:
        flash("无法处理该决定，请刷新页面后重试。")
        return back
    if not policy.may_move(g.actor, found, new):
        flash(f"{found.receipt_no} 的状态已是“{found.status}”，不能再改为“{new}”。")
        return back
    standing = next(r for r in standings(found.direction_id) if r.application.id == found.id)
    receipt = found.receipt_no
    if problem := workflow.move(found, new, current_staff()):
        db.session.rollback()
        flash(problem)
        return back
    db.session.commit()
    messages = [f"{receipt} 已{DECISIONS[new]}。"]
    if missing := len(standing.members) - standing.scored:
        messages.append(f"注意：作出决定时尚有 {missing} 位评审专家未评分。")
    planned, approved = panel.catalog().call.get("planned"), counts(standings())["approved"]
    if new == states.APPROVED and planned and approved > planned:
        messages.append(f"已立项 {approved} 项，超过拟立项数 {planned} 项。")
    flash("".join(messages))
    return back
