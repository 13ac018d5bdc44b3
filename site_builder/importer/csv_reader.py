"""Rows of a .csv file: UTF-8 (with or without BOM), GB18030 as Excel in China saves it, or UTF-16."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .grid import MAX_COLUMNS, MAX_ROWS, Row, TableError

ENCODINGS = ("utf-8-sig", "gb18030")
# csv's own field limit is process-wide state other libraries raise, so cells are checked here.
MAX_CELL = 131_072


def read(path: Path) -> list[Row]:
    """Rows labelled by record number (“第 N 行”), as Excel numbers them when it opens the file."""
    text = decode(path.read_bytes(), path.name)
    if not text.strip():
        raise TableError(f"文件是空的：{path.name}")
    dialect = _dialect(text)
    rows: list[Row] = []
    try:
        for n, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
            if n > MAX_ROWS:
                raise TableError(f"“{path.name}”超过 {MAX_ROWS} 行，不像计划表，已拒绝")
            if any(len(cell) > MAX_CELL for cell in cells):
                raise csv.Error(f"有一格超过 {MAX_CELL} 个字符")
            rows.append(Row(f"第 {n} 行", cells[:MAX_COLUMNS]))
    except csv.Error as exc:
        raise TableError(f"“{path.name}”第 {len(rows) + 1} 行无法按 CSV 读取（{exc}）：请在 Excel 或 WPS 中打开后另存为 CSV") from None
    return rows


def decode(data: bytes, name: str) -> str:
    """UTF-16 by its BOM, else strict UTF-8, else GB18030; mojibake is never guessed into text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    else:
        for encoding in ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if "\x00" not in text:
                return text
    raise TableError(f"“{name}”的文字编码无法识别：请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”后再导入")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        return csv.excel
