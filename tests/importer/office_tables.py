"""Office files rebuilt from the text of 赣教师字〔2022〕14号, with the quirks real attachments have.

The plan table (附件1) and the county lists (附件2) come from tests/fixtures/import/ (the
seed's text); each file type gets a title above the header, a 序号 column, headers
with line breaks and units, the header repeated at page breaks, blank rows, merged
cells, numbers as text with thousands separators and stray spaces.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import docx
import yaml
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"
TITLE = "2022 年“国培计划”中西部骨干项目计划表"
HEADER = ["序号", "项目名称", "培训对象", "培训方式", "培训时长\n(天或学时)", "人数\n(人)", "实施范围", "中标单位"]
SCOPE, MODE, COUNT = 6, 3, 5  # columns of the office table


def plan_pages() -> list[list[list[str]]]:
    """The seed's table as pages of data rows (the seed repeats the header at each page break)."""
    pages: list[list[list[str]]] = []
    for line in (FIXTURES / "jx-2022-14-plan.tsv").read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if cells[0] == "项目名称":
            pages.append([])
        else:
            pages[-1].append(cells)
    return pages


def _office_cells(n: int, cells: list[str]) -> list[object]:
    """序号 first; 人数 as a number, as text with a thousands separator, or padded; some names padded."""
    name, target, mode, duration, count, scope, winner = cells
    number = int(count)
    shown: object = number if n % 3 == 1 else (f"{number:,}" if n % 3 == 0 else f" {number} ")
    if n % 5 == 0:
        name = f"  {name}\u3000"
    if n % 7 == 0 and len(winner) > 4:
        winner = winner[:4] + "\n" + winner[4:]  # a cell wrapped by hand
    return [n, name, target, mode, duration, shown, scope, winner]


def office_pages() -> list[list[list[object]]]:
    pages, n = [], 0
    for page in plan_pages():
        rows = []
        for cells in page:
            n += 1
            rows.append(_office_cells(n, cells))
        pages.append(rows)
    return pages


def _runs(rows: list[list[object]], column: int) -> list[tuple[int, int]]:
    """(first, last) of each run of two or more equal cells in `column`: what offices merge."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i][column] != rows[start][column]:
            if i - start > 1:
                runs.append((start, i - 1))
            start = i
    return runs


def write_xlsx(path: Path) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = "附件1"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, end_row=1, start_column=1, end_column=len(HEADER))
    ws.append([None] * 6 + ["（单位：人）"])
    for page in office_pages():
        ws.append(HEADER)
        first = ws.max_row + 1
        for row in page:
            ws.append(row)
            if isinstance(row[COUNT], int):
                ws.cell(ws.max_row, COUNT + 1).number_format = "#,##0"
        for column in (SCOPE, MODE):
            for a, b in _runs(page, column):
                ws.merge_cells(start_row=first + a, end_row=first + b, start_column=column + 1, end_column=column + 1)
        ws.append([])  # a blank row before the next page's header
    ws.append(["合计", None, None, None, None, "89,000"])
    ws.append(["注：各培训项目原则上须于2022年底前完成。"])
    ws.merge_cells(start_row=ws.max_row, end_row=ws.max_row, start_column=1, end_column=len(HEADER))
    book.save(path)
    return path


def write_docx(path: Path) -> Path:
    """One table per page as Word attachments have them; the first carries the title in a merged row."""
    document = docx.Document()
    document.add_paragraph("附件 1")
    for p, page in enumerate(office_pages()):
        table = document.add_table(rows=0, cols=len(HEADER))
        if p == 0:
            title = table.add_row().cells
            title[0].merge(title[-1]).text = TITLE
        for cell, text in zip(table.add_row().cells, HEADER, strict=True):
            cell.text = text
        first = len(table.rows)
        for row in page:
            cells = table.add_row().cells
            for i, value in enumerate(row):
                cells[i].text = str(value)
        for a, b in _runs(page, SCOPE):
            top = table.cell(first + a, SCOPE)
            text = top.text
            top.merge(table.cell(first + b, SCOPE)).text = text
        document.add_page_break()
    document.save(path)
    return path


def write_csv(path: Path, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([TITLE] + [""] * (len(HEADER) - 1))
        writer.writerow([])
        for page in office_pages():
            writer.writerow(HEADER)
            writer.writerows(page)
            writer.writerow([""] * len(HEADER))
        writer.writerow(["合计", "", "", "", "", "89,000", "", ""])
    return path


def county_sections() -> list[tuple[str, list[tuple[str, str]]]]:
    """附件2 as (heading, [(city, names)]); the 示范县 line names no city."""
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for line in (FIXTURES / "jx-2022-14-counties.txt").read_text(encoding="utf-8").splitlines():
        if re.match(r"[一二三四五六]、", line):
            sections.append((line, []))
        elif sections:
            city, _, names = line.rpartition("：")
            sections[-1][1].append((city, names))
    return sections


def write_county_xlsx(path: Path) -> Path:
    """Type, city, names; each type's cell merged down its rows."""
    book = Workbook()
    ws = book.active
    ws.append(["2022 年“国培计划”项目县名单"])
    ws.append(["序号", "名单类型", "设区市", "县（市、区）"])
    n = 0
    for heading, rows in county_sections():
        first = ws.max_row + 1
        for city, names in rows:
            n += 1
            ws.append([n, heading.split("、", 1)[1], city, names.replace("、", "、 ")])
        if len(rows) > 1:
            ws.merge_cells(start_row=first, end_row=ws.max_row, start_column=2, end_column=2)
    book.save(path)
    return path


def write_county_csv(path: Path) -> Path:
    """City and names only, each type a heading row, as the notice prints 附件2; GB18030."""
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["设区市", "县（市、区）"])
        for heading, rows in county_sections():
            writer.writerow([heading, ""])
            writer.writerows(rows)
            writer.writerow([])
    return path


def shipped(resource: str, document: str = "jx-2022-14") -> list[dict]:
    records = yaml.safe_load((ROOT / "data" / f"{resource}.yaml").read_text(encoding="utf-8"))
    return [r for r in records if r.get("document") == document]
