"""附件2 (county lists by type and city) imports as the shipped county_lists records."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from office_tables import ROOT, shipped

from site_builder.cli import cli


def run(table, output, data=ROOT / "data"):
    args = ["import", str(table), "--document", "jx-2022-14", "--kind", "county_lists", "--output", str(output), "--data", str(data)]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("kind", ["county-xlsx", "county-csv"])
def test_county_lists_reproduce_shipped(kind, tables, tmp_path):
    result = run(tables[kind], tmp_path / "lists.yaml")
    assert result.exit_code == 0, result.output
    assert "已导入 3 份名单（来自 17 行）" in result.output
    imported = yaml.safe_load((tmp_path / "lists.yaml").read_text(encoding="utf-8"))
    got = [(r["type"], r["count"], r["counties"], r["province"], r["year"]) for r in imported]
    want = [(r["type"], r["count"], r["counties"], r["province"], r["year"]) for r in shipped("county_lists")]
    assert got == want
    # The shipped lists keep their ids; the new ones are told apart and the report says so.
    assert [r["id"] for r in imported] == ["jx-2022-sfx-2", "jx-2022-xmx-2", "jx-2022-zxbfx-2"]
    assert "已有示范县名单 jx-2022-sfx" in result.output


def test_imported_lists_validate(tables, tmp_path, data_copy):
    run(tables["county-csv"], tmp_path / "lists.yaml")
    with (data_copy / "county_lists.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + (tmp_path / "lists.yaml").read_text(encoding="utf-8"))
    result = CliRunner().invoke(cli, ["validate", "--data", str(data_copy)], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_former_names_wrong_city_and_counts_need_a_person(tmp_path):
    table = tmp_path / "名单.csv"
    table.write_text(
        "名单类型,设区市,县（市、区）,数量\n振兴帮扶县,赣州市,南康县、瑞金市,2\n,九江市,于都县,2\n扶贫县,吉安市,吉安县,1\n",
        encoding="utf-8-sig",
    )
    result = run(table, tmp_path / "out.yaml")
    assert result.exit_code == 1
    out = result.output
    assert "原表写作“南康县”，现为南康区" in out
    assert "于都县属于赣州市，表中写在九江市下" in out
    assert "第 4 行：名单类型“扶贫县”无法识别" in out
    assert "表中公布数量为 4，实际列出 3 个县" in out
    record = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))[0]
    assert record["counties"] == ["南康区", "瑞金市", "于都县"]
