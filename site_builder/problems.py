"""The one shape every check reports in: a problem at a file and line."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a warning) in the data, located by file and line."""

    file: str
    line: int | None
    message: str
    field: str | None = None
    value: str | None = None
    hint: str | None = None
    code: str = "error"
    severity: str = "error"  # "error" fails validation, "warning" does not

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file

    def text(self) -> str:
        """Render as `file:line: 字段 x: “value” message，hint`."""
        return f"{self.location}: {self.body()}"

    def body(self) -> str:
        """Everything after the location: `字段 x: “value” message，hint`."""
        body = f"“{shorten(self.value)}” {self.message}" if self.value is not None else self.message
        if self.field:
            body = f"字段 {self.field}: {body}"
        if self.hint:
            body = f"{body}，{self.hint}"
        prefix = "警告：" if self.severity == "warning" else ""
        return f"{prefix}{body}"


def shorten(value: object, limit: int = 80) -> str:
    """Keep long values readable on one line."""
    text = str(value).replace("\n", "⏎")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def has_errors(problems: list[Problem]) -> bool:
    return any(p.severity == "error" for p in problems)


def sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0, problem.field or "", problem.message)


def format_text(problems: list[Problem]) -> str:
    lines = [p.text() for p in problems]
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if not problems:
        lines.append("数据校验通过，未发现问题。")
    else:
        lines.append(f"共 {errors} 个错误，{warnings} 个警告。")
    return "\n".join(lines)


def format_github(problems: list[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    out = []
    for p in problems:
        kind = "warning" if p.severity == "warning" else "error"
        loc = f"file={p.file}" + (f",line={p.line}" if p.line else "")
        out.append(f"::{kind} {loc},title=数据校验::{_escape_github(p.body())}")
    out.append(format_text(problems).splitlines()[-1])
    return "\n".join(out)


def _escape_github(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def format_json(problems: list[Problem]) -> str:
    return json.dumps(
        {"valid": not has_errors(problems), "problems": [asdict(p) for p in problems]},
        ensure_ascii=False,
        indent=2,
    )
