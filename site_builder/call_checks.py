"""Checks of calls' result dates and their 立项 projects (call_projects.yaml) that Table Schema cannot state."""

from __future__ import annotations

import datetime as dt
import re

from .call_results import leader_key
from .dataset import Dataset
from .problems import Problem
from .rule_checks import _both_dates, _problem

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
# Published results carry name, title and unit only (个人信息保护法): a mobile or landline
# number or an e-mail address in any text field is refused.
_CONTACT = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)|[\w.+-]+@[\w-]+(\.[\w-]+)+")
_TEXT_FIELDS = ("name", "leader", "leader_title", "unit", "note")


def check_call_dates(dataset: Dataset) -> list[Problem]:
    """公示 after the deadline, its end not before its start, 公布 not before either."""
    out = []
    for call in dataset.get("calls"):
        deadline, start, end, announced = (call.get(k) for k in ("deadline", "publicity_start", "publicity_end", "announced"))
        if _both_dates(deadline, start) and start <= deadline:
            out.append(_problem(call, "publicity_start", start, f"公示应在申报截止日期 {deadline} 之后开始"))
        if end is not None and start is None:
            out.append(_problem(call, "publicity_end", end, "填写了公示结束日期，但没有公示开始日期", "请补充 publicity_start"))
        if _both_dates(start, end) and end < start:
            out.append(_problem(call, "publicity_end", end, f"早于公示开始日期 {start}"))
        if _both_dates(deadline, announced) and announced <= deadline:
            out.append(_problem(call, "announced", announced, f"立项公布日期应晚于申报截止日期 {deadline}"))
        if _both_dates(end, announced) and announced < end:
            out.append(_problem(call, "announced", announced, f"早于公示结束日期 {end}", "公示期满后才能正式公布立项名单"))
    return out


def check_call_projects(dataset: Dataset, today: dt.date | None = None) -> list[Problem]:
    """Each 立项 project fits its call and direction, states its 结项 truthfully on `today`, publishes no contacts."""
    today = today or dt.datetime.now(CHINA).date()
    calls, directions = dataset.index("calls"), dataset.index("call_directions")
    out: list[Problem] = []
    seen: dict[tuple, object] = {}
    for record in dataset.get("call_projects"):
        call, direction = calls.get(_text(record.get("call"))), directions.get(_text(record.get("direction")))
        if call and direction and direction.get("call") != call.get("id"):
            out.append(_problem(record, "direction", record.get("direction"), f"不属于申报通知 {call['id']}", "请选用该申报通知的申报方向"))
        out.extend(_against_direction(record, direction))
        out.extend(_state(record, call, today))
        for field in _TEXT_FIELDS:
            value = record.get(field)
            if isinstance(value, str) and _CONTACT.search(value):
                out.append(_problem(record, field, value, "含有电话号码或电子邮箱", "立项名单只公布姓名、职称职务和单位，请删除联系方式"))
        key = (_text(record.get("call")), *leader_key(record.get("leader"), record.get("unit")))
        first = seen.setdefault(key, record)
        if first is not record:
            message = f"负责人 {record.get('leader')}（{record.get('unit')}）在同一申报通知中已有立项项目（第 {first.line} 行）"
            out.append(_problem(record, "leader", record.get("leader"), message, "每人限报 1 个项目：请核对是否重复录入"))
    out.extend(_undated_results(dataset))
    return out


def _text(value) -> str | None:
    """A reference as written, or None when it is not text (a list, a mapping: the schema reports it)."""
    return value if isinstance(value, str) else None


def _against_direction(record, direction) -> list[Problem]:
    if not direction:
        return []
    out = []
    for field, label, unit in (("due", "结项时间", ""), ("funding", "经费资助", " 万元")):
        value, expected = record.get(field), direction.get(field)
        if isinstance(value, type(expected)) and value != expected:  # a wrong type is the schema's to report
            hint = "如属延期或调整经费，请在 note 中注明依据"
            out.append(_problem(record, field, value, f"与申报方向的{label} {expected}{unit} 不一致", hint, "warning"))
    return out


def _state(record, call, today: dt.date) -> list[Problem]:
    state, finished, due = record.get("state"), record.get("finished"), record.get("due")
    if state == "已结项" and finished is None:
        return [_problem(record, "finished", None, "结项状态为“已结项”时须填写结项日期", "请补充 finished: YYYY-MM-DD")]
    if state != "已结项" and finished is not None:
        return [_problem(record, "finished", finished, f"结项状态为“{state}”，不应有结项日期", "已通过结项请把 state 改为 已结项")]
    if call and _both_dates(call.get("deadline"), finished) and finished <= call["deadline"]:
        return [_problem(record, "finished", finished, f"早于申报截止日期 {call['deadline']}")]
    if isinstance(finished, dt.date) and finished > today:
        return [_problem(record, "finished", finished, f"晚于今天 {today}", "结项日期须是已经过去的日期")]
    if state == "未按期结项" and isinstance(due, dt.date) and due >= today:
        return [_problem(record, "state", state, f"结项时间 {due} 尚未过去", "结项时间之前请填 在研")]
    if state == "在研" and isinstance(due, dt.date) and due < today:
        hint = "已通过结项请填 已结项 和结项日期，否则填 未按期结项"
        return [_problem(record, "state", state, f"结项时间 {due} 已过，仍为“在研”", hint, "warning")]
    return []


def _undated_results(dataset: Dataset) -> list[Problem]:
    """A call with 立项 projects but no 公示 or 公布 date: the site cannot say since when."""
    with_results = {_text(r.get("call")) for r in dataset.get("call_projects")}
    return [
        _problem(
            call,
            "id",
            call.get("id"),
            "已录入立项项目，但没有公示开始日期或立项公布日期",
            "请补充 publicity_start / publicity_end 或 announced",
            "warning",
        )
        for call in dataset.get("calls")
        if call.get("id") in with_results and not call.get("publicity_start") and not call.get("announced")
    ]
