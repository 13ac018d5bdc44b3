"""Describe every resource and field of the Data Package as Markdown, for staff."""

from __future__ import annotations

from pathlib import Path

import yaml

from .schema_check import TYPE_NAMES


def load_descriptor(data_dir: Path) -> dict:
    return yaml.safe_load((Path(data_dir) / "datapackage.yaml").read_text(encoding="utf-8"))


def field_reference(descriptor: dict, heading: str = "###") -> str:
    """One table per resource: field, 中文名, 类型, 必填, 说明."""
    parts = []
    for resource in descriptor["resources"]:
        parts.append(f"{heading} {resource['title']}（data/{resource['path']}）\n\n{resource['description']}\n")
        parts.append("| 字段 | 名称 | 类型 | 必填 | 说明 |\n|---|---|---|---|---|")
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            kind = TYPE_NAMES.get(field["type"], field["type"]).split("（")[0]
            required = "是" if constraints.get("required") else ""
            note = field["description"]
            if "enum" in constraints:
                note += " 可选值：" + "、".join(map(str, constraints["enum"])) + "。"
            parts.append(f"| `{field['name']}` | {field['title']} | {kind} | {required} | {note} |")
        parts.append("")
    return "\n".join(parts)
