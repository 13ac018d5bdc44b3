"""The results page and the header box in Chromium: what a reader sees, clicks and types."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from site_pages import DESKTOP, PHONE, institution_url


def results(page) -> list[dict]:
    """The rendered results: kind, title, href, meta line, snippet and its highlighted parts."""
    page.wait_for_selector("#gp-search-page[data-state=done]", state="attached")
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.gp-result')).map(li => ({
            kind: li.querySelector('.gp-kind').textContent,
            title: li.querySelector('.gp-result-title').textContent,
            href: new URL(li.querySelector('a').href).pathname,
            meta: (li.querySelector('.gp-result-meta') || {}).textContent || '',
            snippet: li.querySelector('.gp-result-snippet').textContent,
            marks: Array.from(li.querySelectorAll('.gp-result-snippet mark')).map(m => m.textContent),
            tags: Array.from(li.querySelectorAll('*')).map(e => e.tagName.toLowerCase()),
        }))"""
    )


def test_results_show_kind_place_and_highlighted_snippet(watched):
    page = watched.page
    watched.goto("/search/?q=" + quote("南康区"))
    found = results(page)
    assert found[0]["href"] == "/counties/360703/" and found[0]["kind"] == "县" and found[0]["title"] == "南康区"
    assert "江西省" in found[0]["meta"]
    assert "南康区" in found[0]["marks"]
    kinds = {r["kind"] for r in found}
    assert {"县", "市", "名单", "项目"} <= kinds, kinds
    assert page.locator(".gp-search-status").inner_text().startswith("找到 ")
    assert page.title().startswith("南康区")
    page.locator(".gp-result-link").first.click()
    page.wait_for_url(re.compile(r"/counties/360703/$"))
    assert not watched.outside_requests() and not watched.console_errors


def test_filters_by_kind_province_and_year_follow_the_address(watched):
    page = watched.page
    watched.goto("/search/?q=" + quote("项目县"))
    everything = results(page)
    assert len({r["kind"] for r in everything}) > 1
    page.get_by_role("button", name=re.compile("^名单")).click()
    page.wait_for_url(re.compile(r"kind=%E5%90%8D%E5%8D%95"))
    lists = results(page)
    assert lists and {r["kind"] for r in lists} == {"名单"}
    page.select_option("select[name=year]", "2022")
    only = results(page)
    assert only and all("2022 年" in r["meta"] and "江西省" in r["meta"] for r in only)
    # The filtered search is an address one can share, and the back button undoes a filter.
    shared = page.url
    page.go_back()
    page.wait_for_function("!location.search.includes('year=')")
    assert len(results(page)) >= len(only)
    page.goto(shared)
    assert {r["kind"] for r in results(page)} == {"名单"}
    assert page.locator("select[name=year]").input_value() == "2022"
    watched.goto("/search/?q=" + quote("培训"))
    results(page)
    page.select_option("select[name=province]", "河南省")
    henan = results(page)
    assert henan and all("河南省" in r["meta"] for r in henan)
    assert not watched.console_errors


def test_keyboard_moves_from_the_box_through_the_results(watched):
    page = watched.page
    watched.goto("/search/?q=" + quote("井冈山大学"))
    found = results(page)
    page.focus("#gp-q")
    page.keyboard.press("Escape")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('gp-result-link')")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("new URL(document.activeElement.href).pathname") == found[1]["href"]
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(institution_url("井冈山大学")) + "$"))


def test_a_query_with_no_match_offers_the_closest_names_and_the_catalogues(watched):
    page = watched.page
    watched.goto("/search/?q=" + quote("瑞全市"))
    results(page)
    assert "没有找到" in page.locator(".gp-search-status").inner_text()
    page.wait_for_selector(".gp-closest-list li")
    closest = page.locator(".gp-closest-list a").all_inner_texts()
    assert "瑞金市" in closest[:3], closest
    browse = page.locator(".gp-noresults").inner_text()
    assert "项目县总览" in browse and "江西省" in browse
    assert page.locator(".gp-browse-provinces a", has_text="江西省").get_attribute("href").endswith("/projects/36/")
    assert not watched.console_errors


HOSTILE = [
    "南" * 1000,
    "！？，。、；：",
    "😀🎉👩‍🏫",
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=1</script>南康",
    "\ud800南康",
    "",
    "   ",
    "%E5%8D%97' OR 1=1 --",
]


@pytest.mark.parametrize("query", HOSTILE, ids=["1000 chars", "punctuation", "emoji", "img", "script", "lone surrogate", "empty", "spaces", "sql"])
def test_hostile_queries_give_a_message_never_an_error_or_markup(watched, query):
    page = watched.page
    watched.goto("/search/")
    page.wait_for_function("typeof window.portalSearch === 'function'")
    # Typed into the box and submitted, as a reader would (evaluate: Playwright cannot type a lone surrogate).
    page.evaluate("q => { const i = document.getElementById('gp-q'); i.value = q; i.form.requestSubmit(); }", query)
    page.wait_for_function("document.getElementById('gp-search-page').dataset.state === 'done'")
    status = page.locator(".gp-search-status").inner_text()
    assert status.strip()
    assert page.evaluate("window.__pwned") is None
    tags = set(page.evaluate("() => Array.from(document.querySelectorAll('.gp-results *, .gp-closest *')).map(e => e.tagName.toLowerCase())"))
    assert tags <= {"li", "a", "span", "p", "mark", "ul"}, tags
    assert page.evaluate("document.querySelectorAll('#gp-search-page img, #gp-search-page script').length") == 0
    assert not watched.console_errors, watched.console_errors


def suggestions(page, box: str, text: str) -> list[str]:
    page.fill(box, text)
    page.wait_for_selector(".gp-suggest:not([hidden]) li")
    return page.locator(".gp-suggest:not([hidden]) li .gp-suggest-name").all_inner_texts()


@pytest.mark.parametrize("typed", ["瑞金", "rjs", "ruijin"])
def test_header_box_suggests_entities_and_opens_the_chosen_one(watched, typed):
    page = watched.page
    watched.goto("/projects/jx2022-004/")
    box = ".md-header .gp-header-search input[name=q]"
    names = suggestions(page, box, typed)
    assert names[0] == "瑞金市", names
    assert page.get_attribute(box, "aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    assert page.get_attribute(box, "aria-activedescendant")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/counties/360781/$"))
    assert not watched.outside_requests() and not watched.console_errors


@pytest.mark.parametrize("start", ["/projects/jx2022-004/", "/counties/36/", "/"])
def test_header_box_submits_to_the_results_page(watched, start):
    page = watched.page
    watched.goto(start)
    box = page.locator(".md-header .gp-header-search input[name=q]")
    box.fill("遂川县")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert results(page)[0]["title"] == "遂川县"
    assert page.locator("#gp-q").input_value() == "遂川县"
    assert not watched.console_errors


SHOTS = {
    "search-results": "/search/?q=" + quote("赣州"),
    "search-empty": "/search/?q=" + quote("瑞全市"),
    "search-suggest": "/counties/360703/",
}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_search_screenshots_fit_the_screen(browser, base_url, output_dir, device):
    """Results, suggestions and the no-result page at 360 px and 1280 px, into test-output/screenshots/."""
    viewport = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, locale="zh-CN", is_mobile=device == "phone", device_scale_factor=1)
    page = context.new_page()
    try:
        for name, url in SHOTS.items():
            page.goto(base_url + url)
            if name == "search-suggest":
                suggestions(page, ".md-header .gp-header-search input[name=q]", "赣")
            elif name == "search-empty":
                page.wait_for_selector(".gp-closest-list li")
            else:
                results(page)
            path = output_dir / "screenshots" / f"{name}-{device}.png"
            page.screenshot(path=str(path), full_page=name != "search-suggest")
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{url} is {overflow}px wider than a {viewport['width']}px screen"
            if name == "search-suggest":
                box = page.locator(".gp-suggest:not([hidden])").bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1, box
    finally:
        context.close()


def test_the_browser_folds_text_exactly_as_the_indexer_does(watched):
    """fold() has twins in Python (index) and JS (query, highlight); they must agree code point by code point."""
    from site_builder.search.text import fold

    ranges = [(0x20, 0x17F), (0x2000, 0x214F), (0x2460, 0x24FF), (0x3000, 0x303F), (0x3200, 0x32FF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x4E00, 0x4E80)]
    chars = [chr(c) for lo, hi in ranges for c in range(lo, hi + 1)] + ["😀", "👩‍🏫", "〇", "㎡", "Ⅻ", "İ"]
    watched.goto("/search/")
    folded = watched.page.evaluate("chars => chars.map(c => window.GP_SEARCH.fold(c))", chars)
    mismatches = [(f"U+{ord(c[0]):04X}", fold(c), js) for c, js in zip(chars, folded, strict=True) if fold(c) != js]
    assert not mismatches, mismatches[:20]


def test_a_long_page_is_found_when_its_best_section_only_looks_like_a_match(watched):
    """乡村幼儿园: one section of the Jiangxi notice has 乡村, 幼儿 and 儿园 apart, another has the phrase."""
    watched.goto("/search/")
    watched.page.wait_for_function("typeof window.portalSearch === 'function'")
    found = watched.page.evaluate("q => portalSearch(q)", "乡村幼儿园")
    notice = [r["url"] for r in found if r["url"].startswith("/notices/jx-2022-14/")]
    assert notice, [r["url"] for r in found]
    assert not watched.console_errors
