"""Site search: a static index of character pairs, written after the build, read by
`content/assets/search-engine.js`. See docs/ARCHITECTURE.md (Search) for why not Pagefind."""

from __future__ import annotations

import posixpath
import re

from .index import IndexStats, write_index
from .pages import SearchPage
from .text import page_blocks

# Only links to entity pages rank anything (pages.LINKED_KINDS); a county page links to
# dozens of projects, and resolving every href was most of the indexing time nationally.
_ENTITY_LINK = re.compile(r"(?:^|/)(?:counties|cities|lists|institutions)/[^/#?]+/?(?:#.*)?$")


def _resolve(base: str, href: str) -> str | None:
    """A relative or absolute site link from the page at `base` ('/a/b/') as a site path."""
    path = href.split("#", 1)[0]
    if not path or ":" in path or path.startswith("//"):
        return None
    joined = posixpath.normpath(posixpath.join(base, path))
    return joined + "/" if path.endswith("/") else joined


def search_page(url: str, title: str, html: str, meta: dict | None) -> SearchPage:
    """The index's view of one built page: its data from `meta`, its text and links from `html`."""
    blocks, hrefs = page_blocks(html)
    page = SearchPage.from_meta(url, title, meta, blocks)
    targets = {_resolve(url, href) for href in set(hrefs) if _ENTITY_LINK.search(href)}
    page.links = sorted(t for t in targets if t)
    return page


__all__ = ["IndexStats", "SearchPage", "search_page", "write_index"]
