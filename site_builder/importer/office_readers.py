"""Rows of the two Office formats: .xlsx sheets (merged cells filled) and .docx tables."""

from __future__ import annotations

import warnings
from pathlib import Path

import docx
from openpyxl import load_workbook

from .grid import MAX_COLUMNS, MAX_ROWS, Row, TableError, cell_text


def read_xlsx(path: Path) -> list[Row]:
    """Rows of every visible sheet, each labelled “第 N 行” (with the sheet when there are several)."""
    try:
        with warnings.catch_warnings():
            # openpyxl warns about unsupported extensions (data validation, styles) it then ignores.
            warnings.simplefilter("ignore")
            book = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001  openpyxl raises many kinds (lxml, KeyError, TypeError…) on a malformed file
        raise TableError(f"“{path.name}”无法作为 Excel 表格读取（{type(exc).__name__}）：请在 Excel 或 WPS 中打开后另存为 .xlsx") from None
    sheets = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    rows: list[Row] = []
    for ws in sheets:
        label = f"工作表“{ws.title}”" if len(sheets) > 1 else ""
        rows.extend(_sheet_rows(ws, label))
    book.close()
    return rows


def _sheet_rows(ws, label: str) -> list[Row]:
    if ws.max_row > MAX_ROWS:
        raise TableError(f"工作表“{ws.title}”有 {ws.max_row} 行，超过 {MAX_ROWS} 行，不像计划表，已拒绝")
    # Bounded explicitly: iter_rows creates every cell up to max_column.
    raw_rows = ws.iter_rows(max_row=ws.max_row, max_col=min(ws.max_column, MAX_COLUMNS), values_only=True)
    values = [[cell_text(v) for v in raw] for raw in raw_rows]
    _fill_merged(ws, values)
    return [Row(f"{label}第 {n} 行", cells) for n, cells in enumerate(values, start=1)]


def _fill_merged(ws, values: list[list[str]]) -> None:
    """A merged range shows one value over all its cells; every cell gets it, as a reader sees it."""
    for merged in ws.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(values) or left >= len(values[top]):
            continue
        value = values[top][left]
        for r in range(top, min(merged.max_row, len(values))):
            for c in range(left, min(merged.max_col, MAX_COLUMNS)):
                row = values[r]
                row.extend([""] * (c + 1 - len(row)))
                row[c] = value


def read_docx(path: Path) -> list[Row]:
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
