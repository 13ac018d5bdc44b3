"""Accessibility of the form pages in Chromium (GB/T 37668, WCAG 2.1 AA), inside the site's shell.

The site is built once (as `mkdocs build --strict`) and the app started on it (werkzeug, threaded),
so the pages are what a visitor gets: the theme's header with the 大字/高对比 toggle, the forms
inside. Checked: axe-core finds no serious or critical WCAG 2.0/2.1 A/AA violation on the 申报
form (blank and with errors), the 简报 form, a receipt, the admin login and the app's 404, at
360 and 1280 px and with the mode on; the 申报 form works by keyboard alone, in order, with
errors announced and reachable; the toggle is remembered between form pages.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from a11y_checks import blocking, describe, focused, run_axe, save_report, tab_until
from chromium import launch
from form_inputs import Client, application_form
from forms_on_site import forms_app, serving

ROOT = Path(__file__).resolve().parents[2]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
DEVICES = {"phone": PHONE, "desktop": DESKTOP}
SCREENSHOTS = ROOT / "test-output" / "screenshots"
SHOTS = ("apply-errors", "receipt")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}", pytrace=False)
    return out


@pytest.fixture(scope="module")
def forms(built_site, tmp_path_factory):
    """The app on the built site: (base URL, {page name: path}); a receipt made through the app itself."""
    app = forms_app(built_site, tmp_path_factory.mktemp("forms"))
    response = Client(app).post("/apply/", application_form())
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    pages = {
        "apply": "/apply/",
        "briefings": "/briefings/",
        "receipt": response.headers["Location"],
        "login": "/admin/login",
        "app-404": "/apply/no-such-page/x",
    }
    with serving(app) as url:
        yield url, pages


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


def new_context(browser, device: str, large: bool = False):
    context = browser.new_context(viewport=DEVICES[device], device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
    if large:
        context.add_init_script("localStorage.setItem('gp-a11y', 'on')")
    return context


def submit_blank_by_keyboard(page) -> None:
    """Focus 提交申报 and press Enter: the form comes back with its errors."""
    page.locator("form button.primary[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


CASES = [(name, device, mode) for name in ("apply", "apply-errors", "briefings", "briefings-errors", "receipt", "login", "app-404")
         for device, mode in (("phone", "default"), ("desktop", "default"), ("phone", "large"))]  # fmt: skip


@pytest.mark.parametrize(("name", "device", "mode"), CASES, ids=["-".join(c) for c in CASES])
def test_axe_finds_no_serious_violation(browser, forms, name, device, mode):
    base, pages = forms
    context = new_context(browser, device, mode == "large")
    page = context.new_page()
    try:
        page.goto(base + pages[name.removesuffix("-errors")], wait_until="load")
        if name.endswith("-errors"):
            submit_blank_by_keyboard(page)
            assert page.locator(".error-summary").count() == 1
        violations = run_axe(page)
        save_report(f"forms-{name}-{device}-{mode}", page.url.removeprefix(base), violations)
        serious = blocking(violations)
        assert not serious, f"{name} at {device} ({mode}):\n{describe(serious)}"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than the screen"
        if name in SHOTS:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"a11y-{'on' if mode == 'large' else 'off'}-form-{name}-{device}.png"))
    finally:
        context.close()


# Every control of the 申报 form a visitor fills in, in document order (what Tab must visit).
CONTROLS = """() => Array.from(document.querySelectorAll(
    'form[action$="/apply/"] :is(input, select, textarea, button):not([type=hidden]):not([disabled])'))
  .filter(el => el.getClientRects().length)
  .map(el => el.type === 'radio' ? 'radio:' + el.name : (el.name || el.id) + (el.type === 'submit' && !el.name ? ':submit' : ''))"""


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_apply_form_by_keyboard_alone(browser, forms, device):
    """Tab visits every field and the two buttons (提交申报, 保存草稿) in order, each on screen with a focus ring;
    a blank submission comes back with the errors announced, focused and linked to their fields."""
    base, pages = forms
    context = new_context(browser, device)
    page = context.new_page()
    try:
        page.goto(base + pages["apply"], wait_until="load")
        expected = []
        for control in page.evaluate(CONTROLS):
            if not expected or expected[-1] != control or not control.startswith("radio:"):
                expected.append(control)  # a radio group is one Tab stop
        tab_until(page, "!!el.closest('form[action$=\"/apply/\"]')")
        visited = []
        for _ in range(3 * len(expected)):
            f = focused(page)
            assert f and f["ring"] and f["onScreen"], f
            name = page.evaluate(
                "(() => { const el = document.activeElement; return el.type === 'radio' ? 'radio:' + el.name"
                " : (el.name || el.id) + (el.type === 'submit' && !el.name ? ':submit' : ''); })()"
            )
            if not visited or visited[-1] != name or name == "action":  # date and month boxes take several Tab stops
                visited.append(name)
            if len(visited) == len(expected):  # the last control: 保存草稿 after 提交申报
                break
            page.keyboard.press("Tab")
        assert visited == expected, f"Tab order {visited} != document order {expected}"
        # A radio group is chosen with the arrow keys.
        page.locator("input[name=direction_id]").first.focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
        checked = page.evaluate("Array.from(document.querySelectorAll('input[name=direction_id]')).findIndex(r => r.checked)")
        assert checked == (1 if page.locator("input[name=direction_id]").count() > 1 else 0)

        page.locator("input[name=direction_id]").evaluate_all("rs => rs.forEach(r => { r.checked = false; })")
        submit_blank_by_keyboard(page)
        summary = page.locator(".error-summary")
        assert summary.get_attribute("role") == "alert"
        assert page.evaluate("document.activeElement.classList.contains('error-summary')"), "the error summary must take focus"
        links = summary.locator("a[href^='#']")
        assert links.count() >= 5, "the summary lists each error with a link to its field"
        # Every invalid field says so and points at its message.
        invalid = page.locator("[aria-invalid=true]")
        assert invalid.count() >= 5
        for i in range(invalid.count()):
            field = invalid.nth(i)
            described = field.get_attribute("aria-describedby")
            assert described, field.evaluate("el => el.outerHTML")
            message = page.evaluate("ids => ids.split(' ').map(id => document.getElementById(id)?.textContent || '').join(' ')", described)
            assert message.strip(), described
        # Following a link of the summary by keyboard lands on that field.
        summary.locator("a[href='#project_name']").focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "project_name"
        direction = summary.locator("a", has_text="申报方向")
        direction.focus()
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.name") == "direction_id"
    finally:
        context.close()


def test_toggle_is_remembered_between_form_pages_and_fits_a_phone(browser, forms):
    base, pages = forms
    context = new_context(browser, "phone")
    page = context.new_page()
    try:
        page.goto(base + pages["apply"], wait_until="load")
        toggle = page.locator("header .gp-a11y-toggle")
        assert toggle.count() == 1 and toggle.get_attribute("aria-pressed") == "false"
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        tab_until(page, "el.classList.contains('gp-a11y-toggle')")
        page.keyboard.press("Enter")
        assert toggle.get_attribute("aria-pressed") == "true"
        assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") == pytest.approx(root * 1.25, rel=0.01)
        for name in ("briefings", "login", "receipt", "app-404"):
            page.goto(base + pages[name], wait_until="load")
            assert page.locator("header .gp-a11y-toggle").get_attribute("aria-pressed") == "true", name
            assert page.evaluate("document.documentElement.classList.contains('gp-contrast')"), name
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name} with large text is {overflow}px wider than a 360px screen"
        page.locator("header .gp-a11y-toggle").click()
        page.goto(base + pages["apply"], wait_until="load")
        assert page.locator("header .gp-a11y-toggle").get_attribute("aria-pressed") == "false"
    finally:
        context.close()
