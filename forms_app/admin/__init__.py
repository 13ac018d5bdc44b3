"""Staff area: login with an idle timeout in front of every /admin page."""

from __future__ import annotations

import functools
import re
import secrets
import time

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import db
from ..models import Staff
from ..review.models import ExpertAssignment
from ..review.policy import Actor, may_use
from ..web import account_key, limiter

bp = Blueprint("admin", __name__, url_prefix="/admin")
PUBLIC = {"admin.login"}
# Where a login may return to: a path of this area, printable ASCII only (no CR/LF to split the
# Location header, no backslash or “//” for a browser to read as another host).
SAFE_NEXT = re.compile(r"/admin/(?![/\\])[!-\[\]-~]*")


@functools.cache
def dummy_hash() -> str:
    """Checked when no such user exists, so a wrong name costs as long as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def current_staff() -> str | None:
    return session.get("staff")


# The staff area each endpoint belongs to (review/policy.py decides who may use it); endpoints
# about one application ask the policy about that application instead.
AREAS = {
    "admin.index": "applications", "admin.applications": "applications", "admin.briefings": "briefings",
    "admin.briefing": "briefings", "admin.compliance": "compliance", "admin.export": "export",
    "admin.approved_yaml": "export", "admin.unit_codes": "unit_codes", "admin.issue_unit_code": "unit_codes",
    "admin.revoke_unit_code": "unit_codes", "admin.experts": "experts", "admin.assign_expert": "experts",
    "admin.ranking": "ranking", "admin.ranking_csv": "ranking", "admin.review_progress": "ranking", "admin.decide": "ranking",
    "admin.completion_board": "completion_board", "admin.quotas": "quotas", "admin.scoring": "scoring", "admin.score": "scoring",
}  # fmt: skip


def _current_actor() -> Actor | None:
    """The signed-in account as the policy sees it, if the cookie's session version is the
    account's own (no logout or reset since it was issued)."""
    staff = db.session.scalar(select(Staff).where(Staff.username == current_staff()))
    if staff is None or staff.session_version != session.get("sv"):
        return None
    directions = frozenset(db.session.scalars(select(ExpertAssignment.direction_id).where(ExpertAssignment.staff_id == staff.id)))
    return Actor(staff.role, staff.username, staff.city, staff.unit, directions)


@bp.before_request
def require_login():
    """Every /admin page except the login form needs a staff session that has been neither idle
    too long nor open longer than the absolute limit, however active."""
    if request.endpoint in PUBLIC:
        return None
    now, config = time.time(), current_app.config
    idle_ok = now - session.get("seen", 0) <= config["ADMIN_IDLE_MINUTES"] * 60
    young = now - session.get("since", 0) <= config["ADMIN_SESSION_HOURS"] * 3600
    if current_staff() and idle_ok and young and (actor := _current_actor()):
        session["seen"] = now
        g.actor = actor
        area = AREAS.get(request.endpoint or "")
        if area and not may_use(actor, area):
            abort(403)
        return None
    expired = bool(current_staff())
    session.pop("staff", None)
    if expired:
        flash("登录已超时，请重新登录。")
    return redirect(url_for("admin.login", next=request.full_path if request.method == "GET" else None))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@limiter.limit("5 per minute;20 per hour", key_func=account_key, methods=["POST"])
def login():
    """Show the login form and sign a staff member in."""
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        # No account name holds a NUL (PostgreSQL cannot even compare one): no such user.
        staff = None if "\x00" in username else db.session.scalar(select(Staff).where(Staff.username == username))
        ok = check_password_hash(staff.password_hash if staff else dummy_hash(), request.form.get("password", ""))
        if staff and ok:
            session.clear()
            session.permanent = True
            session["staff"], session["seen"], session["since"] = staff.username, time.time(), time.time()
            session["sv"] = staff.session_version
            target = request.args.get("next", "")
            return redirect(target if SAFE_NEXT.fullmatch(target) else url_for("admin.applications"), 303)
        error = "用户名或密码不正确。"
    return render_template("admin/login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout():
    """Sign out, here and in every other browser holding a copy of this account's session."""
    if current_staff():
        staff = db.session.scalar(select(Staff).where(Staff.username == current_staff()))
        if staff is not None and staff.session_version == session.get("sv"):
            staff.session_version += 1
            db.session.commit()
    session.clear()
    flash("已退出登录。")
    return redirect(url_for("admin.login"), 303)


from ..review import completion, experts  # noqa: E402,F401  (结项 board; 专家评审: experts, scoring, ranking)
from . import compliance, exports, unit_codes, views  # noqa: E402,F401  (routes register on bp)
