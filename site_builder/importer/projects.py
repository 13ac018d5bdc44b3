"""Project records from the data rows of a plan table."""

from __future__ import annotations

from ..durations import parse_duration
from . import resolve
from .context import Context
from .grid import Row, clean_text, parse_count
from .headers import PROJECT_HEADERS, Header
from .outcome import Built, Outcome, classify, note_text
from .placeholders import placeholder

PROGRAMMES = ("国培计划", "省培计划", "中小学教师素质提升工程")
TRACKS = ("中西部骨干项目", "示范项目")
NEEDED_COLUMNS = ("name", "participants", "scope", "institution", "duration")


def build(rows: list[Row], header: Header, ctx: Context, source: str) -> Outcome:
    """One record per data row, in table order, with ids after the highest in use."""
    title = " ".join(clean_text(c) for row in rows[: header.index] for c in dict.fromkeys(row.cells) if c.strip())
    fixed = _fixed_fields(title, ctx, "category" in header.columns)
    out = Outcome("projects", source, header, f"{ctx.province} {ctx.year} 年，文件 {ctx.document.get('id')}")
    out.placeholders = [f for f, v in fixed.items() if isinstance(v, str) and v.startswith("【待填】")]
    out.missing_columns = [PROJECT_HEADERS[f][0] for f in NEEDED_COLUMNS if f not in header.columns]
    prefix = f"{ctx.code}{ctx.year}-"
    number = ctx.next_number(prefix)
    for row in rows[header.index + 1 :]:
        why = classify(row, header)
        if why:
            if why != "空行":
                out.skipped.append((row.where, why))
            continue
        built = _project(row, header, ctx, fixed)
        built.record = {"id": f"{prefix}{number:03d}", **built.record}
        number += 1
        out.built.append(built)
        out.rows_read += 1
    return out


def _fixed_fields(title: str, ctx: Context, has_category: bool) -> dict:
    """Fields the same for every row: from the document, the table's title, or left for a person."""
    doc_title = str(ctx.document.get("title") or "")
    programme = next((p for text in (title, doc_title) for p in PROGRAMMES if p in text), None)
    fixed: dict = {"year": ctx.year, "province": ctx.province}
    fixed["programme"] = programme or placeholder("计划", "国培计划、省培计划或中小学教师素质提升工程，见通知标题")
    if programme in (None, "国培计划"):
        track = next((t for text in (title, doc_title) for t in TRACKS if t in text), None)
        fixed["track"] = track or placeholder("项目板块", "示范项目或中西部骨干项目，见计划表标题；非国培计划项目删除此行")
    if not has_category:
        fixed["category"] = placeholder("项目类别", "按通知或国家指导方案填写，如“农村骨干教师能力提升培训”")
    if programme in (None, "国培计划"):
        fixed["guidance"] = placeholder("对应指导方案", "填 guidance.yaml 中的子项目编号，如 zx-1-1；无对应项目时删除此行")
    return fixed


def _project(row: Row, header: Header, ctx: Context, fixed: dict) -> Built:
    def cell(field: str) -> str:
        i = header.columns.get(field)
        return clean_text(row.cells[i]) if i is not None and i < len(row.cells) else ""

    record = dict(fixed)
    built = Built(record, row.where)
    if cell("category"):
        record["category"] = cell("category")
    record["name"] = cell("name")
    if not record["name"]:
        built.issues.append("项目名称为空")
    for field in ("target", "mode", "duration"):
        if cell(field):
            record[field] = cell(field)
    _duration(record, built)
    _participants(cell("participants"), record, built)
    scope, counties = resolve.scope(cell("scope"), _scopes(ctx), ctx)
    institution = resolve.institution(cell("institution"), ctx)
    for field, resolved in (("scope", scope), ("counties", counties), ("institution", institution)):
        if resolved.value not in (None, []):
            record[field] = resolved.value
        built.issues += resolved.issues
        built.fixes += resolved.notes
    record["document"] = ctx.document.get("id")
    note = note_text(cell("note"), *built.fixes)
    if note:
        record["note"] = note
    return built


def _duration(record: dict, built: Built) -> None:
    text = record.get("duration")
    if not text:
        return
    parsed = parse_duration(text)
    if parsed.offline_days is None and parsed.online_hours is None:
        built.issues.append(f"培训时长“{text}”中没有“N天”或“N学时”，算不出线下天数和线上学时")
    if parsed.offline_days is not None:
        record["offline_days"] = parsed.offline_days
    if parsed.online_hours is not None:
        record["online_hours"] = parsed.online_hours


def _participants(text: str, record: dict, built: Built) -> None:
    if not text:
        return
    count = parse_count(text)
    if count is None or count < 1:
        record["participants"] = text  # the validator then points at it as not a whole number
        built.issues.append(f"人数“{text}”不是整数")
    else:
        record["participants"] = count


def _scopes(ctx: Context) -> list[str]:
    spec = next(f for f in ctx.dataset.schema_fields("projects") if f["name"] == "scope")
    return list(spec.get("constraints", {}).get("enum", []))
