"""WordprocessingML that python-docx has no API for: fonts by script, borders, row heights, fields."""

from __future__ import annotations

import re

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

# XML 1.0 cannot hold C0 controls (bar tab and line breaks), lone surrogates, U+FFFE or U+FFFF:
# lxml refuses them, and a row stored before input checks refused them must still print.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Word refuses a file whose property elements are out of schema order ("unreadable content"):
# each element we add goes before the first of its schema successors already present.
SUCCESSORS = {
    "w:spacing": ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:lang"),
    "w:szCs": ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em",
               "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:lang": ("w:eastAsianLayout", "w:specVanish", "w:oMath"),
    "w:tcBorders": ("w:shd", "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"),
    "w:pgNumType": ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                    "w:rtlGutter", "w:docGrid", "w:printerSettings"),
    "w:cantSplit": (),
}  # fmt: skip
EDGES = ("top", "left", "bottom", "right")  # schema order


def xml_safe(text) -> str:
    return NOT_XML.sub("", "" if text is None else str(text))


def set_font(rpr_owner, family: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Name `family` for every script (w:eastAsia too) on a run or a style; theme fonts are dropped,
    since Word lets them override the names."""
    rpr = _rpr(rpr_owner)
    fonts = rpr.get_or_add_rFonts()
    for attr in THEME_FONT_ATTRS:
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), family)
    if size_pt is not None:
        for el in (rpr.get_or_add_sz(), _child(rpr, "w:szCs")):
            el.set(qn("w:val"), str(round(size_pt * 2)))
    if bold is not None:
        for el in (rpr.get_or_add_b(), rpr.get_or_add_bCs()):
            el.set(qn("w:val"), "1" if bold else "0")


def set_black(rpr_owner) -> None:
    """Plain black text: no theme colour (Word's headings are blue by theme)."""
    color = _rpr(rpr_owner).get_or_add_color()
    for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
        color.attrib.pop(qn(attr), None)
    color.set(qn("w:val"), "000000")


def _rpr(owner):
    """The run properties of a run or style, or `owner` itself when it is a w:rPr."""
    return owner if owner.tag == qn("w:rPr") else owner.get_or_add_rPr()


def _child(parent, tag: str):
    """The child `tag` of `parent`, added in schema order if missing."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        later = [el for el in parent if el.tag in {qn(t) for t in SUCCESSORS[tag]}]
        if later:
            later[0].addprevious(found)
        else:
            parent.append(found)
    return found


def run(paragraph, text, family: str, size_pt: float, bold: bool = False, spacing_pt: float = 0):
    """A run with its font named on the run itself, so a pasted paragraph keeps its look."""
    r = paragraph.add_run(xml_safe(text))
    set_font(r._r, family, size_pt, bold)
    if spacing_pt:
        _child(r._r.get_or_add_rPr(), "w:spacing").set(qn("w:val"), str(round(spacing_pt * 20)))
    return r


def page_field(paragraph, family: str, size_pt: float) -> None:
    """A PAGE field: Word and LibreOffice put the page number in its place."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run(paragraph, "", family, size_pt)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        r._r.append(el)


def first_line_indent_chars(paragraph, size_pt: float, chars: int = 2) -> None:
    """首行缩进 two characters: in character units for Word, in twips for LibreOffice, which ignores those."""
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * size_pt * 20)))


def cell_borders(cell, **edges: str) -> None:
    """Borders of one cell: edge name (top, left, bottom, right) → 'single' or 'nil'; others as the table's."""
    tc_pr = cell._tc.get_or_add_tcPr()
    old = tc_pr.find(qn("w:tcBorders"))
    if old is not None:
        tc_pr.remove(old)
    borders = _child(tc_pr, "w:tcBorders")
    for edge in EDGES:
        if edge in edges:
            el = OxmlElement(f"w:{edge}")
            el.set(qn("w:val"), edges[edge])
            if edges[edge] != "nil":
                el.set(qn("w:sz"), "8")
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), "000000")
            borders.append(el)


def no_table_borders(table) -> None:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    if borders is not None:
        table._tbl.tblPr.remove(borders)


def row_height(row, height, exact: bool = False, keep_whole: bool = False) -> None:
    row.height = height
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    if keep_whole:  # a signature box is never cut by a page break
        _child(row._tr.get_or_add_trPr(), "w:cantSplit")


def widths(table, cm_widths) -> None:
    """Column widths in the grid and in every cell (Word reads the cells, LibreOffice the grid)."""
    table.autofit = False
    for col, width in zip(table.columns, cm_widths, strict=True):
        col.width = width
        for cell in col.cells:
            cell.width = width


def middle(cell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def restart_page_numbers(section, start: int = 1) -> None:
    _child(section._sectPr, "w:pgNumType").set(qn("w:start"), str(start))


def zh_language(style) -> None:
    """Chinese line breaking (no 、。） at a line start) wherever the style applies."""
    _child(style.element.get_or_add_rPr(), "w:lang").set(qn("w:eastAsia"), "zh-CN")
