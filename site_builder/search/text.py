"""Text as the search sees it: folding, character grams, pinyin keys, blocks of a page.

`fold` has a twin in `content/assets/search-engine.js` (`fold`); the two must agree code
point by code point, or a query stops finding what is on the page. The rule is
short on purpose: NFKC (full-width letters, digits and brackets become half-width),
lower case, and every punctuation, separator, control or format character dropped, so
`〔2022〕`, `[2022]` and `2022` all fold to `2022` and `（1）` to `1`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import lxml.html
from pypinyin import Style, lazy_pinyin, pinyin

# Unassigned code points (Cn) are kept: Python and the browser may know different Unicode
# versions, and a code point one of them has not heard of must fold alike in both.
_DROPPED_CATEGORIES = ("P", "Z", "Cc", "Cf", "Cs", "Co")


@cache
def _fold_char(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        if not unicodedata.category(c).startswith(_DROPPED_CATEGORIES):
            out.append(c)
    return "".join(out)


class _FoldTable(dict):
    """code point → folded text, filled on first sight, for `str.translate` (a loop in C)."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """The searchable form of `text`: see the module docstring."""
    return text.translate(_FOLD_TABLE)


def grams(folded: str) -> set[str]:
    """Every character and every pair of adjacent characters of a folded string."""
    return set(folded) | set(map(str.__add__, folded, folded[1:]))


# Suffixes a reader leaves off a place name (瑞金 for 瑞金市), longest first.
_PLACE_SUFFIXES = ("自治县", "自治旗", "自治州", "地区", "林区", "特区", "新区", "盟", "县", "区", "市", "旗")


def short_place_name(name: str) -> str | None:
    """瑞金市 → 瑞金; None when nothing of two characters or more would remain (新县)."""
    for suffix in _PLACE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return None


# Place names keep old readings (于都 is yúdū, pypinyin's first guess is yúdōu): every
# combination of each character's two likeliest readings is a key, at most this many.
MAX_READINGS = 8


def pinyin_keys(name: str) -> list[str]:
    """Full pinyin and initials, without tones or spaces: 瑞金市 → ruijinshi, rjs (and variants)."""
    # Long names (institutions) take pypinyin's phrase-aware reading only: their variants
    # would multiply without adding what anyone types.
    default = lazy_pinyin(name, errors="ignore")
    if len(name) <= 5:
        readings = [r[:2] for r in pinyin(name, style=Style.NORMAL, heteronym=True, errors="ignore")]
    else:
        readings = [[r] for r in default]
    if not readings:
        return []
    spellings = [""]
    for options in readings:
        spellings = [s + o for s in spellings for o in options][:MAX_READINGS]
    initials = {"".join(o[0][:1] for o in readings), "".join(r[:1] for r in default)}
    return list(dict.fromkeys(s.lower() for s in [*spellings, *sorted(initials)] if s))


def place_names(name: str) -> list[str]:
    """The names a reader may type for a place: its name, short name and their pinyin."""
    names = [name]
    short = short_place_name(name)
    if short:
        names.append(short)
    for n in list(names):
        names.extend(pinyin_keys(n))
    return names


# Elements that do not break a line: text on either side of them runs on.
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em font i kbd mark q s samp small span strong sub sup time u var wbr del ins".split()
)
_SKIPPED = frozenset(("script", "style", "template", "noscript", "svg", "button"))
# An ignored <div> with no <div> inside (the listing tables of _macros.j2 `project_table`):
# cut before parsing. Half of a county page is such tables; parsing them only to skip them
# was most of the indexing time at national scale.
_IGNORED_LEAF_DIV = re.compile(r"<div\b[^>]*\bdata-pagefind-ignore\b[^>]*>(?:[^<]|<(?!/?div\b))*</div>")
_SPACE = re.compile(r"\s+")


def page_blocks(html: str) -> tuple[list[tuple[str, str | None, str]], list[str]]:
    """The searchable text of a page body, as (tag, id, text) blocks in document order, and its links.

    Parts marked `data-pagefind-ignore` or `hidden` are left out: they repeat what other
    pages own (listing tables) or are not shown. `tag` and `id` are those of the block's
    element, so callers can cut a long page at its headings. Links are the body's `href`s
    (they say which entities the page is about), except those of ignored listing tables,
    which link whatever the listing shows.
    """
    html = _IGNORED_LEAF_DIV.sub("", html)
    if not html.strip():
        return [], []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    links = [a.get("href") for a in root.iter("a") if a.get("href")]
    blocks: list[tuple[str, str | None, str]] = []
    current: list[str] = []
    head: list = [None]  # (tag, id) of the innermost block element being read

    def flush() -> None:
        text = _SPACE.sub(" ", "".join(current)).strip()
        current.clear()
        if text:
            blocks.append((head[0][0], head[0][1], text))

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if not tag or tag in _SKIPPED or element.get("hidden") is not None or element.get("data-pagefind-ignore") is not None:
            return
        block = tag not in _INLINE
        if block:
            flush()
            outer, head[0] = head[0], (tag, element.get("id"))
        if element.text:
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if block:
            flush()
            head[0] = outer

    walk(root)
    return blocks, links
