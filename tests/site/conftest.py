"""Fixtures for the site suite: the real site built once, served locally, and a headless Chromium.

The site is built from the repository root exactly as `mkdocs build --strict` builds it, into a
temporary directory, and served by a threaded `http.server` on a free 127.0.0.1 port. Set
GP_SITE_SOURCE to a directory holding mkdocs.yml, data/, content/ … to build from a scratch
copy instead (for work in progress); CI never sets it.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from chromium import launch
from site_pages import DESKTOP

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"


@pytest.fixture(scope="session")
def source_dir() -> Path:
    """Where the site is built from: the repository root, or GP_SITE_SOURCE."""
    return Path(os.environ.get("GP_SITE_SOURCE") or ROOT).resolve()


@pytest.fixture(scope="session")
def dataset(source_dir: Path):
    """The validated data the site was built from (the expectations of the page tests)."""
    from site_builder.problems import format_text
    from site_builder.validate import validate

    dataset, problems = validate(source_dir / "data")
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, format_text(errors)
    return dataset


@pytest.fixture(scope="session")
def site_dir(source_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole site, built once per session with `python -m mkdocs build --strict`."""
    source = source_dir
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build --strict failed (exit {result.returncode}):\n{result.stdout}\n{result.stderr}", pytrace=False)
    return out


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature of the base class
        pass


@pytest.fixture(scope="session")
def base_url(site_dir: Path) -> Iterator[str]:
    """Serve the built site on a free port of 127.0.0.1; yields 'http://127.0.0.1:<port>'."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """test-output/ at the repository root (git-ignored)."""
    (OUTPUT / "screenshots").mkdir(parents=True, exist_ok=True)
    return OUTPUT


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright's sync API (a missing browser fails)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """A page plus what it asked the network for and what it wrote to the console."""

    page: object
    base_url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return response

    def outside_requests(self) -> list[str]:
        """Requests to any host but the local server (data: and blob: URLs stay in the page)."""
        return [
            url for url in self.requests if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).hostname != "127.0.0.1"
        ]


@pytest.fixture
def watched(browser, base_url: str) -> Iterator[Watched]:
    """A fresh desktop-sized page that records every request and console error."""
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN", service_workers="block")
    page = context.new_page()
    w = Watched(page=page, base_url=base_url)
    page.on("request", lambda request: w.requests.append(request.url))
    page.on("console", lambda message: w.console_errors.append(f"{message.type}: {message.text}") if message.type == "error" else None)
    page.on("pageerror", lambda error: w.console_errors.append(f"pageerror: {error}"))
    try:
        yield w
    finally:
        context.close()
