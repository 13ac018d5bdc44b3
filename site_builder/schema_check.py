"""Validate records against the Table Schemas with Frictionless, in staff terms.

Frictionless reports row numbers of an in-memory table; each is mapped back to
the record's line in its YAML file and the message is rewritten in Chinese.
"""

from __future__ import annotations

import difflib
import re

from frictionless import Package, Resource, Schema

from .dataset import Dataset
from .problems import Problem
from .yaml_records import Record

TYPE_NAMES = {
    "string": "文本",
    "integer": "整数",
    "number": "数字",
    "date": "日期（YYYY-MM-DD）",
    "boolean": "是/否（true/false）",
    "array": "列表（如 [甲, 乙] 或每行一个“- 值”）",
}


def check_schema(dataset: Dataset) -> list[Problem]:
    """Unknown fields, types, constraints, keys and foreign keys of every resource."""
    problems: list[Problem] = []
    resources = []
    for resource in dataset.descriptor.get("resources", []):
        name = resource["name"]
        records = dataset.get(name)
        fields = [f["name"] for f in dataset.schema_fields(name)]
        problems.extend(_unknown_fields(records, fields))
        rows = [fields] + [[_cell(record.get(f)) for f in fields] for record in records]
        schema = Schema.from_descriptor(resource.get("schema", {"fields": []}))
        resources.append(Resource(name=name, data=rows, schema=schema))
    report = Package(resources=resources).validate()
    for task in report.tasks:
        name = task.name
        records = dataset.get(name)
        blank = {e.row_number for e in task.errors if e.type == "blank-row"}
        for error in task.errors:
            if error.type == "primary-key" and error.row_number in blank:
                continue  # the blank record is already reported
            problems.append(_translate(error, name, records, dataset))
    return problems


def _cell(value):
    # Frictionless reads an empty list as a value; staff mean "nothing".
    return None if value == [] or value == "" else value


def _unknown_fields(records: list[Record], fields: list[str]) -> list[Problem]:
    out = []
    for record in records:
        for key in record:
            if key not in fields:
                close = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
                hint = f"是否为 “{close[0]}”？" if close else f"允许的字段：{'、'.join(fields)}"
                out.append(Problem(record.file, record.line_of(key), "不是该文件的字段", field=key, hint=hint, code="unknown-field"))
    return out


def _translate(error, name: str, records: list[Record], dataset: Dataset) -> Problem:
    row = getattr(error, "row_number", None)
    record = records[row - 2] if row and 2 <= row < len(records) + 2 else None
    file = record.file if record is not None else dataset.resource(name)["path"]
    field = getattr(error, "field_name", None)
    if error.type == "foreign-key":
        field = error.field_names[0]
    line = record.line_of(field) if record is not None else None
    value = record.get(field) if record is not None and field else None
    spec = _field_spec(dataset, name, field)
    message, hint = _message(error, spec, value, dataset, records)
    shown = None if value is None else (value if isinstance(value, str) else _show(value))
    return Problem(file, line, message, field=field, value=shown, hint=hint, code=error.type)


def _show(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def _field_spec(dataset: Dataset, name: str, field: str | None) -> dict:
    return next((f for f in dataset.schema_fields(name) if f["name"] == field), {})


def _message(error, spec: dict, value, dataset: Dataset, records: list[Record]) -> tuple[str, str | None]:
    kind = error.type
    constraints = spec.get("constraints", {})
    if kind == "type-error":
        expected = TYPE_NAMES.get(spec.get("type"), spec.get("type"))
        if spec.get("type") == "array" and isinstance(value, list):
            return "列表中的每一项应为文本", None
        return f"类型不对，应为{expected}", None
    if kind == "constraint-error":
        return _constraint_message(error.note, constraints, value)
    if kind in ("unique-error", "primary-key"):
        match = re.search(r"position (\d+)", error.note)
        if match and 2 <= int(match.group(1)) < len(records) + 2:
            first = records[int(match.group(1)) - 2]
            return f"重复：与第 {first.line} 行的记录相同，编号（主键）必须唯一", None
        return "重复，编号（主键）必须唯一", None
    if kind == "foreign-key":
        target = error.reference_name
        title = dataset.resource(target).get("title", target)
        ref_field = error.reference_field_names[0]
        return f"不在 {target}（{title}）中", suggest_reference(value, dataset, target, ref_field)
    if kind == "blank-row":
        return "空记录：每条记录至少要有编号等必填字段", None
    return f"数据不符合规范（{kind}）：{error.note}", None


def _constraint_message(note: str, constraints: dict, value) -> tuple[str, str | None]:
    if '"required"' in note:
        return "必填字段缺失或为空", None
    if '"enum"' in note:
        allowed = [str(v) for v in constraints.get("enum", [])]
        close = difflib.get_close_matches(str(value), allowed, n=1, cutoff=0.3)
        hint = f"是否为 “{close[0]}”？" if close else None
        listed = "、".join(allowed)
        return "不是允许的取值", (f"{hint}可选值：{listed}" if hint else f"可选值：{listed}")
    if '"pattern"' in note:
        return f"格式不对，应符合 {constraints.get('pattern')}", None
    if '"minimum"' in note:
        return f"不能小于 {constraints.get('minimum')}", None
    if '"maximum"' in note:
        return f"不能大于 {constraints.get('maximum')}", None
    if '"minLength"' in note:
        return f"太短，至少 {constraints.get('minLength')} 个字", None
    if '"maxLength"' in note:
        return f"太长，最多 {constraints.get('maxLength')} 个字", None
    if '"unique"' in note:
        return "重复，该字段的值必须唯一", None
    return f"不满足约束：{note}", None


def suggest_reference(value, dataset: Dataset, resource: str, field: str) -> str | None:
    """The closest existing key, or the canonical name an alias stands for."""
    if value is None:
        return None
    text = str(value)
    for record in dataset.get(resource):
        for alias_field in ("aliases", "former_names"):
            if text in (record.get(alias_field) or []):
                return f"是否为 “{record.get(field)}”？（“{text}” 是其{'别名' if alias_field == 'aliases' else '曾用名'}）"
    keys = [str(r.get(field)) for r in dataset.get(resource) if r.get(field) is not None]
    close = difflib.get_close_matches(text, keys, n=1, cutoff=0.5)
    return f"是否为 “{close[0]}”？" if close else None
