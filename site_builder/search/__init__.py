"""Site search: a static index of character pairs, written after the build, read by
`content/assets/search-engine.js`. See docs/ARCHITECTURE.md (Search) for why not Pagefind."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from .index import IndexStats, write_index
from .pages import SearchPage
from .text import page_blocks


def search_page(url: str, title: str, html: str, meta: dict | None) -> SearchPage:
    """The index's view of one built page: its data from `meta`, its text and links from `html`."""
    blocks, hrefs = page_blocks(html)
    page = SearchPage.from_meta(url, title, meta, blocks)
    page.links = sorted({urlsplit(urljoin(url, href)).path for href in hrefs if not urlsplit(href).scheme})
    return page


__all__ = ["IndexStats", "SearchPage", "search_page", "write_index"]
