"""Debian's Chromium for the browser tests: where it is and how it must be started."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# This machine has no network beyond package registries: without these flags
# Chromium keeps trying Google's hosts and its connections are refused.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> None:
    """Fail (never skip) without the browser: `make test` installs it."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium not found at /usr/bin/chromium: run scripts/system-deps.sh")


def launch(playwright):
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
