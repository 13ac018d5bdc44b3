"""The 申报书 .docx itself, without rendering: page geometry, fonts named by script with no theme,
schema order Word insists on, the cover's foot from the call's data, hostile stored values.

The applications here are also the ones test_shenbaoshu.py renders with LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import pytest
from docx import Document
from lxml import etree

from forms_app.apply.docx import build_docx
from forms_app.apply.shenbaoshu import values
from forms_app.catalog import load_catalog
from forms_app.models import Application

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Schema order of the children Word checks (ECMA-376 CT_RPr, CT_TcPr, CT_SectPr), as far as used here.
ORDER = {
    "rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "color", "spacing", "w", "kern", "position", "sz", "szCs", "u", "lang"],
    "tcPr": ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "noWrap", "tcMar", "vAlign"],
    "sectPr": ["headerReference", "footerReference", "type", "pgSz", "pgMar", "pgNumType", "cols", "titlePg", "docGrid"],
    "tcBorders": ["top", "left", "bottom", "right"],
}


def typical_application() -> Application:
    """What tests/forms/form_inputs.py submits, stored: begun 04-18, submitted 04-20 02:40 Beijing time."""
    return Application(
        receipt_no="CC2024-00001", project_name="县域教师智能研修体系建设", leader_name="王建国", leader_title="教授、校长",
        leader_role="高等学校校长", leader_phone="138 0371 0001", leader_email="wang@example.edu.cn", unit="河南师范大学",
        participants=[
            {"name": "李华", "gender": "女", "birth": "1982-03", "title": "副教授", "expertise": "教师教育", "workplace": "河南师范大学"},
            {"name": "赵强", "gender": "男", "birth": "1979-11", "title": "高级教师", "expertise": "信息技术", "workplace": "新乡市第一中学"},
        ],
        completion_date=dt.date(2025, 12, 31), goals="建立人工智能支持下的区域教师研修体系。", key_work=True,
        basis="学校已将该项目列入年度重点工作。", plan="第一阶段调研；第二阶段建设平台；第三阶段推广。",
        schedule=[{"period": "2024年5月—6月", "work": "需求调研"}, {"period": "2024年7月—2025年12月", "work": "平台建设与试点"}],
        unit_opinion="同意申报。", authority_opinion="同意推荐。",
        created_at=dt.datetime(2024, 4, 18, 3, 0), submitted_at=dt.datetime(2024, 4, 19, 18, 40),
    )  # fmt: skip


def hostile_application() -> Application:
    """Everything at its limit: 30,000 characters of plan, 30 participants, markup, emoji, non-characters
    (stored before input refused them), a 2,000-character opinion."""
    a = typical_application()
    a.receipt_no = "CC2024-00002"
    a.project_name = "项目名称“引号”'单'<b>&" + "长" * 78
    a.goals = "<script>alert(1)</script>&amp;\n前文😀后文"
    a.basis = "含非字符\ufffe与\uffff与\x01的旧记录。\n" + "条件保障。" * 1900
    a.plan = "\n".join(f"建设方案第{i}段：" + "围绕区域教师智能研修体系建设开展工作，" * 5 for i in range(1, 301))
    a.participants = [
        {"name": f"参与人{i:02d}<&>", "gender": "男", "birth": "1980-01", "title": "正高级教师😀",
         "expertise": "<i>研究专长</i>", "workplace": "某某县第一实验小学教育集团（东校区）" * 2}
        for i in range(1, 31)
    ]  # fmt: skip
    a.schedule = [{"period": f"第{i}阶段", "work": "工作内容" * 50} for i in range(1, 31)]
    a.unit_opinion = "同意申报。" + "单位意见" * 497 + "意见结束"
    return a


def draft_application() -> Application:
    """A draft nobody has filled in yet: every field empty, no 受理编号, begun 04-17 01:00 in Beijing."""
    return Application(created_at=dt.datetime(2024, 4, 16, 17, 0), participants=[], schedule=[])


@pytest.fixture(scope="module")
def call(data_dir) -> dict:
    return load_catalog(data_dir).call


def parts(stream: io.BytesIO) -> dict[str, etree._Element]:
    with zipfile.ZipFile(stream) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist() if name.startswith("word/") and name.endswith(".xml")}


@pytest.mark.parametrize("make", [typical_application, hostile_application, draft_application])
def test_a4_with_official_margins_in_every_section(call, make):
    doc = Document(build_docx(make(), call, None))
    assert len(doc.sections) == 2  # the cover, then the numbered pages
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
        assert [round(m.mm) for m in margins] == [37, 35, 28, 26]


@pytest.mark.parametrize("make", [typical_application, hostile_application, draft_application])
def test_fonts_named_for_every_script_in_black_and_in_schema_order(call, make):
    """宋体 / 黑体 named as ascii, hAnsi and eastAsia; no theme font or colour anywhere (Word's blue
    headings); property elements in the order Word requires, or it calls the file unreadable."""
    stream = build_docx(make(), call, None)
    with zipfile.ZipFile(stream) as z:
        assert not {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"} & set(z.namelist())  # the template's leftovers
    xml = parts(stream)
    for name, root in xml.items():
        for fonts in root.iter(f"{W}rFonts"):
            assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], name
            if name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml", "word/header1.xml"):
                assert {fonts.get(f"{W}{a}") for a in ("ascii", "hAnsi", "eastAsia")} <= {"宋体", "黑体"}, name
        assert {c.get(f"{W}val") for c in root.iter(f"{W}color")} <= {"000000"}, name
        assert not [c for c in root.iter(f"{W}color") if c.get(f"{W}themeColor")], name
        for tag, order in ORDER.items():
            for el in root.iter(f"{W}{tag}"):
                seen = [order.index(c.tag[len(W) :]) for c in el if c.tag[len(W) :] in order]
                assert seen == sorted(seen), (name, tag, [c.tag[len(W) :] for c in el])
    styles = Document(build_docx(make(), call, None)).styles
    heading = styles["Heading 1"].element.rPr
    assert heading.rFonts.get(f"{W}eastAsia") == "黑体" and heading.color.get(f"{W}val") == "000000"
    assert heading.color.get(f"{W}themeColor") is None
    assert styles["Normal"].element.rPr.rFonts.get(f"{W}eastAsia") == "宋体"


def test_cover_foot_and_title_come_from_the_call(call):
    other = dict(call, province="江西省", opens=dt.date(2025, 3, 1))
    doc = Document(build_docx(typical_application(), other, None))
    cover, body = doc.sections
    assert [p.text for p in cover.footer.paragraphs] == ["江西省教育厅 制", "2025 年 3 月"]
    assert doc.paragraphs[0].text == "江西省基础教育教师培训出彩项目" and doc.paragraphs[1].text == "申报书"
    assert doc.core_properties.title == "江西省基础教育教师培训出彩项目申报书" and doc.core_properties.author == ""
    page_field = body.footer._element.xpath(".//w:instrText")
    assert [f.text.strip() for f in page_field] == ["PAGE"] and not cover.footer._element.xpath(".//w:instrText")
    assert body._sectPr.xpath("./w:pgNumType")[0].get(f"{W}start") == "1"


def test_no_direction_row_even_when_a_direction_is_given(call):
    direction = {"id": "ha-2024-chucai-3-1", "number": 1, "name": "区域教师智能研修体系建设", "due": dt.date(2025, 12, 31)}
    doc = Document(build_docx(typical_application(), call, direction))
    text = "".join(c.text for t in doc.tables for row in t.rows for c in row.cells) + "".join(p.text for p in doc.paragraphs)
    assert "申报方向" not in text and "区域教师智能研修体系建设" not in text
    assert [c.text for c in doc.tables[1].rows[1].cells][5:] == ["职称职务", "教授、校长"]


def test_stored_non_characters_and_controls_are_left_out_not_a_500(call):
    application = typical_application()
    application.leader_name = "王\ufffe建\uffff国\x01\ud800"
    application.participants = [{"name": "李\x0b华", "birth": None}]
    doc = Document(build_docx(application, call, None))
    assert doc.tables[1].rows[1].cells[1].text == "王建国" and doc.tables[1].rows[4].cells[1].text == "李华"
    assert values.xml_safe(None) == "" and values.xml_safe("a\tb\nc😀") == "a\tb\nc😀"


def test_submitted_at_is_not_needed_on_older_rows():
    """Rows from before the `submitted_at` column print their creation day, in Beijing."""
    older = SimpleNamespace(created_at=dt.datetime(2024, 4, 21, 16, 30))  # 04-22 00:30 in Beijing
    assert values.chinese_date(values.filled_on(older)) == "2024年4月22日"
    assert values.filled_on(SimpleNamespace()) is None
    aware = SimpleNamespace(submitted_at=dt.datetime(2024, 4, 19, 18, 40, tzinfo=dt.UTC))
    assert values.filled_on(aware) == dt.date(2024, 4, 20)
