"""A lost private link: a new one by mail, for whoever holds the mailbox.

The page never says whether an address has applied; the mail does, to its owner. Only a digest
of each link is stored, so the old link cannot be sent again: opening the mailed recovery link
and pressing the button issues a new one, and the old one stops working.
"""

from __future__ import annotations

import secrets

from flask import current_app, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from .. import mail
from ..database import db
from ..models import Application, token_digest
from ..review.models import audit
from ..web import limiter, submit_limit
from . import bp, catalog
from .form import EMAIL, normalise_email

HOURS = 24


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="apply-recover")


@bp.route("/find", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def find():
    """Ask for the links of one's applications by e-mail."""
    if request.method == "GET":
        return render_template("apply/find.html")
    email = request.form.get("email", "").strip()[:254]
    if not EMAIL.fullmatch(normalise_email(email)):
        return render_template("apply/find.html", email=email, error="请填写申报时使用的电子邮箱，例如 name@example.com。"), 422
    key = normalise_email(email)
    found = db.session.scalars(select(Application).where(Application.call_id == catalog().call["id"], Application.email_key == key)).all()
    if found:
        lines = [f"{a.project_name or '（未填写项目名称）'}（{a.status}{'，受理编号 ' + a.receipt_no if a.receipt_no else ''}）：\n"
                 f"{url_for('apply.recover', code=_signer().dumps(a.id), _external=True)}" for a in found]  # fmt: skip
        body = (f"您申请找回出彩项目申报的专用链接。打开下面的链接并点击“生成新的专用链接”，旧链接随即失效（{HOURS} 小时内有效）：\n\n"
                + "\n\n".join(lines) + "\n\n如果不是您本人操作，请忽略此邮件。")  # fmt: skip
        mail.queue(found[0].leader_email, "【出彩项目申报】找回专用链接", body)
        audit("申报人", "请求找回专用链接", found[0].id)
        db.session.commit()
    return render_template("apply/find.html", sent=True, email=email)


@bp.route("/recover/<code>", methods=["GET", "POST"])
@limiter.limit(submit_limit, methods=["POST"])
def recover(code: str):
    """The mailed link: one button (mail scanners open links) that issues a new private link."""
    try:
        app_id = _signer().loads(code, max_age=HOURS * 3600)
    except BadSignature:
        return render_template("apply/find.html", error="找回链接无效或已过期，请重新申请。"), 400
    application = db.session.get(Application, app_id) if isinstance(app_id, int) and 0 < app_id < 2**31 else None
    if application is None:
        return render_template("apply/find.html", error="找回链接无效或已过期，请重新申请。"), 400
    if request.method == "GET":
        return render_template("apply/find.html", recover=application, code=code)
    token = secrets.token_urlsafe(32)
    application.token_hash = token_digest(token)
    audit("申报人", "生成新的专用链接", application.id)
    db.session.commit()
    return redirect(url_for("apply.receipt", token=token), 303)
