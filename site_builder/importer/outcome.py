"""What an import produces, whatever the kind of table: records with their source rows, skipped rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..problems import shorten
from .grid import Row, match_key
from .headers import Header

TOTAL_WORDS = ("合计", "总计", "小计", "共计")


@dataclass
class Built:
    """One record made from one source row (or, for county lists, from several)."""

    record: dict
    where: str
    issues: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)  # corrections made, also kept in the record's note


@dataclass
class Outcome:
    """Everything the report and the YAML file need."""

    resource: str
    source: str
    header: Header
    context_title: str  # 江西省 2022 年，文件 jx-2022-14
    built: list[Built] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    placeholders: list[str] = field(default_factory=list)  # fields every record leaves for a person
    missing_columns: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # worth knowing, nothing to fix in the table
    rows_read: int = 0  # data rows the records came from
    unmapped: list[tuple[str, str]] = field(default_factory=list)  # rows left out that a person must look at

    @property
    def needing_person(self) -> list[Built]:
        return [b for b in self.built if b.issues]

    @property
    def exit_code(self) -> int:
        return 1 if self.needing_person or self.unmapped else 0


def classify(row: Row, header: Header) -> str | None:
    """Why a row after the header is not data (a repeated header, a heading, a total), or None."""
    if row.is_blank():
        return "空行"
    if header.repeated_by(row):
        return "重复的表头"
    filled = [c.strip() for c in row.cells if c.strip()]
    distinct = list(dict.fromkeys(filled))
    if len(distinct) == 1 and re.match(r"(注|说明|备注)\s*\d*[:：]", distinct[0]):
        return f"表注“{shorten(distinct[0], 20)}”"
    if len(filled) >= 2 and len(distinct) == 1:
        return f"分组或标题行“{distinct[0]}”"
    if any(match_key(c).startswith(TOTAL_WORDS) for c in filled[:2]):
        return f"合计行“{filled[0]}”"
    return None


def note_text(*parts: str) -> str:
    return "".join(p if p.endswith(("。", "；")) else p + "。" for p in parts if p)
