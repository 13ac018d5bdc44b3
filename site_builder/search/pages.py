"""What the search indexes: one SearchPage per page, cut into units of bounded size.

A page's kind, province, year and names come from the data (front matter written by
`site_builder.pages`, or the notice's document record); its text comes from the built
HTML of its body, so the index holds what a reader sees and nothing else.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from .text import pinyin_keys, place_names

# Kinds in rank order: on equal match quality the earlier kind comes first.
KINDS = ("县", "市", "名单", "承训单位", "文件", "项目", "页面")
# Kinds whose names a reader types without the IME: they also get pinyin keys (places
# also their short name, 瑞金 for 瑞金市, and its pinyin).
PLACE_KINDS = frozenset(("市", "县"))
PINYIN_KINDS = PLACE_KINDS | {"承训单位"}
# Kinds offered as suggestions under the header box (bounded in number nationally:
# about 3,000 counties, 340 cities, a few hundred institutions, lists and notices).
SUGGESTED_KINDS = frozenset(("市", "县", "名单", "承训单位", "文件"))
# Kinds whose pages are "about" something other pages link to: when a query names one of
# them exactly, the pages linking to it rank first among the body matches.
LINKED_KINDS = frozenset(("县", "市", "名单", "承训单位"))

# A long page (a notice with a 78-row table) is cut at its headings into units of about
# this many characters, so a result fetches a few kB for its snippet, not the whole text.
UNIT_MIN_CHARS = 1200
UNIT_MAX_CHARS = 3000
_HEADINGS = frozenset(("h2", "h3"))


@dataclass
class SearchPage:
    url: str
    title: str
    kind: str
    province: str | None = None
    year: int | None = None
    names: list[str] = field(default_factory=list)  # exact names besides the title
    blocks: list[tuple[str, str | None, str]] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # site paths this page links to

    @classmethod
    def from_meta(cls, url: str, title: str, meta: dict | None, blocks: list) -> SearchPage:
        """A page from the `search` mapping of its front matter (kind, province, year, names)."""
        meta = meta if isinstance(meta, dict) else {}
        kind = meta.get("kind") if meta.get("kind") in KINDS else "页面"
        year = meta.get("year")
        names = [str(n) for n in meta.get("names") or [] if n]
        return cls(
            url=url,
            title=title,
            kind=kind,
            province=meta.get("province") or None,
            year=year if isinstance(year, int) else None,
            names=names,
            blocks=blocks,
        )

    @functools.cached_property
    def all_names(self) -> list[str]:
        """Every exact name of the page: title, aliases, 文号, and for places short names and pinyin."""
        out: list[str] = []
        for name in [self.title, *self.names]:
            if self.kind in PLACE_KINDS:
                out.extend(place_names(name))
            elif self.kind in PINYIN_KINDS:
                out.extend([name, *pinyin_keys(name)])
            else:
                out.append(name)
        return list(dict.fromkeys(n for n in out if n))

    def rank_key(self, provinces: dict[str, int]) -> tuple:
        return (KINDS.index(self.kind), provinces.get(self.province or "", -1), -(self.year or 0), len(self.title), self.url)


@dataclass
class Unit:
    """A piece of a page that the index addresses: the whole page, or one of its sections."""

    page: SearchPage
    part: int
    anchor: str | None
    heading: str | None
    texts: list[str]


def units(page: SearchPage) -> list[Unit]:
    """Cut a page at h2/h3 headings into units of UNIT_MIN..UNIT_MAX characters."""
    out: list[Unit] = []
    texts: list[str] = []
    size = 0
    anchor = heading = None
    for tag, element_id, text in page.blocks:
        starts_section = tag in _HEADINGS and size >= UNIT_MIN_CHARS
        if texts and (starts_section or size + len(text) > UNIT_MAX_CHARS):
            out.append(Unit(page, len(out), anchor, heading, texts))
            texts, size = [], 0
            if starts_section:
                anchor, heading = element_id, text
        texts.append(text)
        size += len(text)
    if texts or not out:
        out.append(Unit(page, len(out), anchor, heading, texts or [page.title]))
    return out
