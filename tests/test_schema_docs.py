"""The schema explains every field in Chinese, and the staff guide lists them all."""

import re
from pathlib import Path

import pytest

from site_builder.field_docs import field_reference, load_descriptor

ROOT = Path(__file__).resolve().parent.parent
DESCRIPTOR = load_descriptor(ROOT / "data")
CJK = re.compile(r"[\u4e00-\u9fff]")
FIELDS = [(r["name"], f) for r in DESCRIPTOR["resources"] for f in r["schema"]["fields"]]


@pytest.mark.parametrize(("resource", "field"), FIELDS, ids=[f"{r}.{f['name']}" for r, f in FIELDS])
def test_field_has_chinese_title_and_description(resource, field):
    assert CJK.search(field.get("title", "")), f"{resource}.{field['name']} has no Chinese title"
    assert CJK.search(field.get("description", "")), f"{resource}.{field['name']} has no Chinese description"


def test_resources_have_titles_and_versions():
    assert DESCRIPTOR["version"]
    for resource in DESCRIPTOR["resources"]:
        assert CJK.search(resource["title"]) and CJK.search(resource["description"])
        assert resource["version"], resource["name"]


def test_staff_guide_lists_every_field():
    guide = (ROOT / "docs" / "STAFF_GUIDE.md").read_text(encoding="utf-8")
    for resource, field in FIELDS:
        row = f"| `{field['name']}` | {field['title']} |"
        assert row in guide, f"{resource}.{field['name']} missing from docs/STAFF_GUIDE.md"
    assert field_reference(DESCRIPTOR) in guide, "docs/STAFF_GUIDE.md is older than data/datapackage.yaml: regenerate it"
