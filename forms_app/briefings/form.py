"""The 工作简报 upload form: what was typed, what it means, and what is wrong with it."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select

from ..apply.form import text_problem
from ..database import db
from ..models import Briefing
from .access import project_for_filing

FIELDS = ("project_id", "issue_no", "title", "issued_on")
TITLE_LIMIT = 200
MAX_ISSUE = 99


def read_form(form, unit: str) -> tuple[dict, dict, dict]:
    """Return (values as typed, clean values, errors) for the text fields of `unit`'s upload.

    A project the unit does not run ends the request with 403 (access.project_for_filing):
    that is never a typing mistake, since the form offers only the unit's own projects.
    """
    values = {k: form.get(k, "").strip() for k in FIELDS}
    clean, errors = {}, {}
    if values["project_id"]:
        clean["project"] = project_for_filing(unit, values["project_id"])
    else:
        errors["project_id"] = "请从列表中选择项目。"
    if problem := text_problem("简报标题", values["title"], TITLE_LIMIT):
        errors["title"] = problem
    else:
        clean["title"] = values["title"]
    if values["issue_no"].isdigit() and 1 <= int(values["issue_no"]) <= MAX_ISSUE:
        clean["issue_no"] = int(values["issue_no"])
    else:
        errors["issue_no"] = f"期数请填写 1 到 {MAX_ISSUE} 之间的整数。"
    try:
        issued_on = dt.date.fromisoformat(values["issued_on"])
        if not dt.date(2000, 1, 1) <= issued_on <= current_app.config["CLOCK"]():
            errors["issued_on"] = "简报日期不能晚于今天。"
        else:
            clean["issued_on"] = issued_on
    except ValueError:
        errors["issued_on"] = "请填写简报日期（年-月-日）。"
    return values, clean, errors


def duplicate_message(unit: str, project_id: str, issue_no: int) -> str | None:
    """Why this 期 cannot be filed again, or None; another filer's receipt is never shown."""
    found = db.session.scalar(select(Briefing).where(Briefing.project_id == project_id, Briefing.issue_no == issue_no))
    if found is None:
        return None
    if found.institution != unit:
        return f"该项目的第 {issue_no} 期已有记录，不能重复上传。如有疑问，请联系省项目办。"
    return (f"该项目的第 {issue_no} 期简报已于 {found.created_at:%Y-%m-%d} 上传（受理编号 {found.receipt_no}），不能重复上传。"
            "如需更换文件，请在下方“本单位已上传的简报”中打开该期回执，在那里更换。")  # fmt: skip
