"""The built site, read as HTML: every record has its page, with the facts the data holds.

Expectations come from the validated data, computed here independently of site_model, so a
wrong grouping in the generator shows up as a difference.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from site_pages import (
    article,
    call_url,
    county_url,
    document_url,
    institution_url,
    links,
    load,
    norm,
    page_file,
    project_url,
    resolve,
    sections,
    text,
    with_shared_rows,
)

from site_builder.site_model import SiteModel

# --- Every record a page ----------------------------------------------------------------------


def test_every_project_has_a_page_with_its_fields(site_dir, dataset):
    documents = dataset.index("documents")
    institutions = {i["name"] for i in dataset.get("institutions")}
    counties = {(c["province"], c["name"]): c for c in dataset.get("counties")}
    for p in dataset.get("projects"):
        url = project_url(p["id"])
        body = article(load(site_dir, url))
        content = text(body)
        assert text(body.xpath(".//h1")[0]) == p["name"], url
        for key in ("province", "programme", "target", "mode", "duration", "scope", "id"):
            if p.get(key):
                assert norm(p[key]) in content, f"{url}: {key} “{p[key]}” not shown"
        if p.get("participants"):
            assert f"{p['participants']} 人" in content, url
        targets = links(body, url)
        if p.get("institution"):
            assert p["institution"] in institutions
            assert institution_url(p["institution"]) in targets, f"{url}: no link to its institution"
        document = documents[p["document"]]
        assert document_url(document) in targets, f"{url}: no link to its notice"
        if document.get("doc_number"):
            assert document["doc_number"] in content, url
        for name in p.get("counties") or []:
            assert county_url(counties[(p["province"], name)]) in targets, f"{url}: no link to {name}"


def _reach(dataset, county: dict) -> tuple[set[str], dict[str, set[str]], set[str]]:
    """(named, {list heading: projects}, province-wide) project ids reaching `county`."""
    projects = dataset.get("projects")
    key = (county["province"], county["name"])
    named = {
        p["id"] for p in projects if p["scope"] == "指定县" and county["name"] in (p.get("counties") or []) and p["province"] == key[0]
    }
    by_list: dict[str, set[str]] = {}
    for cl in dataset.get("county_lists"):
        if cl["province"] == key[0] and county["name"] in (cl.get("counties") or []):
            ids = {p["id"] for p in projects if (p["province"], p["year"], p["scope"]) == (cl["province"], cl["year"], cl["type"])}
            if ids:
                by_list[f"{cl['year']} 年{cl['type']}"] = ids
    province_wide = {p["id"] for p in projects if p["province"] == key[0] and p["scope"] == "全省"}
    return named, by_list, province_wide


def _project_ids(urls: set[str]) -> set[str]:
    """Project ids of the project pages among `urls` (not the province catalogues, /projects/36/)."""
    return {u.split("/")[2] for u in urls if u.startswith("/projects/") and u.count("/") == 3 and not u.split("/")[2].isdigit()}


def _reach_rows(body) -> dict[str, tuple[str, str, str]]:
    """project id → (year group heading, 覆盖方式, 人数 cell) from a county page's one table."""
    rows = {}
    for tbody in body.xpath(".//table[@id='reach']/tbody"):
        group = text(tbody.xpath("./tr[contains(@class, 'gp-group')]")[0])
        for tr in tbody.xpath("./tr[not(contains(@class, 'gp-group'))]"):
            href = tr.xpath(".//td[contains(@class, 'gp-c-name')]//a/@href")[0]
            project_id = href.rstrip("/").split("/")[-1]
            reach = text(tr.xpath("./td[contains(@class, 'gp-c-reach')]")[0])
            rows[project_id] = (group, reach, text(tr.xpath("./td[contains(@class, 'gp-c-num')]")[0]))
    return rows


def test_nankang_page_shows_every_project_in_one_view(site_dir, dataset):
    """南康区 (360703): named by 指定县 projects, on the 2022 振兴帮扶县 list, and in 江西省."""
    county = next(c for c in dataset.get("counties") if c["name"] == "南康区")
    assert county_url(county) == "/counties/360703/"
    named, by_list, province_wide = _reach(dataset, county)
    # The facts of the seed data this test is about, so an empty expectation cannot pass.
    assert named >= {"jx2022-033", "jx2022-035"}
    assert set(by_list) == {"2022 年振兴帮扶县"} and "jx2022-042" in by_list["2022 年振兴帮扶县"]
    assert len(province_wide) > 40

    body = article(with_shared_rows(site_dir, "/counties/360703/", load(site_dir, "/counties/360703/")))
    rows = _reach_rows(body)
    projects = {p["id"]: p for p in dataset.get("projects")}
    expected = {pid: "点名" for pid in named} | {pid: "名单：振兴帮扶县" for pid in by_list["2022 年振兴帮扶县"]}
    expected |= {pid: "全省" for pid in province_wide}
    assert {pid: reach for pid, (_, reach, _) in rows.items()} == expected
    for pid, (group, _, places) in rows.items():
        p = projects[pid]
        assert group.startswith(f"{p['year']} 年"), (pid, group)
        assert places == (f"{p['participants']:,}" if p.get("participants") else "未公布"), pid
    # One summary line per year, counting each way a project reaches the county.
    total = len(named) + sum(map(len, by_list.values())) + len(province_wide)
    summary = text(body.xpath(".//div[contains(@class, 'gp-summary')]")[0])
    assert f"共有 {total} 个项目覆盖南康区" in summary
    n_list = len(by_list["2022 年振兴帮扶县"])
    assert f"2022 年：{total} 个项目，其中点名 {len(named)} 个、名单（振兴帮扶县）{n_list} 个、全省 {len(province_wide)} 个" in summary
    assert "人数（项目总计）" in text(body.xpath(".//table[@id='reach']/thead")[0])
    assert "南康县" in text(body), "former name not shown"


def test_repeated_project_names_are_told_apart(site_dir, dataset):
    """Jiangxi 2022 has five projects named “…信息技术应用能力提升培训(1)”, one per institution."""
    same = [p for p in dataset.get("projects") if p["name"] == "中小学幼儿园骨干教师信息技术应用能力提升培训(1)"]
    assert len(same) == 5 and len({p["institution"] for p in same}) == 5
    body = article(with_shared_rows(site_dir, "/counties/360703/", load(site_dir, "/counties/360703/")))
    hints = {
        tr.xpath(".//a/@href")[0].rstrip("/").split("/")[-1]: text(tr.xpath(".//small[contains(@class, 'gp-hint')]")[0])
        for tr in body.xpath(".//td[contains(@class, 'gp-c-name')][.//small]")
    }
    for p in same:
        assert hints.get(p["id"]) == f"承训：{p['institution']}", p["id"]


def test_every_county_page_links_every_project_that_reaches_it(site_dir, dataset):
    for county in dataset.get("counties"):
        url = county_url(county)
        page = load(site_dir, url)
        body = article(page)
        assert text(body.xpath(".//h1")[0]) == county["name"], url
        named, by_list, province_wide = _reach(dataset, county)
        expected = named | province_wide | set().union(*by_list.values())
        # Without JavaScript: named projects inline, a link per list and per 全省 year …
        assert _project_ids(links(body, url)) == named, url
        # … with it, every project as a row.
        assert _project_ids(links(article(with_shared_rows(site_dir, url, page)), url)) == expected, url
        if county.get("code"):
            assert str(county["code"]) in text(body)


def test_institution_pages_show_aliases_and_projects(site_dir, dataset):
    projects = dataset.get("projects")
    for i in dataset.get("institutions"):
        url = institution_url(i["name"])
        body = article(load(site_dir, url))
        assert text(body.xpath(".//h1")[0]) == i["name"], url
        fields = {text(dt): text(dt.getnext()) for dt in body.xpath(".//dl[contains(@class, 'gp-fields')]/dt")}
        for alias in i.get("aliases") or []:
            assert alias in fields.get("其他写法", ""), f"{url}: alias {alias} not shown"
        expected = {p["id"] for p in projects if p.get("institution") == i["name"]}
        assert _project_ids(links(body, url)) == expected, url
    # The concrete case the issue names.
    body = article(load(site_dir, institution_url("长春东师学思教育科技有限公司")))
    assert "长春东师学思教育科技发展有限公司" in text(body)


def test_notice_pages_show_every_fact_or_say_the_original_lacks_it(site_dir, dataset):
    documents = dataset.get("documents")
    assert {d["id"] for d in documents} >= {"moe-2021-4", "sx-2024-47", "ha-2021-szts", "jx-2022-14", "ha-2024-107"}
    labels = {"doc_number": "文号", "issuer": "发文机关", "date": "成文日期", "published": "印发日期"}
    missing = 0
    for d in documents:
        url = document_url(d)
        body = article(load(site_dir, url))
        box = body.xpath(".//div[contains(@class, 'gp-docinfo')]//dl")[0]
        facts = {text(dt): text(dt.getnext()) for dt in box.xpath("./dt")}
        for key, label in labels.items():
            if d.get(key):
                assert facts[label] == str(d[key]), f"{url}: {label}"
            else:
                missing += 1
                assert facts[label].startswith("原文未载"), f"{url}: {label} is “{facts[label]}”"
        assert facts.get("整理说明") == norm(d["note"]), url
        if d.get("url"):
            assert d["url"] in box.xpath(".//a/@href"), url
        else:
            assert facts["原文链接"] == "本站尚未收录公开网址", url
    assert missing >= 3  # 成文日期 of Jiangxi 2022 and Henan 2024, 文号 of Henan 2021


def test_notice_plan_table_is_rendered_from_the_projects_made_from_it(site_dir, dataset):
    """Jiangxi 2022 附件1: 78 rows in the notice's order, each linking to its project page."""
    projects = [p for p in dataset.get("projects") if p["document"] == "jx-2022-14"]
    assert len(projects) == 78
    body = article(load(site_dir, "/notices/jx-2022-14/"))
    tables = body.xpath(".//table[contains(@class, 'gp-plan')]")
    assert len(tables) == 1
    rows = tables[0].xpath("./tbody/tr")
    assert len(rows) == len(projects)
    for n, (tr, p) in enumerate(zip(rows, projects, strict=True), start=1):
        cells = [text(td) for td in tr.xpath("./td")]
        assert cells[0] == f"{n} {norm(p['name'])}"
        assert tr.xpath("./td[1]//a/@href") == [f"../../projects/{p['id']}/"]
        assert cells[4] == (f"{p['participants']:,}" if p.get("participants") else "未公布")
        assert cells[6] == (p.get("institution") or "未列")
    # The heading of the attachment stays where the notice has it, right above the table.
    heading = tables[0].getparent().getprevious()
    assert heading.tag == "h2" and text(heading).startswith("附件1")
    # Notices without a marked place get the table after their text.
    henan = [p for p in dataset.get("projects") if p["document"] == "ha-2021-szts"]
    assert henan
    rows = article(load(site_dir, "/notices/ha-2021-szts/")).xpath(".//table[contains(@class, 'gp-plan')]/tbody/tr")
    assert len(rows) == len(henan)


def test_chucai_call_page_shows_directions_funding_and_is_closed(site_dir, dataset):
    call = next(c for c in dataset.get("calls") if c["id"] == "ha-2024-chucai-3")
    directions = sorted((d for d in dataset.get("call_directions") if d["call"] == call["id"]), key=lambda d: d["number"])
    assert len(directions) == 5
    url = call_url(call["id"])
    body = article(load(site_dir, url))
    part = sections(body)["申报方向"]
    headings = [text(h) for h in part if h.tag == "h3"]
    assert headings == [f"{d['number']}. {d['name']}" for d in directions]
    content = " ".join(text(e) for e in part)
    for d in directions:
        assert re.search(rf"经费资助\s*{d['funding']} 万元", content), d["name"]
    status = body.xpath(".//*[contains(@class, 'gp-call-status')]")[0]
    assert text(status).startswith("申报已截止"), text(status)
    assert str(call["deadline"]) in text(status)
    assert body.xpath(".//*[@data-deadline]")[0].get("data-deadline") == str(call["deadline"])


# --- Downloads ----------------------------------------------------------------------------------


def test_downloads_hold_the_package_and_every_resource(site_dir, dataset):
    out = site_dir / "downloads"
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in dataset.descriptor["resources"]]
    assert [r["name"] for r in package["resources"]] == names
    page = article(load(site_dir, "/downloads/"))
    targets = links(page, "/downloads/")
    assert "/downloads/datapackage.json" in targets
    for resource in package["resources"]:
        name = resource["name"]
        records = dataset.get(name)
        with (out / f"{name}.csv").open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == [f["name"] for f in resource["schema"]["fields"]], name
        assert len(rows) - 1 == len(records), f"{name}.csv: {len(rows) - 1} rows, {len(records)} records"
        assert len(json.loads((out / f"{name}.json").read_text(encoding="utf-8"))) == len(records), name
        assert {f"/downloads/{name}.csv", f"/downloads/{name}.json"} <= targets, name


# --- Every page -------------------------------------------------------------------------------


def _html_pages(site_dir: Path) -> list[Path]:
    """Every page; not the row fragments county pages load (counties/rows/, tested with them)."""
    return sorted(p for p in site_dir.rglob("*.html") if p.parent.name != "rows")


def _url(site_dir: Path, path: Path) -> str:
    rel = path.relative_to(site_dir).as_posix()
    return "/" + (rel.removesuffix("index.html") if rel.endswith("index.html") else rel)


def test_every_page_is_chinese(site_dir):
    for path in _html_pages(site_dir):
        assert re.search(rb"<html lang=\"zh\"", path.read_bytes()[:500]), path


def record_urls(dataset) -> list[str]:
    return (
        [project_url(p["id"]) for p in dataset.get("projects")]
        + [county_url(c) for c in dataset.get("counties")]
        + [institution_url(i["name"]) for i in dataset.get("institutions")]
        + [document_url(d) for d in dataset.get("documents")]
        + [call_url(c["id"]) for c in dataset.get("calls")]
    )


def test_every_record_page_shows_the_data_version(site_dir, dataset):
    assert dataset.version
    for url in record_urls(dataset):
        assert f"数据版本 {dataset.version}" in text(article(load(site_dir, url))), url


def test_record_pages_are_searchable_and_listings_are_not(site_dir, dataset):
    """The search indexes only [data-pagefind-body]: records, cities, lists and notices, not the listings."""
    model = SiteModel(dataset)
    places = [f"/cities/{c.slug}/" for c in model.cities] + [f"/lists/{cl['id']}/" for cl in dataset.get("county_lists")]
    for url in record_urls(dataset) + places:
        assert load(site_dir, url).xpath("//*[@data-pagefind-body]"), url
    for url in [
        "/",
        "/projects/",
        "/counties/",
        "/institutions/",
        "/notices/",
        "/downloads/",
        "/search/",
        "/projects/36/",
        "/counties/36/",
    ]:
        assert not load(site_dir, url).xpath("//*[@data-pagefind-body]"), url


# Links that are not files of the static site: the forms app serves them beside it.
APP_PATHS = ("/apply/", "/briefings/", "/admin/")  # answered by the forms app, not files
# Known and reported: the 项目县 index links each province's county page, but a province whose
# lists give only counts (山西省 2024) has no county records, so counties/14/ is never generated.
KNOWN_BROKEN: set[str] = set()


def _broken_links(site_dir: Path) -> list[tuple[str, str, str]]:
    broken = []
    for path in _html_pages(site_dir):
        page_url = _url(site_dir, path)
        tree = load(site_dir, page_url) if path.name == "index.html" else None
        if tree is None:
            continue
        for element, attribute in [(e, "href") for e in tree.xpath("//a[@href] | //link[@href]")] + [
            (e, "src") for e in tree.xpath("//*[@src]")
        ]:
            target = resolve(page_url, element.get(attribute))
            if target is None or target.startswith(APP_PATHS) or urlsplit(element.get(attribute)).scheme in ("mailto", "tel", "data"):
                continue
            file = page_file(site_dir, target)
            if not (file.is_file() or (file / "index.html").is_file()):
                broken.append((page_url, element.get(attribute), target))
    return broken


def test_internal_links_resolve(site_dir):
    broken = [f"{page}: {href}" for page, href, target in _broken_links(site_dir) if target not in KNOWN_BROKEN]
    assert not broken, f"{len(broken)} broken links, e.g.:\n" + "\n".join(broken[:20])


def test_province_county_pages_exist_for_every_list(site_dir):
    """Shanxi publishes counts only: its 项目县 page exists and says the names are pending."""
    page = (site_dir / "counties" / "14" / "index.html").read_text(encoding="utf-8")
    assert "山西省项目县" in page and "待补录" in page


# --- Nothing from outside -------------------------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(?:https?:)?//", re.I)
RESOURCE_ATTRS = {"src", "href", "srcset", "poster", "data", "action", "formaction", "background"}
CDN_HOSTS = re.compile(
    r"""(?:https?:)?//(?:[a-z0-9-]+\.)*(?:googleapis\.com|gstatic\.com|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|bootcdn\.net|staticfile\.org)[^\s"'`)]*""",
    re.I,
)
CSS_EXTERNAL = re.compile(r"""(?:url\(\s*["']?|@import\s+(?:url\(\s*)?["']?)\s*((?:https?:)?//[^"')\s]+)""", re.I)
JS_EXTERNAL = re.compile(
    r"""(?:\bfetch|\bimport|\bimportScripts|\bnew\s+(?:Shared)?Worker|\bsendBeacon|\.src\s*=)\s*\(?\s*[`"']((?:https?:)?//[^`"']+)""", re.I
)
JS_STATIC_IMPORT = re.compile(r"""\bimport\b[^;(]*?\bfrom\s*[`"']((?:https?:)?//[^`"']+)""")
# Material's bundle names two unpkg scripts it injects only under conditions this site never
# meets: mermaid, for ```mermaid fences (none here; asserted below), and a ResizeObserver
# polyfill, for browsers without ResizeObserver (every browser since 2020). See the report.
THEME_EXCEPTIONS = {"https://unpkg.com/mermaid@11/dist/mermaid.min.js", "https://unpkg.com/resize-observer-polyfill"}


def _theme_exception(rel: str, url: str) -> bool:
    return rel.startswith("assets/javascripts/bundle.") and url in THEME_EXCEPTIONS


def _scan_text(rel: str, content: str, kind: str) -> list[str]:
    found = []
    if kind in ("css", "html"):
        found += [f"{rel}: CSS {m}" for m in CSS_EXTERNAL.findall(content)]
    if kind in ("js", "html"):
        found += [f"{rel}: JS {m}" for m in JS_EXTERNAL.findall(content) + JS_STATIC_IMPORT.findall(content)]
        found += [f"{rel}: CDN {m}" for m in CDN_HOSTS.findall(content) if kind == "js"]
    return found


def _scan_html(rel: str, tree, content: str) -> list[str]:
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "a":
            continue
        for attribute in RESOURCE_ATTRS & set(element.attrib):
            if EXTERNAL.match(element.get(attribute)):
                found.append(f"{rel}: <{element.tag} {attribute}={element.get(attribute)}>")
        if element.get("style"):
            found += _scan_text(rel, element.get("style"), "css")
    for style in tree.xpath("//style"):
        found += _scan_text(rel, style.text_content(), "css")
    for script in tree.xpath("//script[not(@src)]"):
        found += _scan_text(rel, script.text_content(), "js")
    return found + [f"{rel}: CDN {m}" for m in CDN_HOSTS.findall(content)]


def test_no_file_references_an_external_resource(site_dir):
    problems = []
    for path in sorted(site_dir.rglob("*")):
        rel = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            content = path.read_text(encoding="utf-8")
            problems += _scan_html(rel, lxml.html.fromstring(content), content)
        elif path.suffix == ".css":
            problems += _scan_text(rel, path.read_text(encoding="utf-8", errors="replace"), "css")
        elif path.suffix in (".js", ".mjs"):
            content = path.read_text(encoding="utf-8", errors="replace")
            problems += [p for p in _scan_text(rel, content, "js") if not _theme_exception(rel, p.split(" ", 2)[-1])]
    assert not problems, "external resources referenced:\n" + "\n".join(problems[:30])


def test_the_external_resource_scan_finds_what_it_should():
    """The scanner itself, on the usual ways a page pulls in another host."""
    page = """<html><head><link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
    <script src="//cdn.example.com/x.js"></script><style>@import "https://a.example/b.css";</style></head>
    <body><img src="http://img.example/i.png"><iframe src="https://v.example/"></iframe>
    <div style="background: url('https://bg.example/i.png')"></div>
    <script>fetch("https://api.example/d.json"); import("https://m.example/m.js")</script>
    <a href="https://allowed.example/">a plain link is not a resource</a><svg xmlns="http://www.w3.org/2000/svg"></svg></body></html>"""
    found = _scan_html("t.html", lxml.html.fromstring(page), page)
    for needle in [
        "fonts.googleapis.com",
        "cdn.example.com",
        "a.example/b.css",
        "img.example",
        "v.example",
        "bg.example",
        "api.example",
        "m.example",
    ]:
        assert any(needle in f for f in found), needle
    assert not any("allowed.example" in f or "w3.org" in f for f in found)
    assert _scan_text("a.css", "@font-face{src:url(https://fonts.gstatic.com/x.woff2)}", "css")
    assert _scan_text("a.js", 'import x from "https://esm.example/x.js"', "js")
    assert not _scan_text("a.css", "a{background:url(data:image/svg+xml;charset=utf-8,<svg xmlns='http://www.w3.org/2000/svg'/>)}", "css")


def test_theme_exceptions_stay_dormant(site_dir):
    """The mermaid loader runs only for .mermaid blocks; the site has none."""
    for path in site_dir.rglob("*.html"):
        assert 'class="mermaid"' not in path.read_text(encoding="utf-8"), path


def test_links_to_other_sites(site_dir):
    """Pages link to no other site but the licence and the Data Package spec the downloads cite.

    (Material's “Made with” footer is switched off; the ICP registry link appears only once a
    deployment configures its 备案号.)
    """
    allowed = {"creativecommons.org", "datapackage.org"}
    found = set()
    for path in _html_pages(site_dir):
        tree = load(site_dir, _url(site_dir, path)) if path.name == "index.html" else None
        for a in tree.xpath("//a[@href]") if tree is not None else []:
            href = a.get("href")
            if EXTERNAL.match(href):
                found.add(urlsplit(href).hostname)
    assert found <= allowed, sorted(found - allowed)


@pytest.mark.parametrize("url", ["/", "/projects/", "/counties/", "/institutions/", "/notices/", "/downloads/", "/search/"])
def test_listing_pages_exist(site_dir, url):
    assert page_file(site_dir, url).is_file()


def test_every_city_has_a_page_with_its_counties_lists_and_figures(site_dir, dataset):
    """Each 地级市 named by a county gets a page listing its counties and the lists they are on."""
    model = SiteModel(dataset)
    cities = {(c["province"], c["city"]) for c in dataset.get("counties") if c.get("city")}
    assert {(c.province, c.name) for c in model.cities} == cities
    jiangxi = {c.name for c in model.cities if c.province == "江西省"}
    assert {"上饶市", "抚州市", "赣州市"} <= jiangxi
    for city in model.cities:
        url = f"/cities/{city.slug}/"
        body = article(load(site_dir, url))
        assert text(body.xpath(".//h1")[0]) == city.name
        assert {county_url(c) for c in city.counties} <= links(body, url), city.name
        county_lists = {cl["id"] for c in city.counties for cl in dataset.get("county_lists") if c["name"] in (cl.get("counties") or [])}
        assert {f"/lists/{i}/" for i in county_lists} <= links(body, url), city.name
        assert f"收录的县（市、区）{len(city.counties)} 个" in text(body)
        assert "##" not in text(body), f"{url}: a Markdown heading left as text"


def test_city_pages_are_linked_from_county_pages_and_the_county_index(site_dir, dataset):
    model = SiteModel(dataset)
    index = links(article(load(site_dir, "/counties/")), "/counties/")
    for city in model.cities:
        assert f"/cities/{city.slug}/" in index, city.name
        for county in city.counties:
            assert f"/cities/{city.slug}/" in links(article(load(site_dir, county_url(county))), county_url(county)), county["name"]


def test_every_county_list_has_a_page_with_its_counties_and_source(site_dir, dataset):
    documents = {d["id"]: d for d in dataset.get("documents")}
    for county_list in dataset.get("county_lists"):
        url = f"/lists/{county_list['id']}/"
        body = article(load(site_dir, url))
        title = text(body.xpath(".//h1")[0])
        assert county_list["province"] in title and county_list["type"] in title and str(county_list["year"]) in title
        found = links(body, url)
        counties = [
            c
            for c in dataset.get("counties")
            if c["province"] == county_list["province"] and c["name"] in (county_list.get("counties") or [])
        ]
        assert {county_url(c) for c in counties} <= found
        assert document_url(documents[county_list["document"]]) in found
        assert "##" not in text(body)
        if not county_list.get("counties"):
            assert f"{county_list['count']} 个" in text(body) and "待补录" in text(body)
