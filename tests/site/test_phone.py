"""Every page kind on a 360 px phone: nothing but a scroll container may be wider than the screen,
and no list or quote of a generated page may fall apart into Markdown text.

The run-on list bug (Jinja's trim_blocks eating the newline Markdown needs after a list item)
shows as a paragraph starting with “- ” or “> ”, or as one bullet holding several “- ” items.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_pages import DESKTOP, PHONE, article, institution_url, load, text

PAGE_KINDS = {
    "home": "/",
    "catalogue-index": "/projects/",
    "catalogue": "/projects/36/",
    "project": "/projects/jx2022-069/",
    "county": "/counties/360781/",
    "county-index": "/counties/",
    "province-counties": "/counties/36/",
    "province-counties-counts-only": "/counties/14/",
    "city": "/cities/360700/",
    "list": "/lists/jx-2022-xmx/",
    "institution": institution_url("华东师范大学"),
    "institution-index": "/institutions/",
    "notice": "/notices/jx-2022-14/",
    "notice-index": "/notices/",
    "call": "/calls/ha-2024-chucai-3/",
    "downloads": "/downloads/",
    "search": "/search/?q=瑞金",
    "about": "/about/",
    "404": "/404.html",
}

# Elements wider than the screen, minus those inside a box that clips or scrolls them and
# itself fits; Material's closed drawer sits off-screen on purpose (transformed away).
OVERFLOW = """() => {
  const W = document.documentElement.clientWidth, bad = [];
  const clipped = el => {
    for (let p = el; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.transform !== "none" && s.position === "fixed") return true;
      if (p !== el && ["auto", "scroll", "hidden", "clip"].includes(s.overflowX) && p.getBoundingClientRect().right <= W + 1) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || (r.right <= W + 1 && r.left >= -1)) continue;
    if (!clipped(el)) bad.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)}`);
  }
  const cues = [...document.querySelectorAll(".gp-table-wrap")].filter(w => w.scrollWidth > w.clientWidth + 1 && !w.classList.contains("gp-overflowing"));
  return {bad: bad.slice(0, 10), page: document.documentElement.scrollWidth - W, uncued: cues.length};
}"""


@pytest.fixture(scope="module", params=[PHONE, DESKTOP], ids=["360", "1280"])
def phone(browser, base_url, request):
    """A page at 360 × 740, and the same checks once more at 1280 × 900."""
    context = browser.new_context(viewport=request.param, locale="zh-CN", service_workers="block")
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_nothing_but_scroll_boxes_is_wider_than_a_phone(phone, base_url, output_dir, kind):
    response = phone.goto(base_url + PAGE_KINDS[kind], wait_until="load")
    assert response is not None and response.status in (200, 404)
    phone.wait_for_timeout(100)  # portal.js marks overflowing tables after load
    result = phone.evaluate(OVERFLOW)
    width = phone.viewport_size["width"]
    phone.screenshot(path=str(output_dir / "screenshots" / f"page-{kind}-{width}.png"), full_page=width > 400)
    assert result["page"] <= 0, f"{kind}: the page is {result['page']} px wider than the screen: {result['bad']}"
    assert not result["bad"], f"{kind}: off-screen outside a scroll box: {result['bad']}"
    assert result["uncued"] == 0, f"{kind}: a table scrolls sideways without the cue"


def _generated_pages(site_dir: Path) -> list[Path]:
    return [p for p in site_dir.rglob("index.html") if not p.parent.name.startswith(("assets", "searchindex"))]


def test_no_page_shows_markdown_as_text(site_dir):
    """Lists and quotes render as lists and quotes on every page, generated or written."""
    residue = re.compile(r"^(- |> |\* |\d+\. \S.*\n\d+\. )|\s- \[|\]\(")
    pages = _generated_pages(site_dir)
    assert len(pages) > 100
    for path in pages:
        body = article(lxml_doc := load(site_dir, "/" + str(path.parent.relative_to(site_dir)).strip(".") + "/"))
        del lxml_doc
        for p in body.xpath(".//p | .//li | .//td"):
            content = text(p)
            assert not residue.search(content), f"{path}: Markdown left as text: {content[:80]!r}"


def test_province_county_pages_list_every_city_as_its_own_item(site_dir, dataset):
    """/counties/36/: one <li> per city of each named list (the run-on list had one for all)."""
    counties = {(c["province"], c["name"]): c for c in dataset.get("counties")}
    for county_list in dataset.get("county_lists"):
        if not county_list.get("counties") or county_list["province"] != "江西省":
            continue
        cities = {counties[(county_list["province"], n)]["city"] for n in county_list["counties"]}
        body = article(load(site_dir, "/counties/36/"))
        heading = body.xpath(f".//h2[@id='list-{county_list['id']}']")[0]
        items = heading.getnext().xpath("./ul/li")
        assert len(items) == len(cities), county_list["id"]
        assert {text(li).split("：")[0] for li in items} == cities
