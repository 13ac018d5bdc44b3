"""Moving an application from one status to the next: once, recorded, and told to the applicant.

Every move is a compare-and-set (UPDATE … WHERE status = the status the actor saw): of two
simultaneous moves from one status only one changes a row, the other is told to reload. This
holds on SQLite and PostgreSQL without row locks.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import update

from .. import mail
from ..database import db
from ..models import Application, StatusChange, utcnow
from . import states
from .models import audit

CONFLICT = "该申报的状态刚刚已被他人更改，请刷新页面后再操作。"

STATUS_MAIL = {
    states.CITY_REVIEW: "您的申报已确认提交，正在等待所在省辖市教育局审核推荐。",
    states.SUBMITTED: "您的申报已提交至省教育厅，等待受理。",
    states.NOT_RECOMMENDED: "所在省辖市教育局未推荐您的申报。",
    states.RETURNED: "您的申报被退回修改。请打开专用链接查看退回原因，修改后重新提交。",
    states.ACCEPTED: "您的申报已受理，进入专家评审。",
    states.APPROVED: "您的申报已立项。请在结项时间前通过专用链接上传结项材料。",
    states.REJECTED: "您的申报未获立项。",
    states.COMPLETED: "您的项目已确认结项。",
}


def move(application: Application, new: str, actor: str, note: str = "", **values) -> str | None:
    """Move `application` to `new` in the current transaction; None when done, else why not (Chinese).

    The caller commits. `values` are further columns set in the same UPDATE.
    """
    old = application.status
    changed = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == old)
        .values(status=new, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return CONFLICT
    db.session.add(StatusChange(application_id=application.id, old_status=old, new_status=new, staff_username=actor, note=note))
    audit(actor, f"状态：{old} → {new}", application.id, note)
    if text := STATUS_MAIL.get(new):
        notify(application, f"申报状态：{new}", text + (f"\n\n说明：{note}" if note else ""))
    db.session.expire(application)
    return None


def notify(application: Application, subject: str, text: str, token: str | None = None) -> None:
    """Queue a mail to the applicant; the private link is only known when `token` is given."""
    number = f"受理编号：{application.receipt_no}\n" if application.receipt_no else ""
    link = f"专用链接：{url_for('apply.receipt', token=token, _external=True)}\n" if token else f"请使用您收到的专用链接查看详情；链接丢失时可在 {url_for('apply.find', _external=True)} 找回。\n"
    body = f"{application.leader_name or '申报人'}：\n\n{text}\n\n项目名称：{application.project_name or '（未填写）'}\n{number}{link}\n此邮件由系统自动发送，请勿回复。"
    mail.queue(application.leader_email, f"【出彩项目申报】{subject}", body)
