"""Checks of the programme's rules: scopes, durations, years, dates, training periods, text hygiene."""

from __future__ import annotations

import datetime as dt
import re

from .dataset import Dataset
from .durations import parse_duration
from .problems import Problem
from .yaml_records import Record

NAMED_SCOPE = "指定县"  # the scope whose counties a project lists itself
PLAN_YEARS = {"国培计划": (2021, 2025)}  # 教师函〔2021〕4号: the 2021—2025 plan


def _problem(record: Record, field: str, value, message: str, hint: str | None = None, severity: str = "error") -> Problem:
    shown = None if value is None else str(value)
    return Problem(record.file, record.line_of(field), message, field=field, value=shown, hint=hint, code="rule", severity=severity)


def check_project_scope(dataset: Dataset) -> list[Problem]:
    """指定县 projects list their counties; projects scoped to a county type have that list."""
    lists = {(r.get("province"), r.get("year"), r.get("type")) for r in dataset.get("county_lists")}
    out = []
    for record in dataset.get("projects"):
        scope, counties = record.get("scope"), record.get("counties") or []
        if scope == NAMED_SCOPE and not counties:
            out.append(_problem(record, "scope", scope, "实施范围为“指定县”时须在 counties 中列出各县"))
        elif scope != NAMED_SCOPE and counties:
            out.append(
                _problem(
                    record,
                    "counties",
                    "、".join(map(str, counties)),
                    f"实施范围为“{scope}”时不应再列县",
                    "列出具体县时请把 scope 改为 “指定县”",
                )
            )
        elif scope not in (NAMED_SCOPE, "全省", None):
            if (record.get("province"), record.get("year"), scope) not in lists:
                hint = "请在 county_lists.yaml 中补充该名单（可只填公布数量）"
                out.append(
                    _problem(
                        record, "scope", scope, f"找不到 {record.get('province')} {record.get('year')} 年的{scope}名单", hint, "warning"
                    )
                )
    return out


def check_durations(dataset: Dataset) -> list[Problem]:
    """offline_days / online_hours agree with the published duration text."""
    out = []
    for record in dataset.get("projects"):
        text = record.get("duration")
        if not isinstance(text, str):
            continue
        parsed = parse_duration(text)
        for field, figure, unit in (("offline_days", parsed.offline_days, "天"), ("online_hours", parsed.online_hours, "学时")):
            value = record.get(field)
            if value is None and figure is not None:
                out.append(_problem(record, field, None, f"未填写，培训时长原文含 {figure} {unit}", f"请补充 {field}: {figure}"))
            elif isinstance(value, int) and figure is not None and value != figure:
                out.append(_problem(record, field, value, f"与培训时长原文“{text}”不符", f"原文合计为 {figure} {unit}"))
            elif isinstance(value, int) and figure is None:
                out.append(_problem(record, field, value, f"培训时长原文“{text}”中没有以{unit}计的时长", "请核对原文或删除该字段"))
    return out


def check_years(dataset: Dataset) -> list[Problem]:
    """Years fall in the plan period and match the source document's year and province."""
    documents = dataset.index("documents")
    out = []
    for resource in ("projects", "county_lists"):
        for record in dataset.get(resource):
            year = record.get("year")
            span = PLAN_YEARS.get(record.get("programme"))
            if isinstance(year, int) and span and not span[0] <= year <= span[1]:
                out.append(_problem(record, "year", year, f"不在{record.get('programme')}规划期 {span[0]}—{span[1]} 年内"))
            document = documents.get(record.get("document"))
            if not document:
                continue
            if isinstance(year, int) and isinstance(document.get("year"), int) and year != document["year"]:
                out.append(_problem(record, "year", year, f"与来源文件 {document.get('id')} 的年度 {document['year']} 不符"))
            if document.get("province") not in ("全国", record.get("province")):
                out.append(_problem(record, "province", record.get("province"), f"与来源文件的省份 {document.get('province')} 不符"))
    return out


def check_dates(dataset: Dataset) -> list[Problem]:
    """Dates follow each other: written ≤ published, opens ≤ deadline < 结项时间."""
    out = []
    for record in dataset.get("documents"):
        date, published = record.get("date"), record.get("published")
        if _both_dates(date, published) and published < date:
            out.append(_problem(record, "published", published, f"早于成文日期 {date}"))
    calls = dataset.index("calls")
    for record in dataset.get("calls"):
        opens, deadline = record.get("opens"), record.get("deadline")
        if _both_dates(opens, deadline) and deadline < opens:
            out.append(_problem(record, "deadline", deadline, f"早于开始日期 {opens}"))
    for record in dataset.get("call_directions"):
        call = calls.get(record.get("call"))
        due = record.get("due")
        if call and _both_dates(call.get("deadline"), due) and due <= call["deadline"]:
            out.append(_problem(record, "due", due, f"不晚于申报截止日期 {call['deadline']}"))
    directed = {r.get("call") for r in dataset.get("call_directions")}
    for record in dataset.get("calls"):
        if record.get("id") not in directed:
            out.append(_problem(record, "id", record.get("id"), "没有任何申报方向（call_directions.yaml）"))
    return out


def check_training_periods(dataset: Dataset) -> list[Problem]:
    """A project's training ends no earlier than it starts, both within a year before and three after its year."""
    out = []
    for record in dataset.get("projects"):
        start, end, year = record.get("training_start"), record.get("training_end"), record.get("year")
        if _both_dates(start, end) and end < start:
            out.append(_problem(record, "training_end", end, f"早于培训开始日期 {start}"))
        for field in ("training_start", "training_end"):
            day = record.get(field)
            if isinstance(day, dt.date) and isinstance(year, int) and not year - 1 <= day.year <= year + 3:
                hint = f"项目年度为 {year}，培训日期应在 {year - 1}—{year + 3} 年之间；请核对原文"
                out.append(_problem(record, field, day, f"与项目年度 {year} 相差过远", hint))
    return out


def _both_dates(a, b) -> bool:
    return isinstance(a, dt.date) and isinstance(b, dt.date)


def check_county_lists(dataset: Dataset) -> list[Problem]:
    """A list with names has as many names as the published count."""
    out = []
    for record in dataset.get("county_lists"):
        count, names = record.get("count"), record.get("counties") or []
        if names and isinstance(count, int) and len(names) != count:
            out.append(_problem(record, "counties", f"{len(names)} 个县", f"与公布数量 count: {count} 不符"))
    return out


def check_pages(dataset: Dataset) -> list[Problem]:
    """Each document's full-text page exists under content/."""
    content = dataset.root.parent / "content"
    out = []
    for record in dataset.get("documents"):
        page = record.get("page")
        if isinstance(page, str) and not (content / page).is_file():
            out.append(_problem(record, "page", page, "在 content/ 中找不到该页面"))
    return out


# Extraction left spaces between Chinese characters ("豫章 师范学院").
_CJK_GAP = re.compile(r"[\u4e00-\u9fff（）“”][ \u3000]+[\u4e00-\u9fff（）“”]")


def check_text(dataset: Dataset) -> list[Problem]:
    """Text values carry no extraction noise: spaces inside Chinese, padding."""
    out = []
    for name, records in dataset.records.items():
        if name == "documents":
            continue  # issuers are joined by a space by convention (教育部 财政部)
        for record in records:
            for field, value in record.items():
                for item in value if isinstance(value, list) else [value]:
                    if not isinstance(item, str):
                        continue
                    if item != item.strip():
                        out.append(_problem(record, field, item, "首尾有多余空白", "请删除", "warning"))
                    elif _CJK_GAP.search(item):
                        out.append(_problem(record, field, item, "汉字之间有多余空格（可能是提取残留）", "请删除空格", "warning"))
    return out
