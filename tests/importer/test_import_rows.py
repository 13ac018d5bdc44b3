"""Rows a person must look at: reported with their source row, written so the validator points at them."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner
from office_tables import ROOT

from site_builder.cli import cli

HEADER = "序号,项目名称,培训对象,培训方式,培训时长,人数,实施范围,承训单位\n"


def run(table, output, *extra, data=ROOT / "data"):
    args = ["import", str(table), "--document", "jx-2022-14", "--output", str(output), "--data", str(data), *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_unknown_values_are_reported_by_row_and_left_for_the_validator(tmp_path, data_copy):
    table = tmp_path / "表.csv"
    table.write_text(
        HEADER + "1,乡村教师培训,乡村教师,集中,线下5天,若干,部分县,江西师范大学（瑶湖校区）\n"
        '2,县域教师培训,县域教师,混合,两周,120,"湖口, 泰和县",北京师范大学\n'
        "3,,,,线上50学时,1 200,全省,\n",
        encoding="utf-8",
    )
    result = run(table, tmp_path / "out.yaml", data=data_copy)
    assert result.exit_code == 1
    out = result.output
    assert "须人工核对：3 行，共 6 处（退出码 1）：" in out
    assert "第 2 行（jx2022-079）：人数“若干”不是整数" in out
    assert "第 2 行（jx2022-079）：实施范围“部分县”既不是可选的范围" in out
    assert "中标单位“江西师范大学（瑶湖校区）”不在承训单位（institutions.yaml）中；最接近的是“江西师范大学”" in out
    assert "第 3 行（jx2022-080）：培训时长“两周”中没有“N天”或“N学时”" in out
    assert "第 3 行（jx2022-080）：县“湖口”不在 江西省 的县（counties.yaml）中，是否为 “湖口县”？" in out
    assert "第 4 行（jx2022-081）：项目名称为空" in out
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert "# 第 2 行须人工核对：人数“若干”不是整数" in text
    records = yaml.safe_load(text)
    assert records[1]["scope"] == "指定县" and records[1]["counties"] == ["湖口", "泰和县"]
    assert records[2]["participants"] == 1200 and "institution" not in records[2]
    # Merged into the data, the validator names each of those fields at its line.
    with (data_copy / "projects.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    validated = CliRunner().invoke(cli, ["validate", "--data", str(data_copy)], catch_exceptions=False).output
    for field, value in [("participants", "若干"), ("scope", "部分县"), ("institution", "江西师范大学（瑶湖校区）"), ("counties", "湖口")]:
        assert f"字段 {field}: “{value}”" in validated, field


def test_header_variants_and_no_winner_column(tmp_path):
    table = tmp_path / "表.csv"
    table.write_text(
        "培训项目名称,参训对象,培训形式,培训时间（天）,计划培训人数（人）,项目类别,实施区域,备注\n"
        '乡村教师培训,乡村教师,集中,线下集中 5 天,"1,000",农村骨干教师能力提升培训,项目县（区）,第二期\n',
        encoding="utf-8",
    )
    result = run(table, tmp_path / "out.yaml")
    assert result.exit_code == 0, result.output
    assert "表中没有这些列，相应字段留空：中标单位" in result.output
    record = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))[0]
    assert record["category"] == "农村骨干教师能力提升培训"
    assert (record["participants"], record["scope"], record["offline_days"], record["note"]) == (1000, "项目县", 5, "第二期。")
    assert record["guidance"].startswith("【待填】")


def test_utf16_tab_separated_text_as_excel_saves_unicode_text(tmp_path):
    table = tmp_path / "表.csv"
    table.write_bytes("项目名称\t人数\t实施范围\n乡村教师培训\t300\t全省\n".encode("utf-16"))
    result = run(table, tmp_path / "out.yaml")
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))[0]["participants"] == 300


HOSTILE = [
    "- item",
    "key: value",
    "#注释",
    "'单引号'",
    '"双引号"',
    "{花括号}",
    "[方括号]",
    "&anchor *alias",
    "!标签",
    "|块",
    ">折叠",
    "yes",
    "2022-12-31",
    "123",
    "~空",
    "null",
    "@提及",
    "`反引号`",
    "%百分号",
]


def test_hostile_cell_text_comes_back_exactly(tmp_path, data_copy):
    rows = "".join(f'{n},"{text.replace(chr(34), chr(34) * 2)}",对象{text},方式,线下5天,10,全省\n' for n, text in enumerate(HOSTILE, 1))
    table = tmp_path / "表.csv"
    table.write_text("序号,项目名称,培训对象,培训方式,培训时长,人数,实施范围\n" + rows, encoding="utf-8")
    result = run(table, tmp_path / "out.yaml", data=data_copy)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    records = yaml.safe_load(text)
    assert [r["name"] for r in records] == HOSTILE
    assert [r["target"] for r in records] == [f"对象{t}" for t in HOSTILE]
    with (data_copy / "projects.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    validated = CliRunner().invoke(cli, ["validate", "--data", str(data_copy), "--format", "json"], catch_exceptions=False)
    assert {p["field"] for p in json.loads(validated.output)["problems"]} == {"category", "guidance", "track"}
