"""The filled 申报书 as a Word file in the layout of 附件 2 (cover, 基本信息 table, sections 二–六)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from ..models import Application

COLUMNS = ["姓 名", "性别", "出生年月", "职称", "研究专长", "工作单位"]
FONT = "宋体"


def form_title(call: dict) -> str:
    return f"{call['province']}基础教育教师培训出彩项目申报书"


def build_docx(a: Application, call: dict, direction: dict | None) -> io.BytesIO:
    """Return the .docx bytes for application `a`."""
    doc = Document()
    _fonts(doc)
    _cover(doc, a, call)
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.add_heading("一、基本信息", level=1)
    _basic_table(doc, a, direction)
    _boxed(doc, "二、项目拟完成目标（500字以内）", a.goals)
    _boxed(doc, "三、实施基础和条件保障（应注明是否列入单位重点工作）", f"是否列入单位重点工作：{'是' if a.key_work else '否'}\n{a.basis}")
    _boxed(doc, "四、项目建设方案（可另附页）", a.plan)
    doc.add_heading("五、总体工作进度安排", level=1)
    table = _table(doc, 1 + len(a.schedule), 2)
    _fill(table.rows[0], ["时间", "工作内容"], bold=True)
    for row, item in zip(table.rows[1:], a.schedule, strict=True):
        _fill(row, [item["period"], item["work"]])
    doc.add_heading("六、申报意见", level=1)
    table = _table(doc, 2, 2)
    _fill(table.rows[0], ["单位意见", (a.unit_opinion or "") + "\n\n（盖章）    年  月  日"])
    _fill(table.rows[1], ["上级教育行政部门意见（高校除外）", (a.authority_opinion or "") + "\n\n（盖章）    年  月  日"])
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def _fonts(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _cover(doc, a: Application, call: dict) -> None:
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form_title(call))
    run.bold, run.font.size = True, Pt(22)
    doc.add_paragraph(f"受理编号：{a.receipt_no}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for label, value in (("项目名称", a.project_name), ("项目负责人", a.leader_name), ("单位（盖章）", a.unit),
                         ("填表日期", f"{a.created_at:%Y年%m月%d日}")):  # fmt: skip
        doc.add_paragraph(f"{label}　{value}")
    footer = doc.add_paragraph(f"{call['province']}教育厅 制")
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _basic_table(doc, a: Application, direction: dict | None) -> None:
    participants = a.participants or []
    table = _table(doc, 6 + len(participants), 7)
    rows = table.rows
    _span(rows[0], "项目名称", a.project_name)
    direction_text = (
        f"{direction['number']}. {direction['name']}（结项时间 {direction['due']:%Y年%m月%d日}前）" if direction else a.direction_id
    )
    _span(rows[1], "申报方向", direction_text)
    _pair(rows[2], "负责人姓名", a.leader_name, "职称职务", f"{a.leader_title}（{a.leader_role}）")
    _pair(rows[3], "联系电话", a.leader_phone, "电子邮箱", a.leader_email)
    _fill(rows[4], ["项目参与人", *COLUMNS], bold=True)
    for row, person in zip(rows[5 : 5 + len(participants)], participants, strict=True):
        _fill(row, ["", person["name"], person["gender"], person["birth"], person["title"], person["expertise"], person["workplace"]])
    if participants:
        rows[4].cells[0].merge(rows[4 + len(participants)].cells[0])
    _span(rows[-1], "项目完成时间", f"{a.completion_date:%Y年%m月%d日}")


def _table(doc, n_rows: int, n_cols: int):
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _fill(row, texts, bold: bool = False) -> None:
    for cell, text in zip(row.cells, texts, strict=False):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = bold


def _span(row, label: str, value: str) -> None:
    """Label in the first cell, value across the rest of the row."""
    cells = row.cells
    cells[0].text = label
    merged = cells[1].merge(cells[-1])
    merged.text = value


def _pair(row, label1: str, value1: str, label2: str, value2: str) -> None:
    cells = row.cells
    cells[0].text = label1
    cells[1].merge(cells[3]).text = value1
    cells[4].text = label2
    cells[5].merge(cells[6]).text = value2


def _boxed(doc, heading: str, text: str) -> None:
    doc.add_heading(heading, level=1)
    table = _table(doc, 1, 1)
    table.rows[0].cells[0].text = text
