"""Sections 二 to 五 of 附件 2: a heading with its note, then a ruled box holding the applicant's text."""

from __future__ import annotations

from docx.shared import Cm, Pt

from . import ooxml, values
from .styles import BODY_FONT, LINE_TEXT, SIZE_BODY, TEXT_WIDTH_CM
from .tables import grid

HEADINGS = {
    "goals": "二、项目拟完成目标（500字以内）",
    "basis": "三、实施基础和条件保障（应注明是否列入单位重点工作）",
    "plan": "四、项目建设方案（可另附页）",
    "schedule": "五、总体工作进度安排",
}
# 附件 2 prints this note under 四 exactly so (the list is cut short in the original).
PLAN_NOTE = "（项目实施的基本思路、）"
# An empty or short box still leaves room to write, as the printed form does.
MIN_BOX = {"goals": Cm(5), "basis": Cm(5), "plan": Cm(8), "schedule": Cm(6)}


def heading(doc, text: str, new_page: bool = False) -> None:
    doc.add_paragraph(text, style="Heading 1").paragraph_format.page_break_before = new_page


def text_sections(doc, a) -> None:
    key_work = {True: "是", False: "否"}.get(getattr(a, "key_work", None), "")
    heading(doc, HEADINGS["goals"])
    _box(doc, "goals", values.paragraphs(a.goals))
    heading(doc, HEADINGS["basis"])
    _box(doc, "basis", [f"是否列入单位重点工作：{key_work}", *values.paragraphs(a.basis)], plain_first=True)
    heading(doc, HEADINGS["plan"])
    note = doc.add_paragraph()
    note.paragraph_format.space_after = Pt(6)
    ooxml.run(note, PLAN_NOTE, BODY_FONT, SIZE_BODY)
    _box(doc, "plan", values.paragraphs(a.plan))
    heading(doc, HEADINGS["schedule"])
    _schedule(doc, a.schedule or [])


def _box(doc, key: str, paragraphs: list, plain_first: bool = False) -> None:
    """One ruled cell the width of the text; each paragraph (a text, or a bold lead and a text)
    indented two characters.

    Long texts break across pages inside the cell (rows may split), so 30,000 characters of
    建设方案 run on over as many pages as they need.
    """
    table = grid(doc, 1, [Cm(TEXT_WIDTH_CM)])
    row = table.rows[0]
    ooxml.row_height(row, MIN_BOX[key])
    cell = row.cells[0]
    paragraph = cell.paragraphs[0]
    for i, item in enumerate(paragraphs or [""]):
        lead, text = item if isinstance(item, tuple) else ("", item)
        if i:
            paragraph = cell.add_paragraph()
        paragraph.paragraph_format.line_spacing = LINE_TEXT
        if i == 0:
            paragraph.paragraph_format.space_before = Pt(6)
        if not (plain_first and i == 0):
            ooxml.first_line_indent_chars(paragraph, SIZE_BODY)
        if lead:
            ooxml.run(paragraph, lead, BODY_FONT, SIZE_BODY, bold=True)
        ooxml.run(paragraph, text, BODY_FONT, SIZE_BODY)


def _schedule(doc, schedule: list[dict]) -> None:
    """Each stage as “时间：工作内容”, the time in bold; a stage's further lines follow it."""
    paragraphs: list = []
    for item in schedule:
        period = " ".join(values.paragraphs(item.get("period")))
        work = values.paragraphs(item.get("work")) or [""]
        paragraphs.append((f"{period}：", work[0]))
        paragraphs.extend(work[1:])
    _box(doc, "schedule", paragraphs)
