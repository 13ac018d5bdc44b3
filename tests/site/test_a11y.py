"""Accessibility of the site in Chromium (GB/T 37668, WCAG 2.1 AA).

- axe-core over every page kind at 360 × 740 and 1280 × 900, and with the 大字/高对比 mode on:
  no serious or critical violation of the WCAG 2.0/2.1 A and AA rules (all findings, moderate and
  minor included, are written to test-output/a11y/ for review);
- keyboard only: the header search box and its suggestions, the search page's filters, the
  catalogue's filters and sorting, the menu on a phone; every element Tab reaches is on screen
  and shows a focus ring;
- the 大字/高对比 toggle: aria-pressed, remembered across pages, applied before the page body
  exists (no flash), nothing wider than a 360 px screen with large text.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from a11y_checks import blocking, describe, focused, run_axe, save_report, tab_until
from site_pages import DESKTOP, PHONE, institution_url

PAGES = {
    "home": "/",
    "catalogue-index": "/projects/",
    "catalogue": "/projects/36/",
    "project": "/projects/jx2022-004/",
    "county": "/counties/360781/",
    "city": "/cities/360700/",
    "institution": institution_url("豫章师范学院"),
    "institution-index": "/institutions/",
    "notice": "/notices/jx-2022-14/",
    "notice-index": "/notices/",
    "county-index": "/counties/",
    "province-counties": "/counties/36/",
    "list": "/lists/jx-2022-xmx/",
    "downloads": "/downloads/",
    "call": "/calls/ha-2024-chucai-3/",
    "search": "/search/?q=" + quote("瑞金"),
    "404": "/404.html",
}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}
MODE_KEY = "gp-a11y"


def open_page(context, base_url: str, path: str):
    page = context.new_page()
    page.goto(base_url + path, wait_until="networkidle")
    if path.startswith("/search/"):
        page.wait_for_selector("#gp-search-page[data-state=done]")
    return page


def new_context(browser, device: str, large: bool = False):
    context = browser.new_context(viewport=DEVICES[device], device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
    if large:
        context.add_init_script(f"localStorage.setItem('{MODE_KEY}', 'on')")
    return context


@pytest.fixture(scope="module")
def axe_contexts(browser):
    """One browser context per (device, mode), shared by the axe runs of this module."""
    made = {}

    def get(device: str, large: bool):
        if (device, large) not in made:
            made[device, large] = new_context(browser, device, large)
        return made[device, large]

    yield get
    for context in made.values():
        context.close()


# Every page kind on both screens; with 大字/高对比 on, every kind on the phone (where large text
# is tightest) and three on the desktop (colours do not depend on the width).
AXE_CASES = [(name, device, "default") for name in PAGES for device in DEVICES]
AXE_CASES += [(name, "phone", "large") for name in PAGES] + [(name, "desktop", "large") for name in ("home", "county", "catalogue")]


@pytest.mark.parametrize(("name", "device", "mode"), AXE_CASES, ids=["-".join(c) for c in AXE_CASES])
def test_axe_finds_no_serious_violation(axe_contexts, base_url, name, device, mode):
    page = open_page(axe_contexts(device, mode == "large"), base_url, PAGES[name])
    try:
        assert page.evaluate("document.documentElement.classList.contains('gp-contrast')") == (mode == "large")
        violations = run_axe(page)
        save_report(f"site-{name}-{device}-{mode}", PAGES[name], violations)
        serious = blocking(violations)
        assert not serious, f"{PAGES[name]} at {device} ({mode}):\n{describe(serious)}"
    finally:
        page.close()


def test_axe_with_the_suggestions_open(watched):
    """The combobox with its listbox open and an option chosen is still clean."""
    page = watched.page
    watched.goto("/counties/360781/")
    box = page.locator(".md-header .gp-header-search input[name=q]")
    box.focus()
    page.keyboard.type("赣州")
    page.wait_for_selector(".gp-suggest:not([hidden]) li")
    page.keyboard.press("ArrowDown")
    serious = blocking(run_axe(page))
    assert not serious, describe(serious)


# ---- keyboard only ----


def active(page, js: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {js}; }})()")


def test_header_search_by_keyboard_only(watched):
    """Tab from the top of a page to the header box; type; arrows choose; Escape closes; Enter opens."""
    page = watched.page
    watched.goto("/projects/jx2022-004/")
    # The 大字 toggle comes just before the search box in the tab order.
    tab_until(page, "el.classList.contains('gp-a11y-toggle')")
    page.keyboard.press("Tab")
    assert active(page, "el.matches('.md-header .gp-header-search input[name=q]')")
    assert focused(page)["ring"], focused(page)
    page.keyboard.type("赣州")
    page.wait_for_selector(".md-header .gp-suggest:not([hidden]) li")
    box = page.locator(".md-header .gp-header-search input[name=q]")
    assert box.get_attribute("role") == "combobox" and box.get_attribute("aria-expanded") == "true"
    options = page.locator(".md-header .gp-suggest li[role=option]")
    n = options.count()
    assert n >= 2
    page.keyboard.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")  # wraps to the last option
    assert box.get_attribute("aria-activedescendant") == options.nth(n - 1).get_attribute("id")
    # The chosen option shows a ring of its own (focus stays in the box).
    assert page.evaluate("el => getComputedStyle(el).outlineStyle", options.nth(n - 1).element_handle()) != "none"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.locator(".md-header .gp-suggest").is_hidden()
    assert active(page, "el.matches('.gp-header-search input')"), "Escape must leave focus in the box"
    page.keyboard.press("Control+A")
    page.keyboard.type("瑞金")
    page.wait_for_selector(".md-header .gp-suggest:not([hidden]) li")
    page.keyboard.press("ArrowDown")
    assert page.locator(".md-header .gp-suggest li[aria-selected=true] .gp-suggest-name").inner_text() == "瑞金市"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/counties/360781/$"))
    # Shift+Tab leaves the box and closes the list.
    page.locator(".md-header .gp-header-search input[name=q]").focus()
    page.keyboard.type("赣")
    page.wait_for_selector(".md-header .gp-suggest:not([hidden]) li")
    page.keyboard.press("Shift+Tab")
    assert page.locator(".md-header .gp-suggest").is_hidden()
    assert not watched.console_errors


def test_search_page_filters_by_keyboard_only(watched):
    page = watched.page
    watched.goto("/search/?q=" + quote("培训"))
    page.wait_for_selector("#gp-search-page[data-state=done] .gp-result")
    total = page.locator(".gp-search-status").inner_text()
    # Tab from the results box to the kind buttons: one press each, Enter or Space presses.
    page.focus("#gp-q")
    tab_until(page, "el.classList.contains('gp-kind-button') && el.textContent.startsWith('项目')")
    assert focused(page)["ring"], focused(page)
    page.keyboard.press("Enter")
    page.wait_for_selector("#gp-search-page[data-state=done]")
    assert "kind=" in page.url
    assert page.locator(".gp-kind-button[aria-pressed=true]").inner_text().startswith("项目")
    metas = page.locator(".gp-result .gp-kind").all_inner_texts()
    assert metas and set(metas) == {"项目"}, metas
    # The buttons are re-rendered: focus must not be lost to the page.
    assert active(page, "el !== document.body"), "focus fell back to <body> after filtering"
    # The year filter, changed with arrow keys only.
    tab_until(page, "el.tagName === 'SELECT' && el.name === 'year'")
    before = page.locator("select[name=year]").input_value()
    page.keyboard.press("ArrowDown")
    page.wait_for_selector("#gp-search-page[data-state=done]")
    year = page.locator("select[name=year]").input_value()
    assert year != before and f"year={year}" in page.url
    assert all(f"{year} 年" in m for m in page.locator(".gp-result .gp-result-meta").all_inner_texts())
    # Back to everything with Shift+Tab to 全部 and Space.
    tab_until(page, "el.classList.contains('gp-kind-button') && el.textContent === '全部'", key="Shift+Tab")
    page.keyboard.press("Space")
    page.wait_for_selector("#gp-search-page[data-state=done]")
    assert "kind=" not in page.url
    assert page.locator(".gp-search-status").inner_text() != "" and total
    assert not watched.console_errors


def catalogue_rows(page) -> int:
    return page.evaluate("document.querySelectorAll('table.gp-sortable tbody tr:not([hidden])').length")


def test_catalogue_filters_and_sorting_by_keyboard_only(watched, dataset):
    page = watched.page
    watched.goto("/projects/36/")
    jiangxi = [p for p in dataset.get("projects") if p["province"] == "江西省"]
    assert catalogue_rows(page) == len(jiangxi)
    tab_until(page, "!!el.closest('form.gp-filters')")
    # Tab walks every control of the filter form in turn, each with a ring.
    seen = []
    while active(page, "!!el.closest('form.gp-filters')") and len(seen) < 12:
        assert focused(page)["ring"], focused(page)
        seen.append(active(page, "el.name"))
        page.keyboard.press("Tab")
    assert {"q", "year", "scope", "sort"} <= set(seen), seen
    tab_until(page, "el.closest('form.gp-filters') && el.name === 'year'", key="Shift+Tab")
    page.keyboard.press("ArrowDown")
    year = page.locator("form.gp-filters select[name=year]").input_value()
    assert year
    assert catalogue_rows(page) == sum(1 for p in jiangxi if str(p["year"]) == year)
    page.keyboard.press("ArrowUp")
    assert catalogue_rows(page) == len(jiangxi)
    tab_until(page, "el.closest('form.gp-filters') && el.name === 'q'", key="Shift+Tab")
    page.keyboard.type("帮扶")
    expected = sum(1 for p in jiangxi if "帮扶" in p["name"] or "帮扶" in (p.get("institution") or ""))
    assert 0 < catalogue_rows(page) <= len(jiangxi)
    assert catalogue_rows(page) >= expected
    assert "q=" in page.url
    for _ in range(2):
        page.keyboard.press("Backspace")
    assert catalogue_rows(page) == len(jiangxi)
    # Sorting: the 人数 header takes focus; Enter sorts up, Space sorts down.
    tab_until(page, "el.tagName === 'TH' && el.textContent.trim().startsWith('人数')")
    assert focused(page)["ring"], focused(page)
    header = page.locator("table.gp-sortable th", has_text="人数")
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert not watched.console_errors


def test_phone_menu_opens_and_closes_by_keyboard(browser, base_url):
    """Material's menu (a <label>) is a real button on phones: Enter opens it, focus goes in, Escape closes."""
    context = new_context(browser, "phone")
    page = open_page(context, base_url, "/counties/360781/")
    try:
        tab_until(page, "el.classList.contains('gp-menu-button')", limit=5)
        button = page.locator(".gp-menu-button")
        assert button.get_attribute("aria-expanded") == "false" and button.get_attribute("aria-label") == "导航菜单"
        assert focused(page)["ring"] and focused(page)["onScreen"]
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        page.wait_for_function("document.activeElement.closest('.md-sidebar--primary') !== null")
        assert focused(page)["onScreen"], focused(page)
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert active(page, "el.classList.contains('gp-menu-button')")
        # Closed, the menu's links are out of the tab order: Tab goes on to the page.
        page.wait_for_function("getComputedStyle(document.querySelector('.md-sidebar--primary')).visibility === 'hidden'")
        for _ in range(6):
            page.keyboard.press("Tab")
            assert not active(page, "!!el.closest('.md-sidebar--primary')"), "Tab entered the closed menu"
    finally:
        context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
@pytest.mark.parametrize("name", ["home", "catalogue", "county", "notice", "search", "downloads"])
def test_every_tab_stop_is_on_screen_with_a_focus_ring(axe_contexts, base_url, name, device):
    """The first 30 Tab stops of a page: each on screen, each with a visible ring."""
    page = open_page(axe_contexts(device, False), base_url, PAGES[name])
    try:
        problems = []
        for _ in range(30):
            page.keyboard.press("Tab")
            f = focused(page)
            if f is None:
                break
            if not (f["ring"] and f["onScreen"]):
                problems.append(f)
        assert not problems, f"{PAGES[name]} at {device}: tab stops without a visible ring or off screen: {problems[:5]}"
    finally:
        page.close()


# ---- the 大字/高对比 toggle ----


def mode_state(page) -> dict:
    return page.evaluate(
        """() => ({classes: document.documentElement.className,
                   root: parseFloat(getComputedStyle(document.documentElement).fontSize),
                   text: getComputedStyle(document.querySelector('article') || document.body).color,
                   pressed: document.querySelector('.gp-a11y-toggle')?.getAttribute('aria-pressed'),
                   stored: localStorage.getItem('gp-a11y')})"""
    )


# Record the mode at the moment <body> is created: nothing can be painted before that.
AT_BODY = """
new MutationObserver((records, observer) => {
  if (document.body) {
    window.__atBody = {classes: document.documentElement.className,
                       root: parseFloat(getComputedStyle(document.documentElement).fontSize)};
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_toggle_by_keyboard_is_remembered_across_pages_and_applied_before_paint(browser, base_url, output_dir):
    context = new_context(browser, "desktop")
    context.add_init_script(AT_BODY)
    page = open_page(context, base_url, "/counties/360781/")
    try:
        off = mode_state(page)
        assert off["pressed"] == "false" and "gp-large" not in off["classes"] and off["stored"] is None
        toggle = page.locator(".md-header .gp-a11y-toggle")
        assert toggle.count() == 1 and toggle.is_visible()
        assert "大字" in toggle.inner_text()
        page.screenshot(path=str(output_dir / "screenshots" / "a11y-off-county-desktop.png"), full_page=False)
        tab_until(page, "el.classList.contains('gp-a11y-toggle')")
        assert focused(page)["ring"], focused(page)
        page.keyboard.press("Enter")
        on = mode_state(page)
        assert on["pressed"] == "true" and on["stored"] == "on"
        assert "gp-large" in on["classes"] and "gp-contrast" in on["classes"]
        assert on["root"] == pytest.approx(off["root"] * 1.25, rel=0.01)
        assert on["text"] == "rgb(0, 0, 0)", on["text"]
        page.screenshot(path=str(output_dir / "screenshots" / "a11y-on-county-desktop.png"), full_page=False)
        # Another page, reached by following a link: still on, and on before <body> existed.
        page.locator("article a[href*='/cities/']").first.click()
        page.wait_for_url(re.compile(r"/cities/\d+/$"))
        there = mode_state(page)
        assert there["pressed"] == "true" and "gp-contrast" in there["classes"]
        at_body = page.evaluate("window.__atBody")
        assert "gp-large" in at_body["classes"] and at_body["root"] == pytest.approx(there["root"]), at_body
        # Space turns it off again, everywhere.
        page.locator(".md-header .gp-a11y-toggle").focus()
        page.keyboard.press("Space")
        back = mode_state(page)
        assert back["pressed"] == "false" and back["stored"] is None and "gp-large" not in back["classes"]
        page.goto(base_url + "/projects/36/", wait_until="load")
        assert "gp-large" not in page.evaluate("window.__atBody.classes")
    finally:
        context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_large_text_fits_a_phone(axe_contexts, base_url, output_dir, name):
    """With large text on, nothing is wider than a 360 px screen (wide tables scroll in their box)."""
    page = open_page(axe_contexts("phone", True), base_url, PAGES[name])
    try:
        state = mode_state(page)
        assert "gp-large" in state["classes"] and state["pressed"] == "true"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{PAGES[name]} with large text is {overflow}px wider than a 360px screen"
        # The header keeps its controls on screen.
        for selector in (".gp-a11y-toggle", ".gp-header-search input", ".gp-menu-button"):
            box = page.locator(".md-header " + selector).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, (selector, box)
        if name in ("home", "county"):
            page.screenshot(path=str(output_dir / "screenshots" / f"a11y-on-{name}-phone.png"), full_page=False)
    finally:
        page.close()


def test_phone_screenshot_with_the_mode_off(axe_contexts, base_url, output_dir):
    page = open_page(axe_contexts("phone", False), base_url, PAGES["county"])
    try:
        assert mode_state(page)["pressed"] == "false"
        page.screenshot(path=str(output_dir / "screenshots" / "a11y-off-county-phone.png"), full_page=False)
    finally:
        page.close()
