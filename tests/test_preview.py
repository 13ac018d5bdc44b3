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
        """Change data/<name> and wait until the preview has applied it."""
        before = self.generation()
        path = self.project / "data" / name
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


def test_every_page_says_it_is_a_preview_and_search_is_not_rebuilt(server: Server):
    status, body = server.get("/")
    assert status == 200 and "预览" in body and "搜索索引与数据下载停留在预览启动时" in body


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
