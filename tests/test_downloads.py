"""downloads/: machine CSV, Excel CSV with Chinese headers, JSON, record files and datapackage.json with sources."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import frictionless
import pytest
import yaml

from site_builder.dataset import Dataset
from site_builder.downloads import record_path, write_downloads
from site_builder.site_model import county_slug, institution_slug
from site_builder.validate import validate

ROOT = Path(__file__).resolve().parent.parent
BOM = b"\xef\xbb\xbf"
# OWASP CSV injection: a spreadsheet treats a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE_PROJECT = {
    "id": "jx2022-901",
    "year": 2022,
    "province": "江西省",
    "programme": "国培计划",
    "name": 'A,B "quoted"\nsecond line',
    "target": "+SUM(1,2)",
    "mode": " =1+1",
    "goal": "-2+3",
    "content": "@SUM(A1:A9)",
    "outcomes": "\t=cmd",
    "duration": "线下集中7天",
    "offline_days": 7,
    "participants": 30,
    "scope": "指定县",
    "counties": ['=HYPERLINK("http://evil.invalid","点我")', "南康区"],
    "institution": "某某大学",
    "document": "doc-1",
    "note": "=cmd|' /C calc'!A0",
}


def descriptor() -> dict:
    return yaml.safe_load((ROOT / "data" / "datapackage.yaml").read_text(encoding="utf-8"))


def fields_of(desc: dict, name: str) -> list[dict]:
    return next(r for r in desc["resources"] if r["name"] == name)["schema"]["fields"]


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Dataset, Path]:
    dataset = Dataset(root=tmp_path, descriptor=descriptor())
    dataset.records = {
        "projects": [HOSTILE_PROJECT],
        "institutions": [{"name": "某某大学", "aliases": ["某某学院", "=1+2"], "kind": "综合性高校"}],
        "counties": [{"name": "南康区", "province": "江西省", "city": "赣州市", "code": "360703", "level": "市辖区"}],
        "documents": [
            {
                "id": "doc-1",
                "doc_number": "赣教师字〔2022〕14号",
                "issuer": "江西省教育厅",
                "title": "关于组织实施的通知",
                "province": "江西省",
                "year": 2022,
                "date": dt.date(2022, 5, 6),
                "page": "notices/doc-1.md",
            }
        ],
    }
    out = tmp_path / "downloads"
    write_downloads(dataset, out)
    return dataset, out


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(BOM), f"{path.name} has no byte order mark"
    return list(csv.reader(io.StringIO(raw[len(BOM) :].decode("utf-8"), newline="")))


def test_every_resource_gets_three_tables_with_a_bom(hostile):
    dataset, out = hostile
    for resource in dataset.descriptor["resources"]:
        name = resource["name"]
        for file in (f"{name}.csv", f"{name}.zh.csv"):
            rows = read_csv(out / file)
            assert len(rows) == 1 + len(dataset.get(name)), file
        assert len(json.loads((out / f"{name}.json").read_text(encoding="utf-8"))) == len(dataset.get(name))


def test_machine_csv_keeps_english_names_and_every_value_as_is(hostile):
    _, out = hostile
    header, row = read_csv(out / "projects.csv")
    fields = [f["name"] for f in fields_of(descriptor(), "projects")]
    assert header == fields
    cells = dict(zip(header, row, strict=True))
    for key, value in HOSTILE_PROJECT.items():
        expected = "；".join(value) if isinstance(value, list) else str(value)
        assert cells[key] == expected, key  # commas, quotes, newlines and formulas round-trip untouched
    assert cells["track"] == ""


def test_excel_csv_headers_are_the_schema_titles(hostile):
    dataset, out = hostile
    for resource in descriptor()["resources"]:
        header = read_csv(out / f"{resource['name']}.zh.csv")[0]
        assert header == [f["title"] for f in resource["schema"]["fields"]], resource["name"]
        assert len(set(header)) == len(header), f"{resource['name']}: two columns share a title"


def test_excel_csv_neutralises_formulas_and_joins_lists(hostile):
    _, out = hostile
    header, row = read_csv(out / "projects.zh.csv")
    titles = {f["name"]: f["title"] for f in fields_of(descriptor(), "projects")}
    cells = {name: row[header.index(title)] for name, title in titles.items()}
    assert cells["name"] == HOSTILE_PROJECT["name"]
    assert cells["note"] == "'=cmd|' /C calc'!A0"
    assert cells["target"] == "'+SUM(1,2)"
    assert cells["goal"] == "'-2+3"
    assert cells["content"] == "'@SUM(A1:A9)"
    assert cells["outcomes"] == "'\t=cmd"
    assert cells["mode"] == "' =1+1"
    assert cells["counties"] == "'" + "；".join(HOSTILE_PROJECT["counties"])
    assert cells["participants"] == "30" and cells["year"] == "2022"
    for value in row:
        assert not value.lstrip(" ").startswith(FORMULA_TRIGGERS), value
    inst_header, inst_row = read_csv(out / "institutions.zh.csv")
    assert inst_row[inst_header.index("别名")] == "某某学院；=1+2"  # a later item cannot start the cell


def test_excel_csv_quotes_every_cell(hostile):
    _, out = hostile
    text = (out / "projects.zh.csv").read_bytes()[len(BOM) :].decode("utf-8")
    assert text.startswith('"项目编号","年度",')
    assert '"A,B ""quoted""\nsecond line"' in text
    assert '"2022"' in text


def test_json_keeps_lists_and_dates(hostile):
    _, out = hostile
    (project,) = json.loads((out / "projects.json").read_text(encoding="utf-8"))
    assert project == HOSTILE_PROJECT
    (document,) = json.loads((out / "documents.json").read_text(encoding="utf-8"))
    assert document["date"] == "2022-05-06"


def test_one_json_file_per_record_equal_to_the_record(hostile):
    dataset, out = hostile
    cases = [
        ("projects", HOSTILE_PROJECT["id"], HOSTILE_PROJECT),
        ("institutions", institution_slug("某某大学"), dataset.get("institutions")[0]),
        ("counties", county_slug(dataset.get("counties")[0]), dataset.get("counties")[0]),
        ("documents", "doc-1", dataset.get("documents")[0]),
    ]
    for resource, key, record in cases:
        path = out / "records" / resource / f"{key}.json"
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(record, default=str)), path


def test_a_rebuild_drops_record_files_of_deleted_records(hostile):
    dataset, out = hostile
    dataset.records["projects"] = []
    write_downloads(dataset, out)
    assert not list((out / "records" / "projects").iterdir())


@pytest.mark.parametrize("key", ["../escape", "a/b", ".hidden", "", "名字"])
def test_record_file_names_cannot_leave_their_folder(key):
    with pytest.raises(ValueError):
        record_path("projects", key)


def test_sources_take_the_official_link_when_the_data_has_one(tmp_path):
    desc = descriptor()
    doc_fields = fields_of(desc, "documents")
    if not any(f.get("format") == "uri" or f["name"] in ("url", "source_url", "official_url") for f in doc_fields):
        doc_fields.append({"name": "url", "title": "原文链接", "type": "string", "format": "uri"})
    url_field = next(f["name"] for f in doc_fields if f.get("format") == "uri" or f["name"] in ("url", "source_url", "official_url"))
    dataset = Dataset(root=tmp_path, descriptor=desc)
    dataset.records = {
        "documents": [
            {"id": "a", "issuer": "甲厅", "title": "甲通知", url_field: "https://jyt.example.gov.cn/a.html"},
            {"id": "b", "issuer": "乙厅", "title": "乙通知", "doc_number": "乙〔2024〕1号"},
        ]
    }
    write_downloads(dataset, tmp_path / "out")
    package = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["sources"] == [
        {"title": "《甲通知》", "path": "https://jyt.example.gov.cn/a.html", "issuer": "甲厅"},
        {"title": "《乙通知》（乙〔2024〕1号）", "issuer": "乙厅"},
    ]


# --- The shipped data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[Dataset, Path]:
    dataset, problems = validate(ROOT / "data")
    assert not [p for p in problems if p.severity == "error"]
    out = tmp_path_factory.mktemp("downloads")
    write_downloads(dataset, out)
    return dataset, out


def test_datapackage_is_valid_with_its_csv_files(shipped):
    _, out = shipped
    report = frictionless.validate(str(out / "datapackage.json"))  # the descriptor and every row against it
    assert report.valid, report.flatten(["type", "message"])[:10]


def test_datapackage_names_the_notices_as_sources(shipped):
    dataset, out = shipped
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    documents = dataset.get("documents")
    assert len(package["sources"]) == len(documents) > 0
    for source, doc in zip(package["sources"], documents, strict=True):
        assert source["title"] and doc["title"] in source["title"]  # the spec requires a title
        if doc.get("doc_number"):
            assert doc["doc_number"] in source["title"]
        assert source["issuer"] == doc["issuer"]
    titles = {d["id"]: s["title"] for d, s in zip(documents, package["sources"], strict=True)}
    calls = dataset.index("calls")
    for resource in package["resources"]:
        records = dataset.get(resource["name"])
        if records and "document" in records[0]:
            cited = {r["document"] for r in records}
        elif records and "call" in records[0]:  # one foreign key away: 申报方向, 评审指标 → 申报通知
            cited = {calls[r["call"]]["document"] for r in records}
        else:
            assert "sources" not in resource, resource["name"]
            continue
        assert {s["title"] for s in resource["sources"]} == {titles[d] for d in cited}, resource["name"]


def test_datapackage_describes_the_csv_files(shipped):
    dataset, out = shipped
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        assert resource["path"] == f"{resource['name']}.csv" and (out / resource["path"]).is_file()
        assert resource["mediatype"] == "text/csv" and resource["encoding"] == "utf-8-sig"
        assert all(f["type"] != "array" for f in resource["schema"]["fields"]), resource["name"]
