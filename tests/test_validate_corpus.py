"""Every broken input in the corpus gets its exit code, file:line and message."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import CASES as RECORD_CASES
from bad_inputs import Case
from bad_yaml_inputs import CASES as YAML_CASES
from click.testing import CliRunner

from site_builder.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CASES = YAML_CASES + RECORD_CASES


def apply(case: Case, data: Path) -> None:
    path = data / case.file
    if case.edits:
        text = path.read_text(encoding="utf-8")
        for old, new in case.edits:
            assert text.count(old) == 1, f"fixture changed: {old!r} must occur once in {case.file}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    elif case.content is None:
        path.unlink()
    elif isinstance(case.content, bytes):
        path.write_bytes(case.content)
    else:
        path.write_text(case.content, encoding="utf-8")


def run_cli(data: Path, *args: str):
    result = CliRunner().invoke(cli, ["validate", "--data", str(data), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def test_fixture_is_valid(minimal_data):
    result = run_cli(minimal_data)
    assert result.exit_code == 0, result.output
    assert "数据校验通过" in result.output


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, minimal_data: Path):
    apply(case, minimal_data)
    result = run_cli(minimal_data)
    assert result.exit_code == case.exit, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    location = f"{case.file}:{case.line}:" if case.line else (case.file if case.exit else "")
    matching = [line for line in lines if location in line and case.message in line]
    assert matching, f"expected {location} … {case.message} in:\n{result.output}"
    for piece in case.extra:
        assert any(piece in line for line in matching), f"{piece!r} missing in {matching}"


def test_json_format_lists_problems(minimal_data):
    apply(next(c for c in CASES if c.id == "county-former-name"), minimal_data)
    result = run_cli(minimal_data, "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 1 and report["valid"] is False
    [problem] = [p for p in report["problems"] if p["field"] == "counties"]
    assert problem["line"] == 29 and problem["value"] == "南康县"
    assert problem["file"].endswith("projects.yaml")
    assert "南康区" in problem["hint"]


def test_github_format_annotates(minimal_data):
    apply(next(c for c in CASES if c.id == "duration-mismatch"), minimal_data)
    result = run_cli(minimal_data, "--format", "github")
    assert result.exit_code == 1
    [annotation] = [line for line in result.output.splitlines() if line.startswith("::error ")]
    assert "projects.yaml,line=11," in annotation
    assert "原文合计为 7 天" in annotation


def test_oversized_file_is_refused_before_parsing(minimal_data):
    big = minimal_data / "projects.yaml"
    chunk = "- id: jx2022-001\n  name: " + "很长的名字" * 200 + "\n"
    big.write_text(chunk * (2 * 1024 * 1024 // len(chunk.encode()) + 1), encoding="utf-8")
    result = run_cli(minimal_data, "--max-file-mb", "1")
    assert result.exit_code == 1
    assert "文件过大" in result.output and "上限 1 MB" in result.output


def test_cli_as_module_exit_codes(minimal_data):
    """The documented command `python -m site_builder validate` works as a process."""
    ok = subprocess.run(
        [sys.executable, "-m", "site_builder", "validate", "--data", str(minimal_data)], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (minimal_data / "projects.yaml").write_text("- id: [\n", encoding="utf-8")
    bad = subprocess.run(
        [sys.executable, "-m", "site_builder", "validate", "--data", str(minimal_data)], cwd=ROOT, capture_output=True, text=True
    )
    assert bad.returncode == 1
    assert "projects.yaml:" in bad.stdout and "YAML 语法错误" in bad.stdout
    assert bad.stderr == ""


UNCLOSED = [c for c in YAML_CASES if "未闭合" in c.message]


def _left_open(text: str, opener: str) -> bool:
    closer = {"[": "]", "{": "}"}.get(opener)
    return text.count(opener) > text.count(closer) if closer else text.count(opener) % 2 == 1


@pytest.mark.parametrize("case", UNCLOSED, ids=[c.id for c in UNCLOSED])
def test_unclosed_cases_point_at_the_opening_line(case: Case, minimal_data: Path):
    """The corpus' expected line is where the edit put the opening character, not a guess."""
    apply(case, minimal_data)
    text = (minimal_data / case.file).read_text(encoding="utf-8")
    opened = case.edits[0][1]
    assert text[: text.index(opened)].count("\n") + 1 == case.line
    opener = case.message[4]  # 双引号“"”未闭合 → "
    assert _left_open(opened, opener), "the first edit is the one leaving the character open"
    # The unreadable file stops the checks: no references into it reported as broken.
    assert "共 1 个错误" in run_cli(minimal_data).output
