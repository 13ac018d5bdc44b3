"""The form pages inside the built site's own page shell: one product, tested on the real build.

The forms app is started (werkzeug, threaded) with the session's built site as SITE_DIR, so
what is checked is what a visitor gets: the theme's header, tabs, search box and footer, the
theme's inline scripts allowed by hash and nothing else inline, links that work at any depth.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from forms_on_site import forms_app, serving
from site_pages import DESKTOP, PHONE

FORM_PAGES = {"apply": "/apply/", "briefings": "/briefings/", "login": "/admin/login", "app-404": "/apply/no-such-page/x"}


@pytest.fixture(scope="module")
def forms_url(site_dir, tmp_path_factory):
    with serving(forms_app(site_dir, tmp_path_factory.mktemp("forms"))) as url:
        yield url


def _get(url: str) -> tuple[int, dict, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8")


@pytest.mark.parametrize("name", FORM_PAGES)
def test_form_pages_share_the_site_header_tabs_search_and_footer(forms_url, site_dir, name):
    status, headers, html = _get(forms_url + FORM_PAGES[name])
    assert status == (404 if name == "app-404" else 200)
    doc = lxml.html.fromstring(html)
    home = lxml.html.fromstring((site_dir / "index.html").read_text(encoding="utf-8"))
    tabs = [a.text_content().strip() for a in doc.xpath("//nav[contains(@class, 'md-tabs')]//a")]
    assert tabs and tabs == [a.text_content().strip() for a in home.xpath("//nav[contains(@class, 'md-tabs')]//a")]
    # Every link and asset of the shell is root-relative: form pages live at any depth.
    for ref in doc.xpath("//link/@href | //script/@src | //nav[contains(@class, 'md-tabs')]//a/@href"):
        assert ref.startswith("/") or ref.startswith("http"), ref
    assert "主办单位" in doc.xpath("string(//footer)")
    assert doc.xpath("//div[@class='gp-forms']//h1"), "the form page's own heading is missing"
    assert len(doc.xpath("//h1")) == 1
    # The theme's inline scripts run under the app's CSP by hash; an edited shell would not.
    csp = headers["Content-Security-Policy"]
    inline = [s.text for s in doc.xpath("//script[not(@src) and not(@type='application/json')]") if s.text]
    assert inline and all(re.search(r"'sha256-[A-Za-z0-9+/=]+'", csp) for _ in inline)
    assert "'unsafe-inline'" not in csp


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_form_pages_run_without_errors_and_fit_a_phone(browser, forms_url, output_dir, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for name, path in FORM_PAGES.items():
            page.goto(forms_url + path, wait_until="load")
            assert page.locator("header form.gp-header-search input").count() >= 1, name
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name}: page {overflow}px wider than the screen"
            page.screenshot(path=str(output_dir / "screenshots" / f"form-{name}-{viewport['width']}.png"), full_page=True)
        assert not errors, errors
    finally:
        context.close()
