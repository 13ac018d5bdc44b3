"""The 申报书 as a reader sees it: LibreOffice renders the .docx to PDF, read back for its pages,
text, fonts and geometry; every page is kept as a PNG in test-output/shenbaoshu/ to look at.

The documents are built from Application rows as the database holds them (naive UTC times) and
the call as the data gives it; all renders of this module share one LibreOffice run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest
from test_shenbaoshu_docx import draft_application, hostile_application, typical_application

from forms_app.apply.docx import build_docx
from forms_app.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]

SOFFICE = shutil.which("soffice")
OUTPUT = ROOT / "test-output" / "shenbaoshu"
A4 = (595.3, 841.9)  # points
CM = 72 / 2.54
HEADINGS = ["一、基本信息", "二、项目拟完成目标（500字以内）", "三、实施基础和条件保障（应注明是否列入单位重点工作）",
            "四、项目建设方案（可另附页）", "（项目实施的基本思路、）", "五、总体工作进度安排", "六、申报意见"]  # fmt: skip
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: run scripts/system-deps.sh")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Rendered:
    """One rendered document: its pages, and each page's text with white space removed."""

    def __init__(self, pdf_path):
        self.pdf = pdfplumber.open(pdf_path)
        self.pages = self.pdf.pages
        self.texts = [squeeze(page.extract_text() or "") for page in self.pages]
        self.all = "".join(self.texts)

    def chars(self, text: str, page_no: int | None = None) -> list[dict]:
        """The characters of the first occurrence of `text` (white space ignored) on a page."""
        for i, page in enumerate(self.pages):
            if page_no is not None and i != page_no:
                continue
            chars = [c for c in page.chars if c["text"].strip()]
            joined = "".join(c["text"] for c in chars)
            at = joined.find(squeeze(text))
            if at >= 0:
                return chars[at : at + len(squeeze(text))]
        raise AssertionError(f"{text!r} not rendered")

    def tables(self, page_no: int) -> list[list[list[str | None]]]:
        """The ruled tables of a page, cell texts without white space; None where a merged cell continues."""
        return [[[None if c is None else squeeze(c) for c in row] for row in t] for t in self.pages[page_no].extract_tables()]

    def page_of(self, text: str) -> int:
        return next(i for i, t in enumerate(self.texts) if squeeze(text) in t)


@pytest.fixture(scope="module")
def rendered(data_dir, tmp_path_factory) -> dict[str, Rendered]:
    """typical / hostile / draft, built and converted by one LibreOffice run, PNGs kept."""
    call = load_catalog(data_dir).call
    work = tmp_path_factory.mktemp("shenbaoshu")
    cases = {"typical": typical_application(), "hostile": hostile_application(), "draft": draft_application()}
    for name, application in cases.items():
        (work / f"{name}.docx").write_bytes(build_docx(application, call, None).getvalue())
    convert(work, [work / f"{name}.docx" for name in cases])
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob("*.png"):
        old.unlink()
    for name in cases:
        document = pypdfium2.PdfDocument(work / f"{name}.pdf")
        for i in range(len(document)):
            document[i].render(scale=1.5).to_pil().save(OUTPUT / f"{name}-{i + 1:02d}.png")
        document.close()
    out = {name: Rendered(work / f"{name}.pdf") for name in cases}
    yield out
    for doc in out.values():
        doc.pdf.close()


def convert(work, paths) -> None:
    """soffice with a profile of its own (parallel runs would share and lock the default one) and
    the repository's fontconfig aliases, as scripts/system-deps.sh installs them."""
    fonts = work / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<include>{ROOT / 'scripts' / 'fonts' / '64-zh-office-fonts.conf'}</include></fontconfig>",
        encoding="utf-8",
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(work), "FONTCONFIG_FILE": str(fonts)}
    command = [SOFFICE, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
               "--convert-to", "pdf", "--outdir", str(work), *map(str, paths)]  # fmt: skip
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)
    missing = [p for p in paths if not p.with_suffix(".pdf").exists()]
    assert not missing, f"soffice did not convert {missing}: {result.stdout} {result.stderr}"


def test_every_page_is_a4_and_numbered_after_the_cover(rendered):
    for name, doc in rendered.items():
        for page in doc.pages:
            assert (round(page.width, 1), round(page.height, 1)) == A4, name
        assert not re.search(r"—\d+—", doc.texts[0]), "the cover has no page number"
        for number, page in enumerate(doc.pages[1:], start=1):
            foot = doc.chars(f"—{number}—", number)
            middle = (foot[0]["x0"] + foot[-1]["x1"]) / 2
            assert abs(middle - page.width / 2) < 15 and foot[0]["top"] > page.height - 3.5 * CM, (name, number)


def test_fonts_are_song_for_text_and_hei_for_headings(rendered):
    """宋体 and 黑体 as the file names them, drawn with Noto Serif / Sans CJK SC by the fontconfig aliases."""
    doc = rendered["typical"]
    assert all("NotoSansCJK" in c["fontname"] for c in doc.chars("一、基本信息"))
    assert all("NotoSerifCJK" in c["fontname"] for c in doc.chars("县域教师智能研修体系建设", 1))
    assert all(c["non_stroking_color"] in (None, (0,), (0, 0, 0), [0], [0, 0, 0]) for c in doc.chars("一、基本信息"))


def test_cover_as_published(rendered):
    doc, cover = rendered["typical"], rendered["typical"].pages[0]
    text = doc.texts[0]
    assert text.startswith("河南省基础教育教师培训出彩项目申报书")
    for label, value in (("项目名称", "县域教师智能研修体系建设"), ("项目负责人", "王建国"),
                         ("单位（盖章）", "河南师范大学"), ("填表日期", "2024年4月20日")):  # fmt: skip
        assert label + value in text
        value_chars = doc.chars(value, 0)
        # the value stands on an underline: a horizontal rule just below it, about 9 cm long
        rules = [e for e in cover.edges if e["orientation"] == "h" and 0 < e["top"] - value_chars[0]["bottom"] < 0.6 * CM]
        assert rules and max(r["x1"] - r["x0"] for r in rules) > 8 * CM, label
    foot = doc.chars("河南省教育厅制2024年4月", 0)  # the call's province and issue month, at the foot
    assert foot[0]["top"] > cover.height * 0.75 and foot[-1]["top"] > foot[0]["top"] + 0.5 * CM
    assert "受理编号" not in text


def test_beijing_date_of_submission_not_the_utc_day_nor_the_day_begun(rendered):
    """Submitted 2024-04-19 18:40 UTC = 04-20 02:40 in Beijing; begun on 04-18 (UTC)."""
    assert "2024年4月20日" in rendered["typical"].texts[0]
    assert "2024年4月19日" not in rendered["typical"].all and "2024年4月18日" not in rendered["typical"].all
    assert "填表日期2024年4月17日" in rendered["draft"].texts[0]  # a draft: the Beijing day it was begun


def test_basic_information_table_as_in_the_official_form(rendered):
    """Rows, columns and labels of 附件 2; no 申报方向 row; 职称职务 is the title as typed, not the role."""
    doc = rendered["typical"]
    basic = doc.tables(1)[0]
    assert basic == [
        ["项目名称", "县域教师智能研修体系建设", None, None, None, None, None],
        ["负责人姓名", "王建国", None, None, None, "职称职务", "教授、校长"],
        ["联系电话", "13803710001", None, None, None, "电子邮箱", "wang@example.edu.cn"],
        ["项目参与人", "姓名", "性别", "出生年月", "职称", "研究专长", "工作单位"],
        [None, "李华", "女", "1982.03", "副教授", "教师教育", "河南师范大学"],
        [None, "赵强", "男", "1979.11", "高级教师", "信息技术", "新乡市第一中学"],
        ["项目完成时间", "2025年12月31日", None, None, None, None, None],
    ]
    assert "申报方向" not in doc.all and "高等学校校长" not in doc.all
    order = [doc.all.index(squeeze(h)) for h in HEADINGS]
    assert order == sorted(order), "every official heading, in order"


def test_every_filled_value_is_printed(rendered):
    doc = rendered["typical"]
    for value in ("建立人工智能支持下的区域教师研修体系。", "是否列入单位重点工作：是", "学校已将该项目列入年度重点工作。",
                  "第一阶段调研；第二阶段建设平台；第三阶段推广。", "2024年5月—6月：需求调研",
                  "2024年7月—2025年12月：平台建设与试点", "同意申报。", "同意推荐。"):  # fmt: skip
        assert squeeze(value) in doc.all, value


def test_opinion_boxes_leave_room_to_sign_and_seal(rendered):
    """六、申报意见 on a page of its own: two boxes, each taller than a 4 cm seal above “（盖章）”,
    “年 月 日” at the bottom right; the label breaks as 附件 2 prints it."""
    doc = rendered["typical"]
    page_no = doc.page_of("六、申报意见")
    assert page_no == len(doc.pages) - 1 and doc.texts[page_no].startswith("受理编号：CC2024-00001六、申报意见")
    page = doc.pages[page_no]
    assert doc.tables(page_no) == [
        [["单位意见", "同意申报。（盖章）年月日"], ["上级教育行政部门意见（高校除外）", "同意推荐。（盖章）年月日"]]
    ]
    label = page.extract_tables()[0][1][0]
    assert label.split("\n") == ["上级教育", "行政部门", "意见（高", "校除外）"]
    boxes = page.find_tables()[0].rows
    stamps = [c for c in page.chars if c["text"] == "盖"]
    days = [c for c in page.chars if c["text"] == "日"]
    for row, opinion, stamp, day in zip(boxes, ("同意申报。", "同意推荐。"), stamps, days, strict=True):
        top, bottom = row.bbox[1], row.bbox[3]
        assert bottom - top > 7.5 * CM
        assert stamp["top"] - doc.chars(opinion, page_no)[0]["bottom"] > 4 * CM, "a 4 cm seal fits above “（盖章）”"
        assert stamp["x0"] > page.width * 0.6 and day["x0"] > page.width * 0.7, "at the bottom right"
        assert top < stamp["top"] < day["top"] < bottom and bottom - day["bottom"] < 1.5 * CM


def test_receipt_number_in_small_type_at_the_head_of_pages_after_the_cover(rendered):
    doc = rendered["typical"]
    for i in range(1, len(doc.pages)):
        chars = doc.chars("受理编号：CC2024-00001", i)
        assert chars[0]["top"] < 3 * CM and max(c["size"] for c in chars) < 10
    assert "受理编号" not in rendered["draft"].all  # a draft has none yet


def test_hostile_and_long_input_still_renders_every_value(rendered):
    doc = rendered["hostile"]
    assert len(doc.pages) > 12, "30,000 characters of 建设方案 run on over many pages"
    first, last = doc.page_of("建设方案第1段"), doc.page_of("建设方案第300段")
    assert last - first >= 8
    people = [row for i in range(1, len(doc.pages)) for t in doc.tables(i) for row in t if row[1] and row[1].startswith("参与人")]
    assert [row[1] for row in people] == [f"参与人{i:02d}<&>" for i in range(1, 31)]
    assert all(
        row[2:] == ["男", "1980.01", "正高级教师😀", "<i>研究专长</i>", "某某县第一实验小学教育集团（东校区）" * 2] for row in people
    )
    assert "<script>alert(1)</script>&amp;" in doc.all and "项目名称“引号”'单'<b>&" in squeeze(doc.all)
    assert "前文😀后文" in doc.all or "前文后文" in doc.all.replace("😀", "")  # an emoji, drawn or not, breaks nothing
    assert "非字符" in doc.all and "\ufffe" not in doc.all
    assert "意见结束（盖章）" in doc.all, "a 2,000-character opinion runs on, nothing cut off"
    numbers = [int(m.group(1)) for t in doc.texts[1:] for m in [re.search(r"—(\d+)—", t)] if m]
    assert numbers == list(range(1, len(doc.pages)))


def test_a_draft_with_nothing_filled_prints_the_empty_form(rendered):
    doc = rendered["draft"]
    for heading in HEADINGS:
        assert squeeze(heading) in doc.all
    assert "项目名称项目负责人单位（盖章）填表日期" in doc.texts[0]
    assert "是否列入单位重点工作：" in doc.all and "None" not in doc.all
