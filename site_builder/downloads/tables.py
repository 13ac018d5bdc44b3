"""One resource as files: CSV for tools, CSV for Excel (Chinese headers), JSON.

The machine CSV keeps the values exactly as the data holds them (English field names,
lists joined with “；”). The Excel variant is for reading, not for processing: its header
row is the schema's Chinese field titles and any text cell that a spreadsheet would take
as a formula is neutralised (OWASP “CSV injection”).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterable
from pathlib import Path

LIST_SEPARATOR = "；"
# A spreadsheet evaluates a cell starting with these as a formula (=, +, -, @) or strips
# them first and evaluates what follows (tab, carriage return): OWASP's list.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Both CSV files start with a byte order mark: Excel reads UTF-8 only when it sees one.
CSV_ENCODING = "utf-8-sig"


def csv_name(resource: str) -> str:
    return f"{resource}.csv"


def excel_csv_name(resource: str) -> str:
    """The Excel-friendly variant: same rows, Chinese headers (ASCII file name for any host)."""
    return f"{resource}.zh.csv"


def json_name(resource: str) -> str:
    return f"{resource}.json"


def cell(value) -> str:
    """A value as CSV text: lists joined with “；”, dates as YYYY-MM-DD, nothing as empty."""
    if isinstance(value, list):
        return LIST_SEPARATOR.join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def excel_cell(value) -> str:
    """A value for a spreadsheet: text that would start a formula gets a leading apostrophe.

    Only text is touched (numbers and dates cannot start a formula); leading spaces are
    looked through, since some spreadsheets trim them before deciding.
    """
    text = cell(value)
    if isinstance(value, str | list) and text.lstrip(" \u3000").startswith(FORMULA_START):
        return "'" + text
    return text


def json_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def json_record(record: dict, fields: list[str]) -> dict:
    """A record as JSON data: schema field order, absent fields left out, lists kept as arrays."""
    return {f: json_value(record[f]) for f in fields if f in record}


def _write_csv(path: Path, header: list[str], rows: Iterable[list[str]], quoting: int) -> None:
    with path.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, quoting=quoting)
        writer.writerow(header)
        writer.writerows(rows)


def write_tables(out: Path, name: str, schema_fields: list[dict], records: list[dict]) -> list[Path]:
    """Write <name>.csv, <name>.zh.csv and <name>.json into `out`; return them."""
    fields = [f["name"] for f in schema_fields]
    titles = [f.get("title") or f["name"] for f in schema_fields]
    machine, excel, as_json = out / csv_name(name), out / excel_csv_name(name), out / json_name(name)
    _write_csv(machine, fields, ([cell(r.get(f)) for f in fields] for r in records), csv.QUOTE_MINIMAL)
    # Every cell quoted: a value holding “,=…” can never be split into a new cell.
    _write_csv(excel, titles, ([excel_cell(r.get(f)) for f in fields] for r in records), csv.QUOTE_ALL)
    rows = [json_record(r, fields) for r in records]
    as_json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    return [excel, machine, as_json]
