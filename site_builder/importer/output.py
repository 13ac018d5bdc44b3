"""What an import writes: the records as YAML in the style of data/*.yaml, and the Chinese report."""

from __future__ import annotations

import yaml

from ..dataset import Dataset
from .outcome import Outcome

FIELD_TITLES = {"programme": "计划", "track": "项目板块", "category": "项目类别", "guidance": "对应指导方案"}
UNIT = {"projects": "个项目", "county_lists": "份名单"}


def report_text(outcome: Outcome, output: str) -> str:
    """The Chinese report printed after an import: what was imported, what a person must do, what was skipped."""
    lines = [f"导入“{outcome.source}”（{outcome.context_title}）→ {output}"]
    header = outcome.header
    mapped = "，".join(f"{label}→{field}" for field, label in header.labels.items())
    lines.append(f"表头在{header.where}：{mapped}")
    if header.ignored:
        lines.append(f"未导入的列：{'、'.join(header.ignored)}")
    if outcome.missing_columns:
        lines.append(f"表中没有这些列，相应字段留空：{'、'.join(outcome.missing_columns)}")
    ids = [str(b.record.get("id")) for b in outcome.built]
    span = f"，编号 {ids[0]} 至 {ids[-1]}" if len(ids) > 1 else (f"，编号 {ids[0]}" if ids else "")
    rows = "" if outcome.resource == "projects" else f"（来自 {outcome.rows_read} 行）"
    lines.append(f"已导入 {len(ids)} {UNIT[outcome.resource]}{rows}{span}。")
    needing = outcome.needing_person
    lines.append(_needing(outcome) if needing or outcome.unmapped else "每一行都已对应，无须逐行核对。")
    for built in needing:
        for issue in built.issues:
            lines.append(f"  {built.where}（{built.record.get('id')}）：{issue}")
    for where, why in outcome.unmapped:
        lines.append(f"  {where}：{why}")
    fixes = [(b.where, b.record.get("id"), fix) for b in outcome.built for fix in b.fixes]
    if fixes:
        lines.append(f"已自动更正 {len(fixes)} 处（已写入记录的备注 note）：")
        lines += [f"  {where}（{rid}）：{fix}" for where, rid, fix in fixes]
    lines += [f"注意：{notice}" for notice in outcome.notices]
    if outcome.placeholders:
        titles = "、".join(f"{FIELD_TITLES.get(f, f)}（{f}）" for f in outcome.placeholders)
        lines.append(f"表格未载、每条记录都须人工填写的字段：{titles}；文件中写作“【待填】…”，校验器会逐条指出。")
    if outcome.resource == "projects":
        lines.append("培训起止日期（training_start、training_end）表中未载：通知正文载明的，请按原文补填。")
    if outcome.skipped:
        lines.append(f"跳过 {len(outcome.skipped)} 行（不是数据）：")
        reasons: dict[str, list[str]] = {}
        for where, why in outcome.skipped:
            reasons.setdefault(why, []).append(where)
        lines += [f"  {why}：{'、'.join(wheres)}" for why, wheres in reasons.items()]
    lines.append("下一步：核对输出文件，并入 data/ 后运行 python -m site_builder validate。")
    return "\n".join(lines)


def _needing(outcome: Outcome) -> str:
    issues = sum(len(b.issues) for b in outcome.needing_person) + len(outcome.unmapped)
    unit = "行" if outcome.resource == "projects" else "份名单"
    rows = f"{len(outcome.needing_person)} {unit}" + (f"、未导入 {len(outcome.unmapped)} 行" if outcome.unmapped else "")
    return f"须人工核对：{rows}，共 {issues} 处（退出码 1）："


def yaml_text(outcome: Outcome, dataset: Dataset) -> str:
    """The output file: a heading comment, then each record in schema field order."""
    order = [f["name"] for f in dataset.schema_fields(outcome.resource)]
    title = dataset.resource(outcome.resource).get("title", outcome.resource)
    lines = [
        f"# {title}：由 python -m site_builder import 从“{outcome.source}”导入（{outcome.context_title}）。",
        "# 核对后把记录并入 data/" + dataset.resource(outcome.resource)["path"] + "，再运行 python -m site_builder validate；",
        "# 值为“【待填】…”的字段须人工填写，带“须人工核对”注释的记录须先核对原表。",
    ]
    for built in outcome.built:
        lines.append("")
        lines += [f"# {built.where}须人工核对：{_one_line(issue)}" for issue in built.issues]
        lines += _record_lines(built.record, order)
    return "\n".join(lines) + "\n"


def _record_lines(record: dict, order: list[str]) -> list[str]:
    keys = [k for k in order if k in record] + [k for k in record if k not in order]
    out = []
    for n, key in enumerate(keys):
        lead = "- " if n == 0 else "  "
        out.append(f"{lead}{key}: {scalar(record[key])}")
    return out


def scalar(value: object) -> str:
    """One value as YAML on one line: lists in flow style, text quoted only where YAML needs it."""
    if isinstance(value, list):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
