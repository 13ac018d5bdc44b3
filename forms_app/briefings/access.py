"""Who may do what with 工作简报 — the one place these rules live.

- A 承训单位 signs in with its upload code (codes.py); the session remembers which code row and
  which generation of it, so a new or revoked code signs every old session out.
- A signed-in unit may file 简报 only for the projects the data says it runs (projects.institution)
  and may see, download and replace only the 简报 it filed itself.
- Every refusal looks the same whether the project or 简报 belongs to another unit or does not
  exist at all, so refusals tell nothing about other units.
"""

from __future__ import annotations

import functools
import time

from flask import abort, current_app, flash, g, make_response, redirect, render_template, session, url_for

from ..database import db
from ..models import Briefing, UnitCode, utcnow

SESSION_KEY = "unit"
DEFAULT_HOURS = 12  # a signed-in unit is signed out after this long, however active (UNIT_SESSION_HOURS)
NOT_OWN_PROJECT = "只能为本单位承训的项目上传简报。请返回上传页，从“项目”列表中选择。"


def catalog():
    return current_app.extensions["catalog"]


def sign_in(row: UnitCode) -> None:
    """Remember the unit of a valid code in the session (other session keys are left alone)."""
    session[SESSION_KEY] = {"id": row.id, "gen": row.generation, "since": time.time()}
    row.last_used_at = utcnow()
    db.session.commit()
    g.unit = row.institution


def sign_out() -> None:
    session.pop(SESSION_KEY, None)
    g.unit = None


def current_unit() -> str | None:
    """The 承训单位 signed in on this request, or None; a stale session is ended here."""
    if "unit" in g:
        return g.unit
    held = session.get(SESSION_KEY)
    g.unit = None
    if not isinstance(held, dict):
        return None
    row = db.session.get(UnitCode, held.get("id")) if isinstance(held.get("id"), int) else None
    hours = current_app.config.get("UNIT_SESSION_HOURS", DEFAULT_HOURS)
    fresh = time.time() - float(held.get("since") or 0) <= hours * 3600
    if row is not None and row.code_hash is not None and row.generation == held.get("gen") and fresh:
        g.unit = row.institution
    else:
        session.pop(SESSION_KEY, None)
        g.unit_ended = True
    return g.unit


def unit_required(view):
    """The view runs only for a signed-in unit; others go to the sign-in page."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if current_unit() is None:
            flash(ended_message() or "请先用上传码登录。")
            return redirect(url_for("briefings.form"), 303)
        return view(*args, **kwargs)

    return wrapped


def ended_message() -> str | None:
    """Why a unit that was signed in no longer is (its code changed or the session grew too old)."""
    if g.get("unit_ended"):
        return "登录已失效（上传码已更换或停用，或登录时间过长），请重新输入上传码登录。"
    return None


def projects_of(unit: str) -> list[dict]:
    """The projects `unit` runs, from the data, newest year first."""
    return [p for p in catalog().projects if p.get("institution") == unit]


def project_for_filing(unit: str, project_id: str) -> dict:
    """The project `unit` may file for; 403 for any other id, its own or not, existing or not."""
    project = catalog().projects_by_id.get(project_id)
    if project is None or project.get("institution") != unit:
        page = render_template("errors/error.html", code=403, title="无权上传", message=NOT_OWN_PROJECT)
        abort(make_response(page, 403))
    return project


def own_briefing(unit: str, briefing_id: int) -> Briefing:
    """A 简报 `unit` filed; 404 for any other, whether another unit's or none at all."""
    found = db.session.get(Briefing, briefing_id)
    if found is None or found.institution != unit:
        abort(404)
    return found
