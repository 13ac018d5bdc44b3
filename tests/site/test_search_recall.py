"""Recall: what is on a page finds that page, as Ctrl+F would.

Every searchable page of the built site is opened in Chromium and its text taken as a reader
sees it (`innerText` of the page body, minus the parts marked data-pagefind-ignore). From that
text, with a fixed seed, 300 character runs (2–6 characters, any characters) and 300 runs of
1–3 whole words (cut by jieba, a segmenter the index does not use) are searched through
`window.portalSearch`, the function the results page renders from. Each query must return its
page; none may return nothing. Misses go to test-output/search-recall.txt.
"""

from __future__ import annotations

import random
import unicodedata

import jieba
import pytest

RUNS = 300
WORD_RUNS = 300
MIN_RECALL = 0.99

PAGE_TEXT = """() => {
    const style = document.createElement('style');
    style.textContent = '[data-pagefind-ignore] { display: none !important; }';
    document.head.appendChild(style);
    const body = document.querySelector('[data-pagefind-body]');
    return body ? body.innerText : null;
}"""

SEARCH_ALL = """async (queries) => {
    const out = [];
    for (const q of queries) {
        const r = await window.portalSearch(q);
        out.push(r.map(x => x.url.split('#')[0]));
    }
    return out;
}"""


def _searchable(text: str) -> bool:
    """A query with something to search for: not only punctuation and spaces."""
    return any(not unicodedata.category(c).startswith(("P", "Z", "C")) for c in text)


def _pages_with_search_body(site_dir) -> list[str]:
    urls = []
    for path in sorted(site_dir.rglob("index.html")):
        if b"data-pagefind-body" in path.read_bytes():
            rel = path.parent.relative_to(site_dir).as_posix()
            urls.append("/" if rel == "." else f"/{rel}/")
    return urls


@pytest.fixture(scope="module")
def page_texts(browser, base_url, site_dir) -> dict[str, list[str]]:
    """Each searchable page's visible lines, read in the browser."""
    context = browser.new_context()
    page = context.new_page()
    texts = {}
    try:
        for url in _pages_with_search_body(site_dir):
            page.goto(base_url + url, wait_until="domcontentloaded")
            text = page.evaluate(PAGE_TEXT)
            lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
            if lines:
                texts[url] = lines
    finally:
        context.close()
    assert len(texts) > 150, "fewer searchable pages than the seed site has"
    return texts


def _char_runs(texts: dict[str, list[str]], rng: random.Random, n: int) -> list[tuple[str, str]]:
    urls = sorted(texts)
    out = []
    while len(out) < n:
        url = rng.choice(urls)
        line = rng.choice(texts[url])
        size = rng.randint(2, 6)
        if len(line) < size:
            continue
        start = rng.randrange(len(line) - size + 1)
        run = line[start : start + size]
        if _searchable(run):
            out.append((run, url))
    return out


def _word_runs(texts: dict[str, list[str]], rng: random.Random, n: int) -> list[tuple[str, str]]:
    urls = sorted(texts)
    out = []
    while len(out) < n:
        url = rng.choice(urls)
        tokens = jieba.lcut(rng.choice(texts[url]))
        words = [i for i, w in enumerate(tokens) if w.strip()]
        if not words:
            continue
        size = min(rng.randint(1, 3), len(words))
        first = rng.randrange(len(words) - size + 1)
        # the words as the line has them, with whatever space lies between them
        run = "".join(tokens[words[first] : words[first + size - 1] + 1])
        if _searchable(run):
            out.append((run, url))
    return out


def _recall(browser, base_url, samples: list[tuple[str, str]]) -> tuple[float, list[str], list[str]]:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base_url + "/search/")
        page.wait_for_function("typeof window.portalSearch === 'function'")
        results = page.evaluate(SEARCH_ALL, [q for q, _ in samples])
    finally:
        context.close()
    assert not errors, errors
    misses = [f"{q!r} from {url}: {len(found)} results, first {found[:3]}" for (q, url), found in zip(samples, results, strict=True) if url not in found]
    empty = [q for (q, _), found in zip(samples, results, strict=True) if not found]
    return 1 - len(misses) / len(samples), misses, empty


@pytest.mark.parametrize("kind", ["character runs", "whole words"])
def test_any_text_on_a_page_finds_that_page(browser, base_url, page_texts, output_dir, kind):
    rng = random.Random(20261123)
    samples = _char_runs(page_texts, rng, RUNS) if kind == "character runs" else _word_runs(page_texts, rng, WORD_RUNS)
    recall, misses, empty = _recall(browser, base_url, samples)
    name = "chars" if kind == "character runs" else "words"
    (output_dir / f"search-recall-{name}.txt").write_text(
        f"{kind}: {len(samples)} queries, recall {recall:.4f}\n" + "\n".join(misses) + "\n", encoding="utf-8"
    )
    assert not empty, f"queries for text that is on the site found nothing: {empty}"
    assert recall >= MIN_RECALL, f"{kind}: recall {recall:.3f}\n" + "\n".join(misses[:20])
