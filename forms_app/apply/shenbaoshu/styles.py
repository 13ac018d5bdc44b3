"""Page geometry and type: A4 with the margins of 党政机关公文格式 (GB/T 9704), 宋体 and 黑体 by name."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from . import ooxml

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
# 字号 in points: 小初 36, 二号 22, 三号 16, 四号 14, 小四 12, 五号 10.5, 小五 9.
SIZE_BODY, SIZE_HEADING, SIZE_SMALL = 12, 14, 9
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
# GB/T 9704: 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; the page number sits about 7 mm below the text.
MARGINS = {"top_margin": Cm(3.7), "bottom_margin": Cm(3.5), "left_margin": Cm(2.8), "right_margin": Cm(2.6)}
HEADER_DISTANCE, FOOTER_DISTANCE = Cm(2.2), Cm(2.2)
TEXT_WIDTH_CM = 15.6
# Exact line pitches, so Word and LibreOffice set text alike whatever the fonts' own line gaps
# (Noto CJK's are larger than SimSun's): about 1.5 lines of 小四 for running text, tighter in tables.
LINE_TEXT, LINE_CELL = Pt(22), Pt(18)


def page_setup(section) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.header_distance, section.footer_distance = HEADER_DISTANCE, FOOTER_DISTANCE
    section.gutter = Cm(0)


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"


def define_styles(doc) -> None:
    """Body 宋体 小四, headings 黑体 四号 in black: every style names its fonts and no theme."""
    # The template's second, Word 2010 copy of its styles would keep the themed ones.
    for rel_id in [r for r, rel in doc.part.rels.items() if rel.reltype == STYLES_WITH_EFFECTS]:
        doc.part.rels.pop(rel_id)
    # and its thumbnail, a blank US Letter page that file browsers would show for the 申报书
    for rel_id in [r for r, rel in doc.part.package.rels.items() if rel.reltype == THUMBNAIL]:
        doc.part.package.rels.pop(rel_id)
    for fonts in doc.styles.element.iter(qn("w:rFonts")):  # the template's other styles: fonts inherited, not themed
        for attr in ooxml.THEME_FONT_ATTRS:
            fonts.attrib.pop(qn(attr), None)
    for color in doc.styles.element.iter(qn("w:color")):
        ooxml.set_black(color.getparent())
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ooxml.set_font(rpr_default, BODY_FONT, SIZE_BODY)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal = doc.styles["Normal"]
    ooxml.set_font(normal.element, BODY_FONT, SIZE_BODY)
    ooxml.set_black(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(0), 1.25
    fmt.widow_control = True
    heading = doc.styles["Heading 1"]
    ooxml.set_font(heading.element, HEADING_FONT, SIZE_HEADING, bold=False)  # 黑体 is heavy already; bold would be faked
    ooxml.set_black(heading.element)
    fmt = heading.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(18), Pt(8), 1.0
    fmt.keep_with_next = True
    for name in ("Header", "Footer"):
        style = doc.styles[name]
        ooxml.set_font(style.element, BODY_FONT, SIZE_SMALL)
        tabs = style.element.pPr.find(qn("w:tabs"))
        if tabs is not None:  # the template's tab stops are for US Letter
            style.element.pPr.remove(tabs)
    table_grid = doc.styles["Table Grid"]
    table_grid.paragraph_format.line_spacing = 1.15


def core_properties(doc, title: str, when) -> None:
    """The file's own properties: the form's title, never the library's name as author."""
    props = doc.core_properties
    props.title, props.author, props.last_modified_by, props.comments = title, "", "", ""
    props.created = props.modified = when
    props.revision = 1
