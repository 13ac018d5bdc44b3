"""Reading the built site: parsed pages, links resolved to site paths, slugs from data."""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from site_builder.site_model import county_slug, institution_slug

ORIGIN = "http://site.invalid"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@functools.cache
def _parse(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def page_file(site_dir: Path, url: str) -> Path:
    """The file behind a site path such as '/counties/360703/'."""
    path = site_dir / unquote(url).lstrip("/")
    return path / "index.html" if url.endswith("/") else path


def load(site_dir: Path, url: str):
    """The parsed page at `url`; fails clearly when it does not exist."""
    path = page_file(site_dir, url)
    assert path.is_file(), f"page {url} missing ({path})"
    return _parse(path)


def article(tree):
    """The page's main content (what Material renders from the Markdown), inside the search wrapper."""
    found = tree.xpath("//article[contains(concat(' ', @class, ' '), ' md-content__inner ')]")
    assert found, "no <article class=md-content__inner>"
    body = found[0].xpath("./div[@data-pagefind-body]")
    return body[0] if body else found[0]


def norm(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip()


def _visible(element):
    if element.get("hidden") is not None:
        return
    if element.text and isinstance(element.tag, str):
        yield element.text
    for child in element:
        yield from _visible(child)
        if child.tail:
            yield child.tail


def text(element) -> str:
    """The text a reader sees: whitespace collapsed, [hidden] parts (search keys) left out."""
    return norm("".join(_visible(element)))


def resolve(page_url: str, href: str) -> str | None:
    """A link's target as a site path ('/a/b/'), or None when it leaves the site."""
    target = urlsplit(urljoin(ORIGIN + page_url, href))
    if f"{target.scheme}://{target.netloc}" != ORIGIN:
        return None
    return target.path


def links(element, page_url: str) -> set[str]:
    """Site paths of every <a href> inside `element`."""
    return {p for a in element.iter("a") if a.get("href") and (p := resolve(page_url, a.get("href")))}


def sections(element, tag: str = "h2") -> dict[str, list]:
    """The article split at each <tag>: heading text → the elements after it, up to the next."""
    out: dict[str, list] = {}
    current = None
    for child in element:
        if child.tag == tag:
            current = out.setdefault(text(child), [])
        elif current is not None:
            current.append(child)
    return out


def section_links(elements, page_url: str) -> set[str]:
    return set().union(*(links(e, page_url) for e in elements)) if elements else set()


# Page URLs of records, as the site names them.


def project_url(project_id: str) -> str:
    return f"/projects/{project_id}/"


def county_url(county: dict) -> str:
    return f"/counties/{county_slug(county)}/"


def institution_url(name: str) -> str:
    return f"/institutions/{institution_slug(name)}/"


def document_url(document: dict) -> str:
    return "/" + document["page"].removesuffix(".md") + "/"


def call_url(call_id: str) -> str:
    return f"/calls/{call_id}/"


def city_url(slug: str) -> str:
    return f"/cities/{slug}/"


def list_url(list_id: str) -> str:
    return f"/lists/{list_id}/"


def with_shared_rows(site_dir: Path, page_url: str, tree):
    """The page as a reader with JavaScript sees it: each `tr.gp-shared` placeholder replaced by
    the rows of its fragment file (what portal.js does), read from the built site. A copy:
    parsed pages are cached and shared between tests."""
    tree = copy.deepcopy(tree)
    for holder in tree.xpath("//tr[contains(@class, 'gp-shared')]"):
        target = resolve(page_url, holder.get("data-rows"))
        fragment = site_dir / target.lstrip("/")
        assert fragment.is_file(), f"{page_url}: shared rows {target} missing"
        rows = lxml.html.fragments_fromstring(fragment.read_text(encoding="utf-8"), no_leading_text=True)
        parent = holder.getparent()
        index = parent.index(holder)
        parent.remove(holder)
        for offset, row in enumerate(r for r in rows if isinstance(r, lxml.html.HtmlElement)):
            parent.insert(index + offset, row)
    return tree
