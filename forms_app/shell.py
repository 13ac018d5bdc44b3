"""The site's page shell around every form page: one header, tab bar, search box and footer.

The static build renders `forms-shell/index.html` (content/forms-shell.md) with the theme;
its content is a marker comment. At start-up the app cuts that page at the marker and at
its <title>, and its templates put each form page in between, so the forms look and work
like the rest of the site without a copy of the theme's markup to keep in step.

Without a built site (the forms' own tests, a fresh checkout) a plain shell stands in.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

SHELL_PAGE = Path("forms-shell") / "index.html"
_MARKER = re.compile(r"<!--\s*gp:forms-main.*?-->", re.DOTALL)
_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", re.DOTALL)
# The shell page lives one level down (/forms-shell/); form pages live at any depth.
_RELATIVE = (
    (re.compile(r'((?:href|src)=")\.\./'), r"\1/"),
    (re.compile(r'((?:href|src)=")\.\."'), r'\1/"'),
    (re.compile(r'new URL\("\.\.",location\)'), 'new URL("/",location)'),
    (re.compile(r'"base": "\.\."'), '"base": "/"'),
)


@dataclass(frozen=True)
class Shell:
    head: Markup  # up to and including <title>
    head_end: Markup  # </title> … just before </head>
    body_start: Markup  # </head> … where the page goes
    body_end: Markup  # after the page … </html>
    script_hashes: tuple[str, ...]  # CSP sources for the shell's inline scripts
    from_site: bool


FALLBACK = Shell(
    head=Markup(
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    ),
    head_end=Markup(
        '</title>\n<link rel="stylesheet" href="/assets/search.css">\n<link rel="stylesheet" href="/assets/a11y.css">\n'
        '<script src="/assets/a11y.js"></script>\n'
        '<script src="/assets/search-engine.js" defer></script>\n<script src="/assets/search-box.js" defer></script>\n'
    ),
    body_start=Markup('</head>\n<body>\n<header class="top"><a class="brand" href="/">国培计划信息门户</a></header>\n<main>\n'),
    body_end=Markup('</main>\n<footer class="bottom">国培计划信息门户 · <a href="/">返回首页</a></footer>\n</body>\n</html>\n'),
    script_hashes=(),
    from_site=False,
)


def load_shell(site_dir: Path) -> Shell:
    """Cut the built shell page into the pieces the templates put around a form page."""
    path = Path(site_dir) / SHELL_PAGE
    try:
        html = path.read_text(encoding="utf-8")
    except OSError:
        return FALLBACK
    marker, title = _MARKER.search(html), _TITLE.search(html)
    head_close = html.find("</head>")
    if not (marker and title and title.end() < head_close < marker.start()):
        return FALLBACK
    for pattern, replacement in _RELATIVE:
        html = pattern.sub(replacement, html)
    marker, title = _MARKER.search(html), _TITLE.search(html)
    head_close = html.find("</head>")
    hashes = tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(m.group(1).encode("utf-8")).digest()).decode("ascii") + "'"
        for m in _INLINE_SCRIPT.finditer(html)
    )
    return Shell(
        head=Markup(html[: title.start()] + "<title>"),
        head_end=Markup("</title>" + html[title.end() : head_close]),
        body_start=Markup(html[head_close : marker.start()]),
        body_end=Markup(html[marker.end() :]),
        script_hashes=hashes,
        from_site=True,
    )
