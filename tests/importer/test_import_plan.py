"""The Jiangxi 2022 plan table, rebuilt as each file type, imports as the shipped records."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from office_tables import ROOT, shipped

from site_builder.cli import cli

COMPARED = ("name", "participants", "institution", "scope", "counties", "duration", "offline_days", "online_hours")
KINDS = ["xlsx", "docx", "csv-utf8-bom", "csv-utf8", "csv-gb18030"]


def run_import(table: Path, output: Path, *extra: str, data: Path = ROOT / "data"):
    args = ["import", str(table), "--document", "jx-2022-14", "--output", str(output), "--data", str(data), *extra]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.mark.parametrize("kind", KINDS)
def test_import_reproduces_shipped_records(kind, tables, tmp_path):
    result = run_import(tables[kind], tmp_path / "out.yaml")
    assert result.exit_code == 0, result.output
    assert "已导入 78 个项目，编号 jx2022-079 至 jx2022-156。" in result.output
    assert "每一行都已对应" in result.output
    imported = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    expected = shipped("projects")
    assert len(imported) == len(expected) == 78
    for got, want in zip(imported, expected, strict=True):
        assert {f: got.get(f) for f in COMPARED} == {f: want.get(f) for f in COMPARED}, want["id"]
        assert (got["year"], got["province"], got["programme"], got["track"], got["document"]) == (
            2022,
            "江西省",
            "国培计划",
            "中西部骨干项目",
            "jx-2022-14",
        )


def test_report_names_corrections_and_skipped_rows(tables, tmp_path):
    result = run_import(tables["xlsx"], tmp_path / "out.yaml")
    out = result.output
    assert "表头在第 3 行" in out
    assert "“长春东师学思教育科技发展有限公司”，按规范名称“长春东师学思教育科技有限公司”录入" in out
    assert "原表写作“南康县”，现为南康区" in out
    assert re.search(r"重复的表头：第 \d+ 行", out)
    assert "合计行“合计”" in out and "表注“注：各培训项目原则上须于2022年底前…”" in out
    assert "项目类别（category）、对应指导方案（guidance）" in out
    records = yaml.safe_load((tmp_path / "out.yaml").read_text(encoding="utf-8"))
    dongxiang = next(r for r in records if r["name"] == "振兴帮扶整县推进(1)")
    assert dongxiang["note"] == "原表写作“东乡县”，现为东乡区，据现行区划更正。"


def test_ids_follow_the_highest_in_use(tables, tmp_path, data_copy):
    first = run_import(tables["csv-utf8"], tmp_path / "a.yaml", data=data_copy)
    text = (tmp_path / "a.yaml").read_text(encoding="utf-8")
    with (data_copy / "projects.yaml").open("a", encoding="utf-8") as handle:
        handle.write("\n" + text)
    second = run_import(tables["csv-utf8"], tmp_path / "b.yaml", data=data_copy)
    assert first.exit_code == second.exit_code == 0
    assert "编号 jx2022-157 至 jx2022-234" in second.output


def test_validator_points_only_at_fields_left_for_a_person(tables, tmp_path, data_copy):
    run_import(tables["docx"], tmp_path / "out.yaml")
    projects = data_copy / "projects.yaml"
    before = len(projects.read_text(encoding="utf-8").splitlines())
    with projects.open("a", encoding="utf-8") as handle:
        handle.write("\n" + (tmp_path / "out.yaml").read_text(encoding="utf-8"))
    result = CliRunner().invoke(cli, ["validate", "--data", str(data_copy)], catch_exceptions=False)
    assert result.exit_code == 1
    lines = projects.read_text(encoding="utf-8").splitlines()
    problems = [p for p in result.output.splitlines() if p.startswith(str(data_copy))]
    located = [re.match(r".*projects\.yaml:(\d+): (警告：)?字段 (\w+): ", p) for p in problems]
    assert all(located), problems[:3]
    fields = {(int(m.group(1)), m.group(3)) for m in located}
    assert {f for _, f in fields} == {"category", "guidance"}
    assert not any(m.group(2) for m in located), "no warnings"
    assert len(fields) == 2 * 78
    for line, field in fields:
        assert line > before and lines[line - 1].startswith(f"  {field}: 【待填】")
    assert "导入时表格未载，须由人工填写，请填写项目类别" in result.output


def test_python_dash_m_entry_point(tables, tmp_path):
    """The command as staff type it, in a real process."""
    out = tmp_path / "out.yaml"
    cmd = [sys.executable, "-m", "site_builder", "import", str(tables["csv-gb18030"]), "--document", "jx-2022-14", "--output", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "已导入 78 个项目" in done.stdout and out.is_file()
