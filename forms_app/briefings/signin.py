"""A 承训单位 signs in with its upload code and out again."""

from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from ..web import limiter
from . import bp, codes
from .access import sign_in, sign_out
from .views import signin_page

DEFAULT_LIMIT = "10 per minute"  # per client; a code has 80 random bits, so this only stops noise


def signin_limit() -> str:
    return current_app.config.get("UNIT_SIGNIN_RATE_LIMIT", DEFAULT_LIMIT)


@bp.post("/signin")
@limiter.limit(signin_limit, methods=["POST"])
def signin():
    """Sign the unit of a valid code in; a wrong code gets one answer, whatever it was."""
    typed = request.form.get("code", "")[:100]
    if not typed.strip():
        return signin_page("请输入上传码。", 422)
    row = codes.find(typed)
    if row is None:
        return signin_page("上传码不正确。请核对后重新输入（不区分大小写，短横线可省略）；如遗失，请联系省项目办重新发放。", 401)
    sign_in(row)
    return redirect(url_for("briefings.form"), 303)


@bp.post("/signout")
def signout():
    """Sign the unit out."""
    sign_out()
    flash("已退出登录。")
    return redirect(url_for("briefings.form"), 303)
