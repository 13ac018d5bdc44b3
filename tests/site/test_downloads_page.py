"""The downloads page and the data files of the built site: links, record files, MIME types, phone layout."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from site_pages import DESKTOP, PHONE, article, load, project_url, resolve

from site_builder.site_model import county_slug, institution_slug

BOM = b"\xef\xbb\xbf"
DOWNLOADS = "/downloads/"
# Each resource's links on its card, in the order offered: the Excel table first, for people.
FORMATS = [".zh.csv", ".csv", ".json"]
# Record pages and the record whose JSON they link, as the page URLs name them.
RECORD_PAGES = {
    "projects": lambda r: (project_url(r["id"]), r["id"]),
    "institutions": lambda r: (f"/institutions/{institution_slug(r['name'])}/", institution_slug(r["name"])),
}
ALL_KEYS = {
    "projects": lambda r: r["id"],
    "documents": lambda r: r["id"],
    "calls": lambda r: r["id"],
    "county_lists": lambda r: r["id"],
    "institutions": lambda r: institution_slug(r["name"]),
    "counties": county_slug,
}


def as_json(record: dict):
    """What a record is as JSON data (dates as YYYY-MM-DD), computed without the site's code."""
    return json.loads(json.dumps(dict(record), ensure_ascii=False, default=str))


def file_of(site_dir: Path, path: str) -> Path:
    return site_dir / path.lstrip("/")


def test_each_resource_card_offers_the_excel_table_first(site_dir, dataset):
    page = article(load(site_dir, DOWNLOADS))
    cards = page.xpath(".//section[contains(@class, 'gp-dl-card')]")
    assert [c.get("id") for c in cards] == [r["name"] for r in dataset.descriptor["resources"]]
    for card, resource in zip(cards, dataset.descriptor["resources"], strict=True):
        name = resource["name"]
        anchors = card.xpath(".//p[contains(@class, 'gp-dl-links')]//a")
        targets = [resolve(DOWNLOADS, a.get("href")) for a in anchors]
        assert targets == [f"{DOWNLOADS}{name}{ext}" for ext in FORMATS], name
        for anchor, target in zip(anchors, targets, strict=True):
            assert anchor.get("download") is not None, f"{target}: no download attribute"
            assert file_of(site_dir, target).is_file(), target
        assert anchors[0].get("download") == f"{resource['title']}-{resource['version']}.csv"
        assert f"{len(dataset.get(name))} 条记录" in card.text_content()
    package = page.xpath(".//a[contains(@href, 'datapackage.json')]")
    assert package and package[0].get("download") is not None


def test_excel_tables_have_the_schema_titles_and_every_record(site_dir, dataset):
    for resource in dataset.descriptor["resources"]:
        raw = (site_dir / "downloads" / f"{resource['name']}.zh.csv").read_bytes()
        assert raw.startswith(BOM), resource["name"]
        rows = list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))
        assert rows[0] == [f["title"] for f in resource["schema"]["fields"]], resource["name"]
        assert len(rows) - 1 == len(dataset.get(resource["name"])), resource["name"]
        lists = [i for i, f in enumerate(resource["schema"]["fields"]) if f["type"] == "array"]
        for record, row in zip(dataset.get(resource["name"]), rows[1:], strict=True):
            for i in lists:
                values = record.get(resource["schema"]["fields"][i]["name"]) or []
                assert row[i].lstrip("'") == "；".join(values)


@pytest.mark.parametrize("resource", sorted(RECORD_PAGES))
def test_record_pages_link_their_record_as_json(site_dir, dataset, resource):
    assert dataset.get(resource)
    for record in dataset.get(resource):
        url, key = RECORD_PAGES[resource](record)
        links = article(load(site_dir, url)).xpath(".//*[contains(@class, 'gp-data-links')]//a[text()='JSON']")
        assert len(links) == 1, f"{url}: {len(links)} record JSON links"
        target = resolve(url, links[0].get("href"))
        assert target == f"{DOWNLOADS}records/{resource}/{key}.json", url
        assert links[0].get("download") is not None, url
        assert json.loads(file_of(site_dir, target).read_text(encoding="utf-8")) == as_json(record), url


def test_every_record_json_link_on_any_page_holds_that_record(site_dir, dataset):
    """County, city and notice pages may link records too: every such link names a file equal to its record."""
    by_file = {f"{DOWNLOADS}records/{res}/{key(r)}.json": r for res, key in ALL_KEYS.items() for r in dataset.get(res)}
    seen = 0
    for path in sorted(site_dir.rglob("index.html")):
        html = path.read_bytes()
        if b"gp-data-links" not in html:
            continue
        url = "/" + path.parent.relative_to(site_dir).as_posix() + "/"
        for a in article(load(site_dir, url)).xpath(".//*[contains(@class, 'gp-data-links')]//a[text()='JSON']"):
            target = resolve(url, a.get("href"))
            assert target in by_file, f"{url}: {target} is no record's file"
            assert json.loads(file_of(site_dir, target).read_text(encoding="utf-8")) == as_json(by_file[target]), url
            seen += 1
    assert seen >= len(dataset.get("projects")) + len(dataset.get("institutions"))


def test_record_files_exist_for_every_record_with_a_page(site_dir, dataset):
    for resource, key in ALL_KEYS.items():
        folder = site_dir / "downloads" / "records" / resource
        assert sorted(p.name for p in folder.iterdir()) == sorted(f"{key(r)}.json" for r in dataset.get(resource)), resource


# --- Served by the forms app (WhiteNoise) ---------------------------------------------------------


@pytest.fixture(scope="module")
def app_client(site_dir, source_dir, tmp_path_factory):
    from forms_app import create_app
    from forms_app.database import db

    tmp = tmp_path_factory.mktemp("app")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(tmp / "instance"),
            "DATA_DIR": str(source_dir / "data"),
            "SITE_DIR": str(site_dir),
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{tmp / 'forms.sqlite3'}",
            "RATELIMIT_ENABLED": False,
        }
    )
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/downloads/projects.csv", "text/csv; charset=utf-8"),
        ("/downloads/projects.zh.csv", "text/csv; charset=utf-8"),
        ("/downloads/counties.json", "application/json"),
        ("/downloads/datapackage.json", "application/json"),
        ("/downloads/records/projects/{project}.json", "application/json"),
    ],
)
def test_the_app_serves_data_files_as_downloads_of_their_type(app_client, dataset, url, content_type):
    response = app_client.get(url.format(project=dataset.get("projects")[0]["id"]))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == "attachment"
    if url.endswith(".csv"):
        assert response.data.startswith(BOM)
    else:
        json.loads(response.data)


def test_the_app_serves_pages_and_the_search_index_inline(app_client):
    page = app_client.get(DOWNLOADS)
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in page.headers
    manifest = app_client.get("/searchindex/manifest.json")
    assert manifest.status_code == 200 and "Content-Disposition" not in manifest.headers


# --- In Chromium ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_downloads_page_fits_the_screen(browser, base_url, output_dir, device, viewport):
    context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
    page = context.new_page()
    try:
        page.goto(base_url + DOWNLOADS, wait_until="networkidle")
        path = output_dir / "screenshots" / f"downloads-{device}.png"
        page.screenshot(path=str(path), full_page=True)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"the downloads page is {overflow}px wider than a {viewport['width']}px screen"
        # The theme clips what overflows its content box, so the page alone would not show it.
        for selector in (".gp-dl-card", ".gp-dl-links a", ".gp-dl-package"):
            items = page.locator(selector)
            assert items.count() > 0, selector
            for i in range(items.count()):
                box = items.nth(i).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{selector} {i} off-screen: {box}"
        if device == "desktop":  # cards side by side, not one long column
            first, second = (page.locator(".gp-dl-card").nth(i).bounding_box() for i in (0, 1))
            assert abs(first["y"] - second["y"]) < 1, (first, second)
    finally:
        context.close()


def test_links_download_their_files_in_the_browser(browser, base_url, dataset):
    """The download attribute makes even a plain static host offer the files as downloads."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    try:
        page.goto(base_url + DOWNLOADS, wait_until="networkidle")
        projects = dataset.resource("projects")
        card = page.locator("#projects")
        with page.expect_download() as excel:
            card.get_by_role("link", name="表格（Excel）").click()
        assert excel.value.suggested_filename == f"{projects['title']}-{projects['version']}.csv"
        raw = Path(excel.value.path()).read_bytes()
        assert raw.startswith(BOM + '"项目编号"'.encode())
        with page.expect_download() as as_json:
            card.get_by_role("link", name="JSON").click()
        assert as_json.value.suggested_filename == "projects.json"
        assert len(json.loads(Path(as_json.value.path()).read_text(encoding="utf-8"))) == len(dataset.get("projects"))
        assert page.url == base_url + DOWNLOADS  # still on the page, nothing opened in the tab
    finally:
        context.close()
