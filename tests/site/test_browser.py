"""The site in a real browser (Debian's Chromium via Playwright): pages, filters, screenshots."""

from __future__ import annotations

import re

import pytest
from site_pages import DESKTOP, PHONE, institution_url

PAGES = {
    "home": "/",
    "project": "/projects/jx2022-004/",
    "county": "/counties/360703/",
    "institution": institution_url("豫章师范学院"),
    "notice": "/notices/jx-2022-14/",
    "call": "/calls/ha-2024-chucai-3/",
    "catalogue": "/projects/36/",
    "search": "/search/?q=南康区",
}


@pytest.mark.parametrize("name", ["home", "project", "county", "institution", "notice", "call", "catalogue"])
def test_page_loads_from_this_host_only_without_errors(watched, name):
    watched.goto(PAGES[name])
    watched.page.wait_for_load_state("networkidle")
    h1 = watched.page.locator("article h1").first.inner_text()
    assert h1.strip(), "page has no title"
    assert not watched.outside_requests(), watched.outside_requests()
    assert not watched.console_errors, watched.console_errors


def _rows(page) -> list[dict]:
    """The catalogue's visible rows: name, scope and the sort value of 人数."""
    return page.evaluate(
        """() => {
            const table = document.querySelector('table.gp-sortable');
            const col = Array.from(table.tHead.rows[0].cells).findIndex(th => th.textContent.trim() === '人数');
            return Array.from(table.tBodies[0].rows).filter(r => !r.hidden)
                .map(r => ({name: r.cells[0].textContent.trim(), scope: r.dataset.scope, year: r.dataset.year,
                            participants: Number(r.cells[col].dataset.value)}));
        }"""
    )


def test_catalogue_filters_and_sorting(watched, dataset):
    jiangxi = [p for p in dataset.get("projects") if p["province"] == "江西省"]
    page = watched.page
    watched.goto("/projects/36/")
    count = page.locator("form.gp-filters .gp-count")
    assert page.locator("form.gp-filters").is_visible()
    assert count.inner_text() == f"显示 {len(jiangxi)} / {len(jiangxi)} 个项目"
    assert len(_rows(page)) == len(jiangxi)

    page.select_option("form.gp-filters select[name=year]", "2022")
    assert len(_rows(page)) == sum(1 for p in jiangxi if p["year"] == 2022)
    page.select_option("form.gp-filters select[name=scope]", "指定县")
    named = [p for p in jiangxi if p["year"] == 2022 and p["scope"] == "指定县"]
    rows = _rows(page)
    assert len(rows) == len(named) and {r["scope"] for r in rows} == {"指定县"}
    page.fill("form.gp-filters input[name=q]", "帮扶")
    expected = sorted(p["name"] for p in named if "帮扶" in p["name"] or "帮扶" in (p.get("institution") or ""))
    assert 0 < len(expected) < len(named)
    assert sorted(r["name"] for r in _rows(page)) == expected
    assert count.inner_text() == f"显示 {len(expected)} / {len(jiangxi)} 个项目"
    # The filters live in the address, so a filtered list can be shared.
    assert "scope=" in page.url and "q=" in page.url

    page.fill("form.gp-filters input[name=q]", "")
    page.select_option("form.gp-filters select[name=scope]", "")
    assert len(_rows(page)) == len(jiangxi)
    header = page.locator("table.gp-sortable th", has_text="人数")
    header.click()
    values = [r["participants"] for r in _rows(page)]
    assert values == sorted(values) and values[0] < values[-1]
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    values = [r["participants"] for r in _rows(page)]
    assert values == sorted(values, reverse=True)
    assert header.get_attribute("aria-sort") == "descending"
    assert not watched.outside_requests() and not watched.console_errors


def test_catalogue_opens_with_filters_from_the_address(watched, dataset):
    """The home page links a province × year as projects/<code>/#year=…; the filter applies on load."""
    watched.goto("/projects/36/#scope=项目县")
    expected = sum(1 for p in dataset.get("projects") if p["province"] == "江西省" and p["scope"] == "项目县")
    assert len(_rows(watched.page)) == expected
    assert watched.page.locator("form.gp-filters select[name=scope]").input_value() == "项目县"


def test_home_search_box_leads_to_results(watched):
    page = watched.page
    watched.goto("/")
    box = page.locator(".gp-search-home input[name=q]")
    box.fill("豫章师范学院")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector("#gp-search-page[data-state=done]")
    href = page.locator(".gp-result-link").first.get_attribute("href")
    assert href.endswith(institution_url("豫章师范学院")), href


SCREENSHOTS = ["home", "county", "catalogue", "project", "call", "search"]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_screenshots_and_no_sideways_scrolling(browser, base_url, output_dir, device):
    """Phone (360×740) and desktop (1280×900) screenshots into test-output/screenshots/."""
    viewport = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
    page = context.new_page()
    try:
        for name in SCREENSHOTS:
            page.goto(base_url + PAGES[name], wait_until="networkidle")
            if name == "search":
                page.wait_for_selector("#gp-search-page[data-state=done]")
            path = output_dir / "screenshots" / f"{name}-{device}.png"
            page.screenshot(path=str(path), full_page=name != "catalogue")
            assert path.stat().st_size > 5_000, path
            # Wide tables scroll inside their own box; the page itself must not.
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{PAGES[name]} is {overflow}px wider than a {viewport['width']}px screen"
    finally:
        context.close()


def test_catalogue_keyword_finds_the_projects_reaching_a_county_or_city(watched, dataset):
    """`瑞金` finds the projects whose scope names 瑞金市 or whose county list holds it; `赣州市` its city."""
    from site_builder.site_model import SiteModel

    model = SiteModel(dataset)
    jiangxi = [p for p in model.projects if p["province"] == "江西省"]
    for query, match in (("瑞金", lambda c: c["name"] == "瑞金市"), ("赣州市", lambda c: c["city"] == "赣州市")):
        expected = sorted(p["id"] for p in jiangxi if any(match(c) for c in model.project_counties(p)) or query in p["name"])
        assert expected, query
        if query == "瑞金":
            watched.goto("/projects/36/#q=" + query)  # a shared filtered address
        else:
            watched.page.fill("form.gp-filters input[name=q]", query)
        ids = watched.page.evaluate(
            "() => [...document.querySelectorAll('table.gp-sortable tbody tr:not([hidden]) td.gp-c-name a')].map(a => a.href.split('/').at(-2))"
        )
        assert sorted(ids) == expected, query


def test_county_page_filters_by_how_a_project_reaches_it(watched, dataset):
    watched.goto("/counties/360781/")
    page = watched.page
    page.wait_for_function("document.documentElement.dataset.rowsLoaded === '1'")
    assert page.locator("tr.gp-shared").count() == 0, "shared rows not put in place"
    rows = "table#reach tbody tr:not(.gp-group):not([hidden])"
    total = page.locator(rows).count()
    from site_builder.site_model import SiteModel

    model = SiteModel(dataset)
    assert total == model.reach(next(c for c in dataset.get("counties") if c["name"] == "瑞金市")).total
    page.select_option("form.gp-filters select[name=reach]", "点名")
    named = [p for p in dataset.get("projects") if p["scope"] == "指定县" and "瑞金市" in (p.get("counties") or [])]
    assert 0 < page.locator(rows).count() == len(named) < total
    page.select_option("form.gp-filters select[name=sort]", "num:人数:descending")
    values = page.evaluate(f"() => [...document.querySelectorAll('{rows} td.gp-c-num')].map(td => Number(td.dataset.value))")
    assert values == sorted(values, reverse=True)
    page.select_option("form.gp-filters select[name=reach]", "")
    assert page.locator(rows).count() == total
    assert not watched.console_errors
