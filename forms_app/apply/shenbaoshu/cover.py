"""The cover as 附件 2 prints it: the title, four underlined lines, and 制 with the month at the foot."""

from __future__ import annotations

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from . import ooxml, values
from .styles import BODY_FONT, HEADING_FONT

SIZE_TITLE, SIZE_BIG, SIZE_LINE, SIZE_LONG = 22, 36, 16, 12  # 二号, 小初, 三号, 小四
LONG_VALUE = 30  # characters: two lines of 三号 on the underline
LABEL_WIDTH, VALUE_WIDTH = Cm(4.0), Cm(9.4)


def cover(doc, section, a, call: dict) -> None:
    """The cover page's body, and its footer holding “河南省教育厅 制” and the month.

    The foot is the cover's own footer so it stays at the bottom of the page however the lines
    above wrap; the cover has no page number.
    """
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_before = Pt(60)
    ooxml.run(title, values.form_title(call), HEADING_FONT, SIZE_TITLE)
    big = doc.add_paragraph()
    big.alignment = WD_ALIGN_PARAGRAPH.CENTER
    big.paragraph_format.space_before = Pt(30)
    # “申 报 书” as published: the letters spread by character spacing, not typed spaces.
    ooxml.run(big, "申报书", HEADING_FONT, SIZE_BIG, spacing_pt=SIZE_BIG / 2)
    gap = doc.add_paragraph()
    gap.paragraph_format.space_before = Pt(80)
    _lines(doc, [
        ("项目名称", a.project_name),
        ("项目负责人", a.leader_name),
        ("单位（盖章）", a.unit),
        ("填表日期", values.chinese_date(values.filled_on(a))),
    ])  # fmt: skip
    _foot(section, call)


def _lines(doc, rows) -> None:
    """Label and value side by side, the value on an underline (the cell's bottom border), so a
    long 项目名称 wraps inside its line; labels spread to one width (分散对齐)."""
    table = doc.add_table(rows=len(rows), cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    ooxml.widths(table, [LABEL_WIDTH, VALUE_WIDTH])
    for row, (label, value) in zip(table.rows, rows, strict=True):
        ooxml.row_height(row, Cm(1.5))
        label_cell, value_cell = row.cells
        paragraph = label_cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.DISTRIBUTE
        ooxml.run(paragraph, label, BODY_FONT, SIZE_LINE)
        paragraph = value_cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        # a long 项目名称 in 小四, so the cover keeps to one page above its foot
        ooxml.run(paragraph, value, BODY_FONT, SIZE_LINE if len(value or "") <= LONG_VALUE else SIZE_LONG)
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        ooxml.cell_borders(value_cell, bottom="single")


def _foot(section, call: dict) -> None:
    footer = section.footer
    footer.is_linked_to_previous = False
    first = footer.paragraphs[0]
    lines = [values.maker(call), values.issue_month(call)]
    for paragraph, text in zip([first, footer.add_paragraph()], lines, strict=True):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(10)
        ooxml.run(paragraph, text, BODY_FONT, SIZE_LINE)
