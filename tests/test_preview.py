"""The preview: an edit in data/ reaches exactly the pages that show it; bad data shows its problems.

The preview runs as staff run it (`python -m site_builder.preview`) on a copy of the minimal
dataset and is read over HTTP; waits are bounded polls of its update counter, never timings.
"""

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).parent / "fixtures" / "minimal"
INJECTED = re.compile(r'<div class="gp-preview".*?</div>|<script>\(function\(\)\{var g=.*?</script>', re.DOTALL)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The site's code, theme and pages with the minimal dataset and its notices."""
    for name in ("content", "overrides", "site_builder"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    shutil.rmtree(tmp_path / "content" / "notices")
    shutil.copytree(FIXTURE / "content" / "notices", tmp_path / "content" / "notices")
    shutil.copytree(FIXTURE / "data", tmp_path / "data")
    shutil.copy(ROOT / "data" / "datapackage.yaml", tmp_path / "data")
    return tmp_path


def commit(project: Path) -> None:
    """Make the copy a git checkout, as staff have it: pages date records by `git blame`."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(project), "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for command in (["init", "-q"], ["add", "data"], ["commit", "-q", "-m", "data"]):
        subprocess.run(["git", *command], cwd=project, env=env, check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, project: Path, *args: str):
        self.project, self.port, self.site = project, _free_port(), project / "preview-site"
        env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
        command = [sys.executable, "-m", "site_builder.preview", "--port", str(self.port), "--site-dir", str(self.site), *args]
        self.process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def page(self, path: str) -> str:
        return INJECTED.sub("", self.get(path)[1])

    def generation(self) -> int:
        for _ in range(600):  # the first build: bounded polling, not a timing
            try:
                return json.loads(self.get("/__preview__/state")[1])["generation"]
            except OSError:
                assert self.process.poll() is None, self.process.stdout.read()
                time.sleep(0.2)
        raise AssertionError("preview did not start")

    def edit(self, name: str, old: str, new: str) -> None:
        """Change data/<name> (or another file under the project) and wait until the preview has applied it."""
        before = self.generation()
        path = self.project / ("data" if "/" not in name else "") / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text changed: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        for _ in range(600):
            if self.generation() > before:
                return
            time.sleep(0.1)
        raise AssertionError("preview did not pick up the edit")

    def stop(self) -> str:
        self.process.terminate()
        out, _ = self.process.communicate(timeout=30)
        return out


@pytest.fixture
def server(project: Path):
    commit(project)
    running = Server(project)
    running.generation()
    yield running
    running.stop()


def _html_files(site: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(site)): (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*.html")}


def test_edit_renders_the_pages_showing_the_record_and_leaves_others_untouched(server: Server):
    assert "600" in server.page("/projects/jx2022-002/")
    before = _html_files(server.site)
    server.edit("projects.yaml", "  participants: 600\n", "  participants: 654\n")
    for path in ("/projects/jx2022-002/", "/projects/36/", "/institutions/"):
        assert "654" in server.page(path), path
    after = _html_files(server.site)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "projects/jx2022-002/index.html" in changed
    # Pages that cannot show the project are neither rewritten nor different.
    for untouched in ("projects/jx2022-001/index.html", "counties/411523/index.html", "counties/360827/index.html"):
        assert after[untouched] == before[untouched], untouched
    assert len(changed) < len(after) / 3, sorted(changed)


def test_removed_and_renamed_records_lose_their_old_page(server: Server):
    assert server.get("/projects/jx2022-003/")[0] == 200
    server.edit("projects.yaml", "- id: jx2022-003\n", "- id: jx2022-009\n")
    status, body = server.get("/projects/jx2022-003/")
    assert status == 404 and "删除或改了编号" in body
    assert server.get("/projects/jx2022-009/")[0] == 200
    catalogue = server.page("/projects/36/")
    assert "jx2022-009" in catalogue and "jx2022-003" not in catalogue
    assert not (server.site / "projects" / "jx2022-003").exists()


def test_invalid_edit_shows_the_validators_problems_until_fixed(server: Server):
    server.edit("projects.yaml", "  counties: [乐平市, 南康区]\n", "  counties: [乐平市, 南康县]\n")
    for path in ("/projects/jx2022-002/", "/", "/counties/"):
        body = server.page(path)
        assert "数据校验未通过" in body and "data/projects.yaml:" in body and "南康县" in body, path
        assert "Traceback" not in body
    server.edit("projects.yaml", "  counties: [乐平市, 南康县]\n", "  counties: [乐平市, 南康区]\n")
    body = server.page("/projects/jx2022-002/")
    assert "数据校验未通过" not in body and "南康区" in body


def test_syntax_error_points_at_its_line_and_the_next_save_recovers(server: Server):
    server.edit("institutions.yaml", "- name: 江西师范大学\n", '- name: "江西师范大学\n')
    body = server.page("/institutions/")
    assert "数据校验未通过" in body and "data/institutions.yaml:1" in body
    server.edit("institutions.yaml", '- name: "江西师范大学\n', "- name: 江西师范大学\n")
    assert "江西师范大学" in server.page("/institutions/")


def test_an_edited_notice_is_rendered_again_with_its_data(server: Server):
    path = server.project / "content" / "notices" / "jx-2022-14.md"
    line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith(("#", "<", "-", "|")))
    server.edit("content/notices/jx-2022-14.md", line, line + "预览改动标记")
    body = server.page("/notices/jx-2022-14/")
    assert "预览改动标记" in body
    assert "<dt>文号</dt>" in body, "the facts box from the document record is still there"


def test_every_page_says_it_is_a_preview_and_search_is_not_rebuilt(server: Server):
    status, body = server.get("/")
    assert status == 200 and "预览" in body and "站内搜索与数据下载未随修改更新" in body


def test_province_preview_builds_only_that_province(project: Path):
    running = Server(project, "--province", "江西省")
    try:
        running.generation()
        assert running.get("/projects/36/")[0] == 200
        assert running.get("/counties/360827/")[0] == 200
        assert running.get("/counties/411523/")[0] == 404
        assert "（仅江西省）" in running.get("/")[1]
    finally:
        running.stop()


def test_unknown_province_is_refused_in_chinese(project: Path):
    running = Server(project, "--province", "火星省")
    out, _ = running.process.communicate(timeout=300)
    assert running.process.returncode == 1
    assert "数据中没有省份 “火星省”" in out and "江西省" in out and "Traceback" not in out


EDITS = [  # (file, old, new): one after another, each leaving the data valid
    ("projects.yaml", "  participants: 600\n", "  participants: 654\n"),
    ("county_lists.yaml", "  counties: [南昌市经济技术开发区, 遂川县]\n", "  counties: [乐平市, 遂川县]\n"),
    ("institutions.yaml", "  kind: 师范院校\n", "  kind: 师范院校\n  note: 预览测试说明\n"),
    ("documents.yaml", "“国培计划（2022）”的通知\n", "“国培计划（2022）”的通知（修订）\n"),
    ("counties.yaml", '  code: "360827"\n', '  code: "360827"\n  note: 预览测试\n'),
    ("projects.yaml", "- id: jx2022-003\n", "- id: jx2022-010\n"),
    ("projects.yaml", "  participants: 360\n  scope: 全省\n", "  participants: 360\n  scope: 项目县\n"),
]


def _pages(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("index.html")} | {
        str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in (site / "counties" / "rows").glob("*.html")
    }


@pytest.mark.parametrize("in_git", [True, False], ids=["git checkout", "plain folder"])
def test_after_edits_every_page_is_what_a_full_build_writes(project: Path, in_git: bool):
    """The incremental path is checked against the source of truth: a fresh `mkdocs build`."""
    from site_builder.preview import Preview

    if in_git:
        commit(project)
    preview = Preview(project / "mkdocs.yml", project / "preview-site")
    preview.build()
    for name, old, new in EDITS:
        path = project / "data" / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"fixture text changed: {old!r}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        update = preview.update()
        assert preview.valid, [p.text() for p in preview.problems]
        assert not update.full and update.rendered, name
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(project / "fresh")], cwd=project, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    previewed, fresh = _pages(project / "preview-site"), _pages(project / "fresh")
    assert previewed.keys() == fresh.keys()
    assert [name for name in fresh if previewed[name] != fresh[name]] == []


def _records(dataset) -> dict:
    return {name: [(dict(r), r.line, r.lines) for r in rs] for name, rs in dataset.records.items()}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  participants: 600\n", "  participants: 601\n  note: 多一行\n"),  # later records move down
        ("  offline_days: 10\n", ""),  # and up
        ("- id: jx2022-001\n", "# 注释\n\n- id: jx2022-001\n"),  # before the first record
        ("- id: jx2022-003\n", "- id: jx2022-002\n"),  # a duplicate id
    ],
)
def test_reading_only_changed_records_gives_what_a_full_load_gives(minimal_data: Path, old: str, new: str):
    from site_builder.dataset import load_dataset
    from site_builder.preview.chunks import DataFiles

    files = DataFiles(load_dataset(minimal_data)[0])
    path = minimal_data / "projects.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    reloaded, problems = files.reload()
    assert problems == [] and files.parsed <= 1
    assert _records(reloaded) == _records(load_dataset(minimal_data)[0])


def test_a_syntax_error_is_read_whole_and_reported_as_the_validator_does(minimal_data: Path):
    from site_builder.dataset import load_dataset
    from site_builder.preview.chunks import DataFiles

    files = DataFiles(load_dataset(minimal_data)[0])
    path = minimal_data / "projects.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  participants: 600\n", "  participants: [600\n", 1), encoding="utf-8")
    _, problems = files.reload()
    assert [p.text() for p in problems] == [p.text() for p in load_dataset(minimal_data)[1]] != []


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("projects.yaml", "- id: jx2022-003\n", "- id: jx2022-002\n", "编号（主键）必须唯一"),
        ("documents.yaml", "- id: jx-2022-14\n", "- id: jx-2022-99\n", "不在 documents"),
        ("counties.yaml", '  code: "360827"\n', '  code: "360703"\n', "重复"),
        ("projects.yaml", "  participants: 600\n", "  participants: 很多\n", "类型不对"),
    ],
)
def test_quick_checks_leave_key_problems_to_the_full_checks(minimal_data: Path, name, old, new, message):
    from site_builder.dataset import load_dataset
    from site_builder.preview.affected import touched_records
    from site_builder.preview.checks import full_checks, quick_checks

    before = load_dataset(minimal_data)[0]
    path = minimal_data / name
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    after, load_problems = load_dataset(minimal_data)
    assert quick_checks(after, touched_records(before, after)) is None
    assert any(message in p.text() for p in full_checks(after, load_problems))
