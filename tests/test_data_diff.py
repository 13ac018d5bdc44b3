"""`python -m site_builder diff` summarises a change to the data for review.

Each test commits a base and a head revision in a real git repository and compares
them as the pull-request workflow does (`diff --base <base>` run on the head).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from site_builder.cli import cli
from site_builder.diff_markdown import MARKER

NEW_PROJECT = """- id: jx2022-004
  year: 2022
  province: 江西省
  programme: 国培计划
  name: 振兴帮扶县骨干教师培训
  duration: 线下集中7天
  offline_days: 7
  participants: 200
  scope: 振兴帮扶县
  institution: 南昌师范学院
  document: jx-2022-14
"""
OLD_PROJECT = """- id: jx2022-003
  year: 2022
  province: 江西省
  programme: 国培计划
  name: 乡村中小学紧缺薄弱学科骨干教师培训
  duration: 线上50学时
  online_hours: 50
  participants: 1000
  scope: 项目县
  document: jx-2022-14
"""


def git(repo: Path, *args: str) -> str:
    command = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.org", *args]
    return subprocess.run(command, cwd=repo, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repo(minimal_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = minimal_data.parent
    monkeypatch.chdir(root)  # as in the workflow: problems are shown as data/…yaml:line
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "base")
    return root


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def commit_head(repo: Path) -> str:
    """Commit the edits as the head revision; returns the base revision to compare with."""
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-qam", "head")
    return base


def run_diff(repo: Path, base: str = "HEAD") -> str:
    result = CliRunner().invoke(cli, ["diff", "--data", str(repo / "data"), "--base", base])
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


def test_records_fields_and_lists_in_chinese(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "participants: 360", "participants: 400")
    edit(data / "projects.yaml", "counties: [乐平市, 南康区]", "counties: [乐平市, 遂川县]")
    edit(data / "projects.yaml", OLD_PROJECT, NEW_PROJECT)
    edit(data / "institutions.yaml", "- name: 北京继教网", "- name: 南昌师范学院\n  kind: 师范院校\n- name: 北京继教网")
    edit(data / "county_lists.yaml", "  type: 振兴帮扶县\n  count: 1\n", "  type: 振兴帮扶县\n  count: 1\n  note: 第一批\n")
    out = run_diff(repo, commit_head(repo))
    assert out.startswith(MARKER)
    assert "#### 培训项目：新增 1，删除 1，修改 2" in out
    assert "- 新增 jx2022-004 振兴帮扶县骨干教师培训" in out
    assert "- 删除 jx2022-003 乡村中小学紧缺薄弱学科骨干教师培训" in out
    assert "- 修改 jx2022-001 乡村中小学优秀教师高级研修：人数：360 → 400" in out
    assert "- 修改 jx2022-002 振兴帮扶整县推进(2)：县：+遂川县 −南康区" in out
    assert "- 修改 jx-2022-zxbfx：备注：（空） → 第一批" in out
    assert "- 新增 南昌师范学院" in out
    assert "participants" not in out and "counties" not in out  # titles, not keys
    assert "县（市、区）：" not in out  # unchanged resources stay out of the summary


def test_counties_gaining_and_losing_projects_through_names_and_lists(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "counties: [乐平市, 南康区]", "counties: [乐平市, 遂川县]")
    edit(data / "projects.yaml", OLD_PROJECT, NEW_PROJECT)
    edit(data / "institutions.yaml", "- name: 北京继教网", "- name: 南昌师范学院\n  kind: 师范院校\n- name: 北京继教网")
    out = run_diff(repo, commit_head(repo))
    rows = {line.split(" | ")[0]: line for line in out.splitlines() if line.startswith("| 江西省 ")}
    # 南康区: named by jx2022-002 before; on the 振兴帮扶县 list that jx2022-004 now serves.
    assert rows["| 江西省 南康区"] == "| 江西省 南康区 | jx2022-004 振兴帮扶县骨干教师培训 | jx2022-002 振兴帮扶整县推进(2) |"
    # 遂川县: named now; on the 项目县 list whose project jx2022-003 was removed.
    assert rows["| 江西省 遂川县"] == "| 江西省 遂川县 | jx2022-002 振兴帮扶整县推进(2) | jx2022-003 乡村中小学紧缺薄弱学科骨干教师培训 |"
    assert rows["| 江西省 南昌市经济技术开发区"].endswith("| — | jx2022-003 乡村中小学紧缺薄弱学科骨干教师培训 |")
    assert "| 江西省 乐平市" not in rows  # named before and after


def test_a_county_added_to_a_list_gains_the_lists_projects(repo: Path):
    data = repo / "data"
    edit(
        data / "county_lists.yaml",
        "  count: 2\n  counties: [南昌市经济技术开发区, 遂川县]",
        "  count: 3\n  counties: [南昌市经济技术开发区, 遂川县, 乐平市]",
    )
    out = run_diff(repo, commit_head(repo))
    assert "- 修改 jx-2022-xmx：公布数量：2 → 3；名单：+乐平市" in out
    assert "| 江西省 乐平市 | jx2022-003 乡村中小学紧缺薄弱学科骨干教师培训 | — |" in out
    assert "各省各年度的项目数与人数不变。" in out
    assert "没有新出现的校验问题。" in out


def test_totals_institutions_and_province_wide_projects(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "participants: 360", "participants: 400")
    edit(data / "projects.yaml", "  institution: 北京继教网教育科技发展有限公司\n", "  institution: 江西师范大学\n")
    province_wide = NEW_PROJECT.replace("scope: 振兴帮扶县", "scope: 全省").replace("南昌师范学院", "江西师范大学")
    (data / "projects.yaml").write_text((data / "projects.yaml").read_text(encoding="utf-8") + province_wide, encoding="utf-8")
    out = run_diff(repo, commit_head(repo))
    assert "| 江西省 | 2022 | 3 → 4（+1） | 1,960 → 2,200（+240） |" in out
    assert "- 不再承担项目：北京继教网教育科技发展有限公司（原 1 个项目）" in out
    assert "全省项目（覆盖该省每个县）江西省 2022 年：+jx2022-004" in out
    # 乐平市 and 南康区 lose jx2022-002's named coverage only when counties change; here they do not.
    assert "没有县新增或失去点名、名单覆盖的项目。" in out


def test_problems_introduced_and_fixed(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "  offline_days: 10\n", "  offline_days: 12\n")  # now disagrees with 不少于10天
    git(repo, "commit", "-qam", "a problem in the base")
    edit(data / "projects.yaml", "  offline_days: 12\n", "  offline_days: 10\n")
    edit(data / "projects.yaml", "counties: [乐平市, 南康区]", "counties: [乐平市, 南康县]")
    # A record added above the old problems moves their lines: still not “new”.
    edit(
        data / "guidance.yaml",
        "- id: zx-2-1",
        "- id: zx-2-2\n  track: 中西部骨干项目\n  category: 重点区域领域帮扶培训\n  name: 整县推进\n  summary: 要点\n  document: jx-2022-14\n- id: zx-2-1",
    )
    out = run_diff(repo, commit_head(repo))
    assert "**新出现 1 个问题**" in out
    assert "data/projects.yaml:29: 字段 counties: “南康县” 不在 counties 中，是否为 “南康区”？" in out
    assert "已解决原有问题 1 个。" in out


def test_a_file_broken_in_head_is_not_shown_as_every_record_removed(repo: Path):
    data = repo / "data"
    edit(data / "projects.yaml", "  name: 乡村中小学优秀教师高级研修", '  name: "乡村中小学优秀教师高级研修')
    edit(data / "institutions.yaml", "- name: 北京继教网", "- name: 南昌师范学院\n  kind: 师范院校\n- name: 北京继教网")
    out = run_diff(repo, commit_head(repo))
    assert "- 删除" not in out and "#### 培训项目" not in out
    assert "- 新增 南昌师范学院" in out
    assert "**培训项目：文件无法读取，未比较，覆盖的县与合计也未计算**" in out
    assert "#### 项目覆盖的县" not in out and "#### 各省各年度合计" not in out
    assert '- data/projects.yaml:7: YAML 语法错误（第 7 行第 9 列）：双引号“"”未闭合' in out


def test_hostile_values_cannot_break_the_comment(repo: Path):
    data = repo / "data"
    edit(
        data / "projects.yaml",
        "  name: 乡村中小学优秀教师高级研修",
        '  name: "| x | <img src=x> **粗** [链接](u)\\n# 标题"',
    )
    out = run_diff(repo, commit_head(repo))
    [line] = [line for line in out.splitlines() if line.startswith("- 修改 jx2022-001")]
    assert not re.search(r"(?<!\\)[<>|*\[\]#]", line), "every Markdown character is escaped"
    assert "\\<img" in line
    assert "\\| x \\|" in line and "\\*\\*粗\\*\\*" in line and "\\[链接\\]" in line
    assert "⏎\\# 标题" in line  # one line: no heading smuggled in


def test_base_without_a_resource_file(repo: Path):
    data = repo / "data"
    git(repo, "rm", "-q", "data/guidance.yaml")
    git(repo, "commit", "-qm", "no guidance yet")
    git(repo, "checkout", "-q", "HEAD~1", "--", "data/guidance.yaml")
    out = run_diff(repo, commit_head(repo))
    assert "#### 国家指导方案：新增 1，删除 0，修改 0" in out
    assert "- 新增 zx-2-1 “一对一”精准帮扶培训" in out
    assert (data / "guidance.yaml").is_file()


def test_diff_without_changes(repo: Path):
    out = run_diff(repo)
    assert "数据没有变化" in out and out.startswith(MARKER)


def test_diff_unknown_ref_is_a_clear_error(repo: Path):
    result = CliRunner().invoke(cli, ["diff", "--data", str(repo / "data"), "--base", "no-such-branch"])
    assert result.exit_code == 1
    assert "无法读取 git 版本 no-such-branch" in result.output
    assert "Traceback" not in result.output


def test_diff_as_the_workflow_runs_it(repo: Path):
    """A process in the checkout, as in .github/workflows/pull-request.yml (site_builder from the install)."""
    edit(repo / "data" / "projects.yaml", "participants: 360", "participants: 400")
    base = commit_head(repo)
    python = Path(sys.executable)
    result = subprocess.run([python, "-m", "site_builder", "diff", "--base", base], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "人数：360 → 400" in result.stdout and "| 江西省 | 2022 | 3 | 1,960 → 2,000（+40） |" in result.stdout
