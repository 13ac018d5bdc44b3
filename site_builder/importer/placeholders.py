"""The 【待填】 marker an import leaves where only a person can decide, and the check that finds it.

A plan table says nothing of a project's category or national guidance item, yet
staff must fill them. Leaving the field out would let the data pass silently
(both are optional in the schema); a marked value makes the validator name the
file, line and field until a person replaces it.
"""

from __future__ import annotations

from ..dataset import Dataset
from ..problems import Problem

MARKER = "【待填】"


def placeholder(title: str, how: str) -> str:
    """The value an import writes: “【待填】项目类别：…how to decide…”."""
    return f"{MARKER}{title}：{how}"


def check_placeholders(dataset: Dataset) -> list[Problem]:
    """Every value still holding the import's 【待填】 marker, as an error at its line."""
    out = []
    for records in dataset.records.values():
        for record in records:
            for field, value in record.items():
                if isinstance(value, str) and value.startswith(MARKER):
                    hint = value[len(MARKER) :].strip()
                    out.append(
                        Problem(
                            record.file,
                            record.line_of(field),
                            "导入时表格未载，须由人工填写",
                            field=field,
                            value=MARKER,
                            hint=f"请填写{hint}；填好后删除“{MARKER}”标记" if hint else f"请填写后删除“{MARKER}”标记",
                            code="placeholder",
                        )
                    )
    return out
