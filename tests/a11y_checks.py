"""axe-core in Chromium, and the focus checks the accessibility tests of the site and the forms share.

axe-core comes from npm (package.json / package-lock.json at the repository root; `make test`
runs scripts/system-deps.sh, which runs `npm ci`). It is injected into each page with Playwright.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Run too, for the reports only: axe's best practices beyond WCAG (landmarks, heading order …).
REPORTED = [*WCAG_AA, "best-practice"]
BLOCKING = {"serious", "critical"}
REPORTS = ROOT / "test-output" / "a11y"


def require_axe() -> Path:
    """Fail (never skip) without axe-core: `make test` installs it."""
    if not AXE.is_file():
        pytest.fail(f"axe-core not found at {AXE}: run scripts/system-deps.sh (npm ci)", pytrace=False)
    return AXE


def inject_axe(page) -> None:
    """axe-core into the page, once per document. A <script> tag where the page allows it; the form
    pages' CSP forbids inline scripts, so there the source is evaluated through the DevTools protocol."""
    if page.evaluate("typeof window.axe !== 'undefined'"):
        return
    try:
        page.add_script_tag(path=str(require_axe()))
    except Exception as error:  # noqa: BLE001 - Playwright raises its generic Error for a CSP refusal
        if "Content Security Policy" not in str(error):
            raise
        page.evaluate(require_axe().read_text(encoding="utf-8") + "\n;undefined")


def run_axe(page, tags=REPORTED) -> list[dict]:
    """axe's violations of `tags` on the page as it is now."""
    inject_axe(page)
    result = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        list(tags),
    )
    return result["violations"]


def blocking(violations: list[dict]) -> list[dict]:
    """Serious and critical violations of a WCAG 2.0/2.1 A or AA rule: what must be fixed."""
    return [v for v in violations if v.get("impact") in BLOCKING and set(v.get("tags", ())) & set(WCAG_AA)]


def describe(violations: list[dict], nodes: int = 3) -> str:
    """One paragraph per rule: impact, rule, help, and the first few elements with axe's advice."""
    out = []
    for v in violations:
        out.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements)")
        for node in v["nodes"][:nodes]:
            summary = re.sub(r"\s+", " ", node.get("failureSummary") or "")
            out.append(f"    {' '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(out)


def save_report(name: str, url: str, violations: list[dict]) -> None:
    """Every violation (moderate and minor included) into test-output/a11y/<name>.json for review."""
    REPORTS.mkdir(parents=True, exist_ok=True)
    brief = [
        {"id": v["id"], "impact": v["impact"], "tags": v["tags"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]]}
        for v in violations
    ]
    (REPORTS / f"{name}.json").write_text(json.dumps({"url": url, "violations": brief}, ensure_ascii=False, indent=1), encoding="utf-8")


# What the element that has focus looks like: whether a ring (outline or box-shadow) is drawn and
# whether it is on screen. Focus styles come from :focus-visible, which keyboard focus sets.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const s = getComputedStyle(el), r = el.getBoundingClientRect();
  const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== 'none');
  const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth
    && s.visibility !== 'hidden';
  // Not under something else (the sticky header): the topmost element at its visible centre is it.
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1), y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const top = inView ? document.elementFromPoint(x, y) : null;
  const label = el.labels && el.labels.length ? Array.from(el.labels) : [];
  const onScreen = inView && !!top && (top === el || el.contains(top) || top.contains(el) || label.some(l => l.contains(top)));
  const name = (el.getAttribute('aria-label') || el.textContent || el.getAttribute('name') || el.id || '').trim().slice(0, 30);
  return {tag: el.tagName.toLowerCase(), cls: String(el.className).slice(0, 60), name, ring, onScreen,
          outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_until(page, predicate_js: str, limit: int = 60, key: str = "Tab") -> int:
    """Press `key` until `predicate_js` (a JS expression over document.activeElement) holds; the number of presses."""
    for n in range(1, limit + 1):
        page.keyboard.press(key)
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!(el && ({predicate_js})); }})()"):
            return n
    raise AssertionError(f"{key} never reached an element where {predicate_js} (after {limit} presses)")
