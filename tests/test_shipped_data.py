"""The shipped data is valid and holds the facts of the five seed notices."""

from collections import Counter
from pathlib import Path

import pytest

from site_builder.problems import format_text
from site_builder.validate import validate

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def dataset():
    dataset, problems = validate(ROOT / "data")
    assert not problems, format_text(problems)
    return dataset


def test_jiangxi_2022_table_complete(dataset):
    projects = [p for p in dataset.get("projects") if p["document"] == "jx-2022-14"]
    assert len(projects) == 78
    assert all(isinstance(p["participants"], int) for p in projects)
    # 附件1 leaves 中标单位 empty on 18 rows; every other row names a known institution.
    assert sum(1 for p in projects if not p.get("institution")) == 18
    by_row = {p["id"]: p for p in projects}
    assert by_row["jx2022-001"]["participants"] == 360
    assert by_row["jx2022-004"]["institution"] == "豫章师范学院"
    assert sum(p["participants"] for p in projects) == 108610


def test_jiangxi_2022_county_lists(dataset):
    lists = {cl["id"]: cl for cl in dataset.get("county_lists") if cl["province"] == "江西省"}
    assert {k: len(v["counties"]) for k, v in lists.items()} == {"jx-2022-sfx": 4, "jx-2022-xmx": 37, "jx-2022-zxbfx": 15}
    assert len({n for cl in lists.values() for n in cl["counties"]}) == 56
    assert "南康区" in lists["jx-2022-zxbfx"]["counties"]


def test_current_county_names_replace_seed_spellings(dataset):
    names = {c["name"]: c for c in dataset.get("counties")}
    for old, new in (("南康县", "南康区"), ("乐平县", "乐平市"), ("东乡县", "东乡区")):
        assert old not in names
        assert old in names[new]["former_names"]
    for project in dataset.get("projects"):
        assert not {"南康县", "乐平县", "东乡县"} & set(project.get("counties") or [])


def test_institution_spellings_merged(dataset):
    institutions = {i["name"]: i for i in dataset.get("institutions")}
    assert "北京继教网教育科技有限公司" in institutions["北京继教网教育科技发展有限公司"]["aliases"]
    used = Counter(p.get("institution") for p in dataset.get("projects"))
    assert set(used) - {None} <= set(institutions)


def test_henan_2021(dataset):
    [county_list] = [cl for cl in dataset.get("county_lists") if cl["id"] == "ha-2021-xmx"]
    assert len(county_list["counties"]) == 13 and county_list["count"] == 13
    projects = [p for p in dataset.get("projects") if p["document"] == "ha-2021-szts"]
    assert len(projects) == 5
    assert {p.get("participants") for p in projects} >= {150, 200}


def test_shanxi_2024_counts(dataset):
    lists = {cl["type"]: cl["count"] for cl in dataset.get("county_lists") if cl["province"] == "山西省"}
    assert lists == {"“一对一”精准帮扶县": 10, "送教下乡项目县": 12, "数字素养提升项目县": 40}
    assert len([p for p in dataset.get("projects") if p["document"] == "sx-2024-47"]) == 10


def test_national_guidance_and_call(dataset):
    tracks = Counter(g["track"] for g in dataset.get("guidance"))
    assert tracks["示范项目"] >= 5 and tracks["中西部骨干项目"] >= 5
    [call] = dataset.get("calls")
    assert str(call["deadline"]) == "2024-04-30"
    directions = dataset.get("call_directions")
    assert [d["funding"] for d in sorted(directions, key=lambda d: d["number"])] == [30, 10, 10, 10, 10]


def test_every_document_has_a_page(dataset):
    for document in dataset.get("documents"):
        assert (ROOT / "content" / document["page"]).is_file()
