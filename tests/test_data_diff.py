"""`python -m site_builder diff` summarises a change to the data for review."""

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import cli


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.org", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(minimal_data: Path) -> Path:
    root = minimal_data.parent
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_diff_lists_added_removed_and_changed(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "participants: 360", "participants: 400")
    edit(
        data / "institutions.yaml",
        "- name: 江西师范大学\n  kind: 师范院校\n",
        "- name: 江西师范大学\n  kind: 师范院校\n- name: 南昌师范学院\n  kind: 师范院校\n",
    )
    edit(
        data / "county_lists.yaml",
        "- id: jx-2022-zxbfx\n  province: 江西省\n  year: 2022\n  type: 振兴帮扶县\n  count: 1\n  counties: [南康区]\n  document: jx-2022-14\n",
        "",
    )
    result = CliRunner().invoke(cli, ["diff", "--data", str(data)])
    assert result.exit_code == 0, result.output
    assert "### 培训项目：新增 0，删除 0，修改 1" in result.output
    assert "- 修改 jx2022-001 乡村中小学优秀教师高级研修：participants：360 → 400" in result.output
    assert "- 新增 南昌师范学院" in result.output
    assert "- 删除 jx-2022-zxbfx" in result.output
    assert "县（市、区）" not in result.output  # unchanged resources stay out of the summary


def test_diff_without_changes(repo: Path):
    result = CliRunner().invoke(cli, ["diff", "--data", str(repo / "data")])
    assert result.exit_code == 0 and "数据没有变化" in result.output


def test_diff_unknown_ref_is_a_clear_error(repo: Path):
    result = CliRunner().invoke(cli, ["diff", "--data", str(repo / "data"), "--base", "no-such-branch"])
    assert result.exit_code == 1
    assert "无法读取 git 版本 no-such-branch" in result.output
    assert "Traceback" not in result.output
