"""A call's 立项名单 and 立项 project pages in the browser: found by the site search, cards on a
360 px phone and a table at 1280 px, nothing wider than the screen. Built from a copy of the
data with made-up results (tests/call_results_data.py) whose 公示 ended in 2024."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from a11y_checks import blocking, describe, run_axe
from call_results_data import CALL, EARLIER, add_results
from site_pages import DESKTOP, PHONE
from test_phone import OVERFLOW

ROOT = Path(__file__).resolve().parents[2]
PAGES = {"call": f"/calls/{CALL}/", "project": f"/calls/projects/{CALL}-00002/", "earlier": f"/calls/{EARLIER}/"}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="module")
def results_url(tmp_path_factory):
    """The site built from the repository's data plus made-up results, served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("results")
    for name in ("data", "content", "overrides", "site_builder"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project)
    add_results(project / "data")
    out = project / "out"
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["360", "1280"])
def screen(browser, request):
    context = browser.new_context(viewport=request.param, locale="zh-CN", service_workers="block")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", PAGES)
def test_fits_the_screen(screen, results_url, output_dir, kind):
    response = screen.goto(results_url + PAGES[kind], wait_until="load")
    assert response is not None and response.ok
    screen.wait_for_timeout(100)  # portal.js marks overflowing tables after load
    result = screen.evaluate(OVERFLOW)
    width = screen.viewport_size["width"]
    if kind != "project":
        screen.locator("table.gp-results").scroll_into_view_if_needed()
    screen.screenshot(path=str(output_dir / "screenshots" / f"call-results-{kind}-{width}.png"), full_page=kind == "project")
    assert result["page"] <= 0 and not result["bad"], result
    assert result["uncued"] == 0
    violations = blocking(run_axe(screen))
    assert not violations, describe(violations)


def test_listing_is_cards_on_a_phone_and_a_table_on_a_desktop(screen, results_url):
    screen.goto(results_url + PAGES["call"], wait_until="load")
    row = screen.locator("table.gp-results tbody tr").first
    display = row.evaluate("tr => getComputedStyle(tr).display")
    assert display == ("flex" if screen.viewport_size["width"] < 600 else "table-row")
    heading = screen.locator("h2", has_text="立项名单")
    assert heading.inner_text() == "立项名单（2 项）"
    assert "公示期：2024-06-03 至 2024-06-09" in screen.locator(".gp-result-dates").inner_text()
    assert screen.locator(".gp-stages [aria-current=step]").inner_text().startswith("已立项")


SEARCHES = {
    "县域教师智能研修体系建设": f"/calls/projects/{CALL}-00001/",
    "欧阳明月": f"/calls/projects/{CALL}-00002/",
    "县级教师发展中心实体化": f"/calls/projects/{EARLIER}-001/",
}


def test_project_pages_are_found_by_the_site_search(browser, results_url):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(results_url + "/search/")
        page.wait_for_function("typeof window.portalSearch === 'function'")
        for query, url in SEARCHES.items():
            urls = page.evaluate("q => window.portalSearch(q).then(r => r.map(x => x.url.split('#')[0]))", query)
            assert urls and urls[0] == url, (query, urls[:5])
    finally:
        context.close()
