"""The two tables of 附件 2: 一、基本信息 (with the 项目参与人 sub-table) and 六、申报意见."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import ooxml, values
from .styles import BODY_FONT, LINE_CELL, LINE_TEXT, SIZE_BODY

# Seven columns as in 附件 2: the label column, then the six of 项目参与人; 职称职务 and 电子邮箱
# stand over 研究专长, their values over 工作单位. Widths add up to the 15.6 cm text width.
COLUMNS = ["姓 名", "性别", "出生年月", "职称", "研究专长", "工作单位"]
WIDTHS = [Cm(3.0), Cm(1.7), Cm(1.3), Cm(2.1), Cm(2.1), Cm(2.1), Cm(3.3)]
SIZE_PEOPLE = 10.5  # 五号: a person's row holds six values
PARTICIPANT_KEYS = ["name", "gender", "birth", "title", "expertise", "workplace"]
# The label column four characters wide, so the label breaks as 附件 2 prints it: 上级教育/行政部门/意见（高/校除外）.
OPINION_WIDTHS = [Cm(2.2), Cm(13.4)]
# Room under an opinion for a signature and a 4 cm round seal pressed over “（盖章）” and the date.
OPINION_HEIGHT, SEAL_ROOM = Cm(8.5), Pt(130)


def grid(doc, n_rows: int, cols):
    table = doc.add_table(rows=n_rows, cols=len(cols))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ooxml.widths(table, cols)
    return table


def write(cell, text, align=WD_ALIGN_PARAGRAPH.CENTER, size: float = SIZE_BODY) -> None:
    """One value in a cell, centred both ways; line breaks typed in it are kept."""
    lines = values.paragraphs(text) or [""]
    paragraph = cell.paragraphs[0]
    for i, line in enumerate(lines):
        if i:
            paragraph = cell.add_paragraph()
        paragraph.alignment = align
        paragraph.paragraph_format.line_spacing = LINE_CELL
        ooxml.run(paragraph, line, BODY_FONT, size)
    ooxml.middle(cell)


def basic_info(doc, a) -> None:
    """一、基本信息 exactly as 附件 2: 项目名称; 负责人姓名 | 职称职务; 联系电话 | 电子邮箱;
    项目参与人 (a header row and one row per person); 项目完成时间."""
    people = list(a.participants or []) or [{}]  # a draft with nobody yet still shows a row to fill
    table = grid(doc, 5 + len(people), WIDTHS)
    rows = table.rows
    for row in rows:
        ooxml.row_height(row, Cm(1.0), keep_whole=True)  # a person's row never split over two pages
    _span(rows[0], "项目名称", a.project_name)
    _pair(rows[1], "负责人姓名", a.leader_name, "职称职务", a.leader_title)
    _pair(rows[2], "联系电话", a.leader_phone, "电子邮箱", a.leader_email)
    for cell, label in zip(rows[3].cells[1:], COLUMNS, strict=True):
        write(cell, label)
    for row, person in zip(rows[4 : 4 + len(people)], people, strict=True):
        texts = [person.get(key, "") for key in PARTICIPANT_KEYS]
        texts[2] = values.birth_month(texts[2])
        for cell, text in zip(row.cells[1:], texts, strict=True):
            write(cell, text, size=SIZE_PEOPLE)
    label = rows[3].cells[0].merge(rows[3 + len(people)].cells[0])
    write(label, "项目参与人")
    _span(rows[-1], "项目完成时间", values.chinese_date(a.completion_date))


def _span(row, label: str, value) -> None:
    write(row.cells[0], label)
    write(row.cells[1].merge(row.cells[-1]), value)


def _pair(row, label1: str, value1, label2: str, value2) -> None:
    cells = row.cells
    write(cells[0], label1)
    write(cells[1].merge(cells[4]), value1)
    write(cells[5], label2)
    write(cells[6], value2)


def opinions(doc, a) -> None:
    """六、申报意见: 单位意见 and 上级教育行政部门意见（高校除外）, each a box tall enough to sign and seal,
    “（盖章）” and “年 月 日” at its bottom right; an opinion already given is printed at the top."""
    table = grid(doc, 2, OPINION_WIDTHS)
    for row, label, text in zip(table.rows, ("单位意见", "上级教育行政部门意见（高校除外）"),
                                (getattr(a, "unit_opinion", ""), getattr(a, "authority_opinion", "")), strict=True):  # fmt: skip
        ooxml.row_height(row, OPINION_HEIGHT, keep_whole=True)
        write(row.cells[0], label)
        cell = row.cells[1]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
        paragraph = cell.paragraphs[0]
        for i, line in enumerate(values.paragraphs(text) or [""]):
            if i:
                paragraph = cell.add_paragraph()
            paragraph.paragraph_format.space_before = Pt(6) if i == 0 else Pt(0)
            paragraph.paragraph_format.line_spacing = LINE_TEXT
            ooxml.first_line_indent_chars(paragraph, SIZE_BODY)
            ooxml.run(paragraph, line, BODY_FONT, SIZE_BODY)
        stamp = cell.add_paragraph()
        stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        stamp.paragraph_format.space_before = SEAL_ROOM
        stamp.paragraph_format.right_indent = Cm(2.2)
        ooxml.run(stamp, "（盖章）", BODY_FONT, SIZE_BODY)
        date = cell.add_paragraph()
        date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date.paragraph_format.space_before, date.paragraph_format.space_after = Pt(12), Pt(12)
        date.paragraph_format.right_indent = Cm(0.8)
        ooxml.run(date, "年　　月　　日", BODY_FONT, SIZE_BODY)
