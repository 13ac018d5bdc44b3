"""Staff issue, rotate and revoke the 承训单位's upload codes for 工作简报; a new code is shown once."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for

from ..briefings import codes
from . import bp, current_staff


def catalog():
    return current_app.extensions["catalog"]


def render_codes(new: tuple[str, str] | None = None, status: int = 200):
    """Every 承训单位 in the data with its number of projects and the state of its code."""
    existing = codes.all_codes()
    projects: dict[str, int] = {}
    for project in catalog().projects:
        if project.get("institution"):
            projects[project["institution"]] = projects.get(project["institution"], 0) + 1
    rows = [{"name": name, "projects": projects.get(name, 0), "code": existing.get(name)} for name in catalog().institutions]
    return render_template("admin/unit_codes.html", rows=rows, new=new), status


@bp.get("/unit-codes")
def unit_codes():
    """List the 承训单位 and their upload codes (never the codes themselves: only digests are kept)."""
    return render_codes()


def chosen_institution() -> str | None:
    name = request.form.get("institution", "")
    return name if name in catalog().institutions else None


@bp.post("/unit-codes/issue")
def issue_unit_code():
    """Make a new code for one 承训单位 (the old one stops working) and show it on this response only."""
    name = chosen_institution()
    if name is None:
        flash("所选承训单位不在数据中。")
        return redirect(url_for("admin.unit_codes"), 303)
    code = codes.issue(name, current_staff())
    # No redirect: the code lives only in this response, never in a URL, the session or the database.
    return render_codes((name, code))


@bp.post("/unit-codes/revoke")
def revoke_unit_code():
    """Stop one 承训单位's code; its signed-in sessions end with it."""
    name = chosen_institution()
    if name is None:
        flash("所选承训单位不在数据中。")
    elif codes.revoke(name):
        flash(f"已停用 {name} 的上传码。")
    else:
        flash(f"{name} 没有有效的上传码。")
    return redirect(url_for("admin.unit_codes"), 303)
