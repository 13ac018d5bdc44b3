"""Charts and honest figures in the built site: home and province catalogue pages, in HTML and in Chromium."""

from __future__ import annotations

import re

import pytest
from site_pages import DESKTOP, PHONE, article, county_url, document_url, links, load, page_file, text

from site_builder.site_model import province_slug


def _projects(dataset, province=None):
    return [p for p in dataset.get("projects") if province is None or p["province"] == province]


def _unpublished(projects) -> int:
    return sum(1 for p in projects if p.get("participants") is None)


def _places(projects) -> int:
    return sum(p["participants"] for p in projects if p.get("participants") is not None)


def _provinces(dataset) -> list[str]:
    return sorted({p["province"] for p in dataset.get("projects")})


def _check_chart(body, chart_id: str, labels: list[str]):
    """A chart: an SVG image named by its caption, described in words, with a table of every label."""
    figure = body.xpath(f".//figure[@id='{chart_id}']")
    assert figure, f"no chart {chart_id}"
    svg = figure[0].xpath(".//svg")[0]
    assert svg.get("role") == "img"
    caption = body.xpath(f".//*[@id='{svg.get('aria-labelledby')}']")
    assert caption and text(caption[0]), "the chart's name is missing"
    desc = body.xpath(f".//*[@id='{svg.get('aria-describedby')}']")
    assert desc and all(label in desc[0].text_content() for label in labels)
    table = figure[0].xpath(".//details//table")[0]
    assert [text(tr[0]) for tr in table.xpath("./tbody/tr")] == labels
    return figure[0]


def test_home_has_charts_with_text_alternatives(site_dir, dataset):
    body = article(load(site_dir, "/"))
    projects = _projects(dataset)
    years = sorted({p["year"] for p in projects})
    year_chart = _check_chart(body, "gp-chart-year", [f"{y} 年" for y in years])
    foot = [text(c) for c in year_chart.xpath(".//tfoot/tr")[0]]
    assert foot == ["合计", str(len(projects)), f"{_places(projects):,} 人", str(_unpublished(projects))]
    categories = {p.get("category") or "未分类" for p in projects}
    chart = body.xpath(".//figure[@id='gp-chart-category']")[0]
    assert {text(tr[0]) for tr in chart.xpath(".//tbody/tr")} == categories


def test_home_totals_say_how_many_projects_have_no_places(site_dir, dataset):
    body = article(load(site_dir, "/"))
    projects = _projects(dataset)
    figures = text(body.xpath(".//div[contains(@class, 'gp-figures')]")[0])
    assert f"{_places(projects):,}" in figures and "计划培训人数" in figures
    missing = _unpublished(projects)
    assert missing > 0  # the seed data has them (Shanxi 2024, Henan 2021)
    assert f"另有 {missing} 个项目未公布人数" in figures
    # The overview table: each province × year says what its sum leaves out.
    table = body.xpath(".//table[thead/tr/th[.='计划人数']]")[0]
    for tr in table.xpath("./tbody/tr"):
        province, year = text(tr[0]), int(text(tr[1]))
        cell = text(tr[3])
        group = [p for p in projects if p["province"] == province and p["year"] == year]
        known, missing = len(group) - _unpublished(group), _unpublished(group)
        if not known:
            assert cell == "未公布", (province, year, cell)
        else:
            assert cell.startswith(f"{_places(group):,} 人"), (province, year, cell)
            assert ("另有" in cell) == bool(missing) and (not missing or f"另有 {missing} 个项目未公布人数" in cell)


def test_home_latest_notices_are_a_list(site_dir, dataset):
    body = article(load(site_dir, "/"))
    items = body.xpath(".//div[contains(@class, 'gp-latest')]/ul/li")
    documents = dataset.get("documents")
    assert len(items) == min(5, len(documents))
    found = set().union(*(links(li, "/") for li in items))
    assert len(found) == len(items) and found <= {document_url(d) for d in documents}
    for url in found:
        assert page_file(site_dir, url).is_file(), url
    assert "- [" not in text(body), "a Markdown list item left as text"


@pytest.mark.parametrize("province", ["江西省", "河南省", "山西省"])
def test_province_page_totals_and_charts(site_dir, dataset, province):
    url = f"/projects/{province_slug(province)}/"
    body = article(load(site_dir, url))
    projects = _projects(dataset, province)
    intro = text(body.xpath("./p")[0])
    missing = _unpublished(projects)
    if missing == len(projects):
        assert intro == f"{len(projects)} 个项目；原文均未公布计划培训人数。"
    elif missing:
        assert intro == f"{len(projects)} 个项目，计划培训 {_places(projects):,} 人（另有 {missing} 个项目未公布人数，未计入）。"
    else:
        assert intro == f"{len(projects)} 个项目，计划培训 {_places(projects):,} 人。"
    _check_chart(body, "gp-chart-year", [f"{y} 年" for y in sorted({p["year"] for p in projects})])
    _check_chart(body, "gp-chart-category", [text(tr[0]) for tr in body.xpath(".//figure[@id='gp-chart-category']//tbody/tr")])


@pytest.mark.parametrize("province", ["江西省", "河南省", "山西省"])
def test_province_page_has_a_tile_for_every_county(site_dir, dataset, province):
    url = f"/projects/{province_slug(province)}/"
    body = article(load(site_dir, url))
    counties = [c for c in dataset.get("counties") if c["province"] == province]
    grid = body.xpath(".//*[@id='gp-tiles']")[0]
    tiles = grid.xpath(".//a[contains(@class, 'gp-tile')]")
    targets = links(grid, url)
    assert {county_url(c) for c in counties} == {t for t in targets if t.startswith("/counties/")}
    assert len(tiles) == len(counties)
    for target in targets:
        assert page_file(site_dir, target).is_file(), target
    if not counties:
        # Said once, with the lists that give counts only.
        unnamed = [cl for cl in dataset.get("county_lists") if cl["province"] == province and not cl.get("counties")]
        assert unnamed and text(body).count("待补录") == 1
        assert {f"/lists/{cl['id']}/" for cl in unnamed} <= targets


def _contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"\d+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


SHOTS = {"home": "/", "catalogue-36": "/projects/36/", "catalogue-41": "/projects/41/", "catalogue-14": "/projects/14/"}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_charts_in_chromium_readable_and_inside_the_screen(browser, base_url, output_dir, device):
    """Screenshots (test-output/screenshots/charts-*.png); chart text at least 12 px; tiles inside the screen; AA contrast."""
    viewport = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
    page = context.new_page()
    try:
        for name, url in SHOTS.items():
            page.goto(base_url + url, wait_until="networkidle")
            path = output_dir / "screenshots" / f"charts-{name}-{device}.png"
            page.screenshot(path=str(path), full_page=True)
            assert page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 1, url
            # The accessible name of each chart is its caption.
            assert page.get_by_role("img", name=re.compile("各年度项目数与计划培训人数")).count() == 1, url
            smallest = page.evaluate(
                """() => Math.min(...Array.from(document.querySelectorAll('svg.gp-chart-svg')).flatMap(svg => {
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
                }))"""
            )
            assert smallest >= 12, f"{url}: chart text drawn at {smallest:.1f}px"
            tiles = page.evaluate(
                """() => Array.from(document.querySelectorAll('a.gp-tile')).map(a => {
                    const r = a.getBoundingClientRect(), s = getComputedStyle(a);
                    return {left: r.left, right: r.right, color: s.color, background: s.backgroundColor,
                            border: s.borderLeftColor, name: a.querySelector('.gp-tile-name').textContent};
                })"""
            )
            for tile in tiles:
                assert 0 <= tile["left"] and tile["right"] <= viewport["width"], f"{url}: {tile['name']} is cut off"
                assert _contrast(tile["color"], tile["background"]) >= 4.5, tile
                assert _contrast(tile["border"], "rgb(255, 255, 255)") >= 3, tile
            # Opened, each data table fits its box: no sideways scrolling inside the chart either.
            page.evaluate("() => document.querySelectorAll('details.gp-chart-data').forEach(d => { d.open = true; })")
            wide = page.evaluate(
                """() => Array.from(document.querySelectorAll('details.gp-chart-data .gp-table-wrap'))
                    .filter(w => w.scrollWidth > w.clientWidth + 1).map(w => w.closest('figure').id)"""
            )
            assert not wide, f"{url}: data tables wider than the screen: {wide}"
            bars = page.evaluate("() => Array.from(document.querySelectorAll('svg.gp-chart-svg rect')).map(r => getComputedStyle(r).fill)")
            assert bars and all(_contrast(fill, "rgb(255, 255, 255)") >= 3 for fill in bars), url
        assert (output_dir / "screenshots" / f"charts-catalogue-36-{device}.png").stat().st_size > 20_000
    finally:
        context.close()
