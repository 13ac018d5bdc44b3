"""The experts' rubric (data/call_rubrics.yaml) and reading one expert's marks against it.

The catalog has validated the whole data package before the admin blueprint is registered, so
only the rubric file is read here (2 s of validating again per worker start saved); what the
schema cannot say — each call's maxima add up to 100, numbers unique — is checked here and
stops the start like any data error.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from site_builder.dataset import display_path
from site_builder.yaml_records import load_records

from ..apply.form import bad_characters
from ..catalog import DataError

FILE = "call_rubrics.yaml"
FULL_MARKS = 100
COMMENT_MAX = 2000
# A mark is a whole or half point: “18”, “18.5”, “18.0” (full-width digits are folded first).
MARK = re.compile(r"\d{1,3}(?:\.[05]0*)?|\d{0,3}\.5", re.ASCII)


@dataclass(frozen=True)
class Criterion:
    id: str
    number: int
    name: str
    description: str
    max_points: int


def load_rubrics(data_dir: Path) -> dict[str, tuple[Criterion, ...]]:
    """Each call's criteria in order; DataError when a call's rubric is not out of 100."""
    path = Path(data_dir) / FILE
    records, problems = load_records(path, display_path(path))
    if problems:  # the catalog's validation has already reported these; never reached in practice
        raise DataError(f"{display_path(path)} 无法读取：{problems[0].message}")
    by_call: dict[str, list] = {}
    for record in records:
        by_call.setdefault(record["call"], []).append(record)
    rubrics, errors = {}, []
    for call_id, rows in by_call.items():
        total = sum(r["max_points"] for r in rows)
        if total != FULL_MARKS:
            errors.append(f"{display_path(path)}:{rows[0].line}：申报通知 {call_id} 各项指标满分之和为 {total}，应为 {FULL_MARKS}。")
        numbers = [r["number"] for r in rows]
        for row in rows:
            if numbers.count(row["number"]) > 1:
                errors.append(f"{display_path(path)}:{row.line_of('number')}：申报通知 {call_id} 的序号 {row['number']} 重复。")
        ordered = sorted(rows, key=lambda r: r["number"])
        rubrics[call_id] = tuple(Criterion(r["id"], r["number"], r["name"], r["description"], r["max_points"]) for r in ordered)
    if errors:
        raise DataError("评审指标有误，表单服务无法启动：\n" + "\n".join(errors))
    return rubrics


def field_name(criterion: Criterion) -> str:
    return f"m-{criterion.id}"


def parse_mark(text: str, criterion: Criterion) -> tuple[float | None, str | None]:
    """One typed mark as a number of points, or why it cannot be taken (Chinese)."""
    text = unicodedata.normalize("NFKC", text).strip()
    label = f"“{criterion.name}”"
    if not text:
        return None, f"请为{label}打分。"
    if not MARK.fullmatch(text):
        return None, f"{label}的得分应为 0 至 {criterion.max_points} 之间的数字，可精确到 0.5 分。"
    value = float(text)
    if value > criterion.max_points:
        return None, f"{label}的得分不能超过满分 {criterion.max_points} 分。"
    return (int(value) if value.is_integer() else value), None


def read_score(form, criteria: tuple[Criterion, ...]) -> tuple[dict, dict, dict[str, str]]:
    """What the expert typed (to show again), the marks and comment it means, and errors by field."""
    typed = {field_name(c): form.get(field_name(c), "")[:50] for c in criteria}
    typed["comment"] = form.get("comment", "").replace("\r\n", "\n").strip()
    errors, marks = {}, {}
    for criterion in criteria:
        value, problem = parse_mark(typed[field_name(criterion)], criterion)
        if problem:
            errors[field_name(criterion)] = problem
        else:
            marks[criterion.id] = value
    comment = typed["comment"]
    if not comment:
        errors["comment"] = "请填写评审意见。"
    elif problem := bad_characters(comment, multiline=True):
        errors["comment"] = f"评审意见{problem}。"
    elif len(comment) > COMMENT_MAX:
        errors["comment"] = f"评审意见不能超过 {COMMENT_MAX} 个字符（现有 {len(comment)} 个）。"
        typed["comment"] = comment[: COMMENT_MAX + 100]  # shown again, not a megabyte of it
    return typed, ({} if errors else {"marks": marks, "total": sum(marks.values()), "comment": comment}), errors


def typed_from(score, criteria: tuple[Criterion, ...]) -> dict:
    """A saved score as the form shows it."""
    typed = {field_name(c): _points(score.marks.get(c.id)) if score else "" for c in criteria}
    typed["comment"] = score.comment if score else ""
    return typed


def _points(value) -> str:
    if value is None:
        return ""
    return f"{value:g}"
