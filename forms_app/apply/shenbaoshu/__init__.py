"""The filled 申报书 as a Word file: the official document of 附件 2 (教办师〔2024〕107号).

A4, 宋体 body and 黑体 headings named in the file; the cover as published; 一、基本信息 and the
项目参与人 sub-table; sections 二 to 五 with their notes; 六、申报意见 with room to sign and seal;
page numbers from the first page after the cover. Nothing the official form lacks, but the
受理编号 in small type at the head of each page after the cover (see `_page_furniture`).
"""

from __future__ import annotations

import datetime as dt
import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH

from . import cover, ooxml, sections, styles, tables, values

PAGE_NUMBER_SIZE = 14  # 四号, as GB/T 9704 sets page numbers: “— 1 —”


def build_docx(a, call: dict, direction: dict | None = None) -> io.BytesIO:
    """Return the .docx bytes for application `a` (a stored one or a draft: empty fields print empty).

    `direction` is accepted for the callers' sake: 附件 2 has no 申报方向 row, so it is not printed.
    """
    del direction
    doc = Document()
    styles.define_styles(doc)
    first = doc.sections[0]
    styles.page_setup(first)
    cover.cover(doc, first, a, call)
    body = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_furniture(body, getattr(a, "receipt_no", None))
    sections.heading(doc, "一、基本信息")
    tables.basic_info(doc, a)
    sections.text_sections(doc, a)
    sections.heading(doc, "六、申报意见", new_page=True)  # the page to sign and seal, both boxes together
    tables.opinions(doc, a)
    when = getattr(a, "submitted_at", None) or getattr(a, "created_at", None) or dt.datetime(2000, 1, 1)
    styles.core_properties(doc, values.form_title(call) + "申报书", when)
    out = io.BytesIO()
    doc.save(out)
    out.seek(0)
    return out


def _page_furniture(section, receipt_no: str | None) -> None:
    """Page numbers from 1 after the cover, and the 受理编号 at the top right.

    The 受理编号 is the one thing printed that 附件 2 lacks: the stamped copy comes back as a
    scanned PDF, often with its pages in separate files or out of order, and staff match each
    page to its record by it. It stands outside the form's own lines in 小五, and not on the cover.
    """
    header = section.header
    header.is_linked_to_previous = False
    if receipt_no:
        paragraph = header.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ooxml.run(paragraph, f"受理编号：{receipt_no}", styles.BODY_FONT, styles.SIZE_SMALL)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.run(paragraph, "— ", styles.BODY_FONT, PAGE_NUMBER_SIZE)
    ooxml.page_field(paragraph, styles.BODY_FONT, PAGE_NUMBER_SIZE)
    ooxml.run(paragraph, " —", styles.BODY_FONT, PAGE_NUMBER_SIZE)
    ooxml.restart_page_numbers(section)
