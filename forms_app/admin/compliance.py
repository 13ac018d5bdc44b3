"""The 工作简报 compliance board: every project in the data, what is due by today, with filters.

Shared with the CSV / Excel export (exports.py), so the page and the download always agree.
"""

from __future__ import annotations

from flask import current_app, render_template, request, url_for

from ..briefings import due
from . import bp

NO_INSTITUTION = "-"  # the institution filter's value for projects whose notice names no 承训单位
FILTERS = ("province", "year", "institution", "status")
EXPORT_HEADER = "项目编号 年度 省份 项目名称 承训单位 培训开始日期 培训结束日期 已收期数 要求期数 情况 统计日期".split()


def catalog():
    return current_app.extensions["catalog"]


def board(args, today) -> list[dict]:
    """The projects matching the filters in `args`, each with its 期 count and status on `today`."""
    wanted = {k: args.get(k, "") for k in FILTERS}
    projects = [p for p in catalog().projects if _matches(p, wanted)]
    counts = due.issue_counts()
    rows = []
    for project in projects:
        count = counts.get(project["id"], 0)
        status = due.training_status(project, count, today)
        if wanted["status"] and status != wanted["status"]:
            continue
        rows.append({**project, "count": count, "status": status, "status_text": due.status_text(status, count),
                     "period": due.period_text(project), "short": status == due.SHORT})  # fmt: skip
    return rows


def _matches(project: dict, wanted: dict) -> bool:
    if wanted["province"] and project["province"] != wanted["province"]:
        return False
    if wanted["year"] and str(project["year"]) != wanted["year"]:
        return False
    institution = project.get("institution") or NO_INSTITUTION
    return not wanted["institution"] or institution == wanted["institution"]


def compliance_rows(args):
    """The board as a table for the export: header and rows, with the day it was counted."""
    today = current_app.config["CLOCK"]()
    rows = [
        [r["id"], r["year"], r["province"], r["name"], r.get("institution") or "原文未列", str(r.get("training_start") or ""),
         str(r.get("training_end") or ""), r["count"], due.MIN_ISSUES, r["status_text"], today.isoformat()]
        for r in board(args, today)
    ]  # fmt: skip
    return EXPORT_HEADER, rows


@bp.get("/compliance")
def compliance():
    """For every project in the data: 期 received and whether that is short of what is due today."""
    today = current_app.config["CLOCK"]()
    rows = board(request.args, today)
    totals = {status: sum(1 for r in rows if r["status"] == status) for status in due.STATUSES}
    projects = catalog().projects
    choices = {
        "provinces": sorted({p["province"] for p in projects}),
        "years": sorted({str(p["year"]) for p in projects}, reverse=True),
        "institutions": sorted({p["institution"] for p in projects if p.get("institution")}),
        "statuses": due.STATUSES,
    }
    kept = {k: v for k, v in request.args.items() if k in FILTERS and k != "status"}
    links = {status: url_for("admin.compliance", **kept, status=status) for status in due.STATUSES}
    filters = {k: v for k, v in request.args.items() if k in FILTERS}
    exports = {fmt: url_for("admin.export", kind="compliance", fmt=fmt, **filters) for fmt in ("csv", "xlsx")}
    return render_template("admin/compliance.html", board=rows, totals=totals, links=links, exports=exports, today=today, minimum=due.MIN_ISSUES,
                           no_institution=NO_INSTITUTION, **choices)  # fmt: skip
