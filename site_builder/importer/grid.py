"""The common grid every reader produces, and the text clean-up all stages share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_ROWS = 20_000  # a plan table has about a hundred rows; more is a wrong or hostile file
MAX_COLUMNS = 60


class TableError(Exception):
    """The file cannot be imported at all; the message is for staff, in Chinese."""


@dataclass
class Row:
    """One table row as text cells, with where it sits in the source (“第 12 行”)."""

    where: str
    cells: list[str]

    def is_blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


_SPACES = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def clean_text(value: object) -> str:
    """Cell text as the data keeps it: line breaks and runs of spaces gone.

    Office files wrap long cells with line breaks and extraction leaves spaces
    inside Chinese (“心理 健康”, “集中 7 天”); a space survives only between two
    ASCII characters (“AI 教育” keeps none, “key: value” keeps its one).
    """
    if value is None:
        return ""
    parts = _SPACES.sub(" ", str(value)).strip().split(" ")
    text = parts[0]
    for part in parts[1:]:
        if text and part and text[-1].isascii() and part[0].isascii():
            text += " "
        text += part
    return text


_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』")


def match_key(text: str) -> str:
    """A form for comparing names: full-width folded, no spaces or quotes."""
    folded = unicodedata.normalize("NFKC", text)
    return _SPACES.sub("", folded).translate(_QUOTES)


_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def header_key(text: str) -> str:
    """A header without units or notes in brackets: “培训时长\n(天或学时)” → “培训时长”."""
    key = _BRACKETED.sub("", match_key(text))
    return key.strip("*:：") or match_key(text)


_SEPARATORS = re.compile(r"(?<=\d)[,，'’ ](?=\d{3}\b)")


def parse_count(text: str) -> int | None:
    """“1,250”, “１２５０”, “12000人”, “1 250” → the integer; None for anything else."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = _SEPARATORS.sub("", folded)
    folded = re.sub(r"\s*(人|名|人次)$", "", folded)
    if re.fullmatch(r"\d+(\.0+)?", folded):
        return int(folded.split(".")[0])
    return None


def cell_text(value: object) -> str:
    """An Excel value as text: whole floats without “.0”, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value)
