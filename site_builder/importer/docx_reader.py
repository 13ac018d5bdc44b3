"""Rows of every table in a .docx, merged cells repeated as python-docx reads them."""

from __future__ import annotations

from pathlib import Path

import docx

from .grid import MAX_COLUMNS, MAX_ROWS, Row, TableError


def read(path: Path) -> list[Row]:
    """Rows of all top-level tables in document order, labelled “表格 2 第 5 行”.

    Word attachments often hold one table per page, each repeating the header:
    they are read as one grid and the repeated headers are dropped later.
    """
    try:
        document = docx.Document(str(path))
        tables = document.tables
        rows: list[Row] = []
        for t, table in enumerate(tables, start=1):
            label = f"表格 {t} " if len(tables) > 1 else ""
            for r, row in enumerate(table.rows, start=1):
                if len(rows) >= MAX_ROWS:
                    raise TableError(f"“{path.name}”的表格超过 {MAX_ROWS} 行，不像计划表，已拒绝")
                rows.append(Row(f"{label}第 {r} 行", _cells(row)))
    except TableError:
        raise
    except Exception as exc:  # noqa: BLE001  python-docx raises many kinds (lxml, KeyError…) on a malformed file
        raise TableError(f"“{path.name}”无法作为 Word 文档读取（{type(exc).__name__}）：请在 Word 或 WPS 中打开后另存为 .docx") from None
    if not rows:
        raise TableError(f"“{path.name}”中没有表格：计划表须是 Word 表格（不是文字或图片）")
    return rows


def _cells(row) -> list[str]:
    # A horizontally merged cell is listed once per grid column it spans, so columns stay aligned.
    return [cell.text for cell in row.cells[:MAX_COLUMNS]]
