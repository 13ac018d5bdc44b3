"""The chart functions (site_builder/charts): figures, SVG bar charts and the county tile grid.

Expectations are counted from the records themselves, never from the chart code's own tallies.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from site_builder import charts
from site_builder.charts.bars import MAX_ROWS, WIDTH, text_width
from site_builder.site_model import SiteModel, county_slug
from site_builder.validate import validate

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def model() -> SiteModel:
    dataset, problems = validate(ROOT / "data")
    assert not [p for p in problems if p.severity == "error"]
    return SiteModel(dataset)


def project(year=2022, category="类别甲", participants=None, province="江西省") -> dict:
    record = {"year": year, "category": category, "province": province}
    if participants is not None:
        record["participants"] = participants
    return record


def parse(html: str):
    """The <figure> as HTML, and its <svg> as XML (so SVG elements and attributes parse exactly)."""
    figure = lxml.html.fromstring(html)
    svg_text = re.search(r"<svg\b.*?</svg>", html, re.DOTALL).group(0)
    return figure, lxml.etree.fromstring(svg_text.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))


def rows_of(svg) -> list[dict]:
    """Each drawn row: its label, the texts beside the bars, the bar widths by kind."""
    out = []
    for g in svg.iter(f"{SVG}g"):
        texts = {t.get("class"): "".join(t.itertext()) for t in g.iter(f"{SVG}text")}
        values = [("".join(t.itertext())) for t in g.iter(f"{SVG}text") if t.get("class") == "gp-chart-value"]
        bars = {r.get("class").removeprefix("gp-bar-"): float(r.get("width")) for r in g.iter(f"{SVG}rect")}
        title = g.find(f"{SVG}title")
        out.append(
            {
                "label": texts["gp-chart-label"],
                "title": title.text if title is not None else None,
                "values": values,
                "note": texts.get("gp-chart-note"),
                "bars": bars,
            }
        )
    return out


def test_year_chart_shows_each_years_projects_and_published_places(model):
    projects = model.projects
    html = str(charts.bar_chart("c", "各年度", "年度", charts.by_year(projects)))
    figure, svg = parse(html)
    drawn = rows_of(svg)
    years = sorted({p["year"] for p in projects})
    assert [r["label"] for r in drawn] == [f"{y} 年" for y in years]
    most = max(sum(1 for p in projects if p["year"] == y) for y in years)
    for row, year in zip(drawn, years, strict=True):
        of_year = [p for p in projects if p["year"] == year]
        known = [p["participants"] for p in of_year if p.get("participants") is not None]
        missing = len(of_year) - len(known)
        assert row["values"][0] == f"{len(of_year)} 个"
        assert row["values"][1] == (f"{sum(known):,} 人" if known else "未公布")
        assert row["note"] == (f"另有 {missing} 个项目未公布人数" if known and missing else None)
        # Bars of one kind are in proportion to their values (the longest is the largest).
        longest = max(r["bars"]["projects"] for r in drawn)
        assert row["bars"]["projects"] / longest == pytest.approx(len(of_year) / most, abs=0.02)
        assert ("places" in row["bars"]) == bool(known and sum(known))
    # The data table holds every year and the total, in words a screen reader reads.
    body = [[c.text_content() for c in tr] for tr in figure.xpath(".//tbody/tr")]
    assert [r[0] for r in body] == [f"{y} 年" for y in years]
    foot = [c.text_content() for c in figure.xpath(".//tfoot/tr")[0]]
    all_known = [p["participants"] for p in projects if p.get("participants") is not None]
    assert foot == ["合计", str(len(projects)), f"{sum(all_known):,} 人", str(len(projects) - len(all_known))]


def test_chart_is_an_image_named_by_its_caption_and_described(model):
    html = str(charts.bar_chart("gp-chart-year", "各年度项目数", "年度", charts.by_year(model.projects)))
    figure, svg = parse(html)
    assert svg.get("role") == "img"
    caption = figure.xpath(".//figcaption")[0]
    assert svg.get("aria-labelledby") == caption.get("id") == "gp-chart-year-cap"
    desc = svg.find(f"{SVG}desc")
    assert svg.get("aria-describedby") == desc.get("id")
    for year in {p["year"] for p in model.projects}:
        n = sum(1 for p in model.projects if p["year"] == year)
        assert f"{year} 年：{n} 个项目" in desc.text
    assert re.fullmatch(r"0 0 \d+ \d+", svg.get("viewBox"))


def test_places_zero_missing_and_partial():
    rows = charts.by_category(
        [
            project(category="全缺", participants=None),
            project(category="全缺", participants=None),
            project(category="零人", participants=0),
            project(category="部分", participants=120),
            project(category="部分", participants=None),
        ]
    )
    _, svg = parse(str(charts.bar_chart("c", "x", "类别", rows)))
    drawn = {r["label"]: r for r in rows_of(svg)}
    assert drawn["全缺"]["values"] == ["2 个", "未公布"] and drawn["全缺"]["note"] is None
    assert "places" not in drawn["全缺"]["bars"]
    assert drawn["零人"]["values"] == ["1 个", "0 人"] and "places" not in drawn["零人"]["bars"]
    assert drawn["部分"]["values"] == ["2 个", "120 人"] and drawn["部分"]["note"] == "另有 1 个项目未公布人数"
    total = charts.total([project(participants=None), project(participants=5)])
    assert (total.projects, total.places, total.unpublished, total.published) == (2, 5, 1, 1)


def test_one_year_only_draws_one_full_row():
    _, svg = parse(str(charts.bar_chart("c", "x", "年度", charts.by_year([project(year=2024, participants=30)]))))
    (row,) = rows_of(svg)
    assert row["label"] == "2024 年" and row["values"] == ["1 个", "30 人"]
    assert 0 < row["bars"]["projects"] <= WIDTH / 2 and row["bars"]["places"] == pytest.approx(row["bars"]["projects"], rel=0.3)


def test_long_category_names_are_cut_to_fit_and_kept_whole_elsewhere():
    name = "中小学幼儿园教师信息技术应用能力提升工程2.0整校推进与数字素养提升培训及其他专项研修"
    figure, svg = parse(str(charts.bar_chart("c", "x", "类别", charts.by_category([project(category=name, participants=10)]))))
    (row,) = rows_of(svg)
    assert row["label"].endswith("…") and name.startswith(row["label"][:-1])
    assert text_width(row["label"], 16) <= WIDTH
    assert row["title"] == name
    assert figure.xpath(".//tbody/tr/th")[0].text_content() == name


def test_many_categories_sum_the_smallest_as_other():
    projects = [project(category=f"类别{n:02d}", participants=n) for n in range(20) for _ in range(20 - n)]
    figure, svg = parse(str(charts.bar_chart("c", "x", "类别", charts.by_category(projects))))
    drawn = rows_of(svg)
    assert len(drawn) == MAX_ROWS
    rest = [p for p in projects if int(p["category"][2:]) >= MAX_ROWS - 1]
    assert drawn[-1]["label"] == f"其他 {20 - (MAX_ROWS - 1)} 类"
    assert drawn[-1]["values"] == [f"{len(rest)} 个", f"{sum(p['participants'] for p in rest):,} 人"]
    assert len(figure.xpath(".//tbody/tr")) == 20


def test_hostile_names_are_escaped():
    hostile = '<script>alert("x")</script>&<b onclick=1>'
    html = str(charts.bar_chart('x" onload="alert(1)', hostile, hostile, charts.by_category([project(category=hostile, participants=1)])))
    assert "<script" not in html and "<b " not in html and 'onload="' not in html
    figure, svg = parse(html)
    assert figure.xpath(".//figcaption")[0].text_content() == hostile
    assert rows_of(svg)[0]["label"].rstrip("…") in hostile
    assert figure.xpath(".//tbody/tr/th")[0].text_content() == hostile


def test_no_rows_no_chart():
    assert str(charts.bar_chart("c", "x", "年度", [])) == ""


# The tile grid.


def reach_count(dataset_projects, county_lists, county) -> int:
    """Projects reaching `county`, counted from the records: named, through a list it is on, 全省."""
    province, name = county["province"], county["name"]
    on = {(cl["year"], cl["type"]) for cl in county_lists if cl["province"] == province and name in (cl.get("counties") or [])}
    return sum(
        1
        for p in dataset_projects
        if p["province"] == province and (p["scope"] == "全省" or name in (p.get("counties") or []) or (p["year"], p["scope"]) in on)
    )


@pytest.mark.parametrize("province", ["江西省", "河南省"])
def test_tile_grid_has_every_county_of_the_province_by_city(model, province):
    dataset = model.dataset
    counties = [c for c in dataset.get("counties") if c["province"] == province]
    lists = dataset.get("county_lists")
    grid = charts.county_tiles(model, province)
    html = str(charts.tile_grid(grid, "../../"))
    tree = lxml.html.fromstring(html)
    tiles = {a.get("href"): a for a in tree.xpath(".//a[contains(@class, 'gp-tile')]")}
    assert set(tiles) == {f"../../counties/{county_slug(c)}/" for c in counties}
    for county in counties:
        tile = tiles[f"../../counties/{county_slug(county)}/"]
        assert tile.xpath(".//*[@class='gp-tile-name']")[0].text_content() == county["name"]
        assert (
            tile.xpath(".//*[@class='gp-tile-count']")[0].text_content() == f"{reach_count(dataset.get('projects'), lists, county)} 个项目"
        )
        types = {cl["type"] for cl in lists if cl["province"] == province and county["name"] in (cl.get("counties") or [])}
        spoken = tile.xpath(".//*[@class='gp-sr']")[0].text_content()
        assert all(t in spoken for t in types) and (types or "未列入名单" in spoken)
        # The tile sits under its own city.
        group = tile.xpath("ancestor::div[@role='group']")[0]
        heading = tree.xpath(f".//*[@id='{group.get('aria-labelledby')}']")[0]
        assert heading.xpath("./a")[0].text_content() == county["city"]
    cities = {c["city"] for c in counties}
    assert len(tree.xpath(".//div[@class='gp-tiles-city']")) == len(cities)
    legend = tree.xpath(".//ul[@class='gp-legend']")[0].text_content()
    assert all(cl["type"] in legend for cl in lists if cl["province"] == province and cl.get("counties"))


def test_a_list_type_keeps_its_colour_on_every_province_page(model):
    colour = {}
    for province in ("江西省", "河南省"):
        tree = lxml.html.fromstring(str(charts.tile_grid(charts.county_tiles(model, province), "")))
        for li in tree.xpath(".//ul[@class='gp-legend']/li"):
            classes = li.xpath("./svg/@class")
            if classes:
                assert colour.setdefault(li.text_content(), classes[0]) == classes[0]
    assert "项目县" in colour


def test_province_without_named_counties_says_what_is_missing_once(model):
    unnamed = [cl for cl in model.dataset.get("county_lists") if cl["province"] == "山西省"]
    assert unnamed and not any(cl.get("counties") for cl in unnamed)
    html = str(charts.tile_grid(charts.county_tiles(model, "山西省"), "../../"))
    tree = lxml.html.fromstring(html)
    assert not tree.xpath(".//a[contains(@class, 'gp-tile')]")
    text = tree.text_content()
    assert text.count("待补录") == 1
    for cl in unnamed:
        assert f"{cl['year']} 年{cl['type']}（{cl['count']} 个）" in text
    assert {f"../../lists/{cl['id']}/" for cl in unnamed} <= set(tree.xpath(".//a/@href"))


def test_hostile_county_and_city_names_are_escaped():
    grid = charts.TileGrid(
        province="<i>省</i>",
        cities=[
            charts.figures.CityTiles('<img src=x onerror="1">', "c1", [charts.figures.Tile('<script>x</script>"', '"><b>', ["项目县"], 3)])
        ],
        types=["项目县"],
        palette={"项目县": 1},
        province_wide=0,
        unnamed_lists=[],
    )
    html = str(charts.tile_grid(grid, "../"))
    assert "<script" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    tree = lxml.html.fromstring(html)
    assert tree.xpath(".//*[@class='gp-tile-name']")[0].text_content() == '<script>x</script>"'
    assert tree.xpath(".//a[contains(@class, 'gp-tile')]/@href") == ['../counties/"><b>/']
