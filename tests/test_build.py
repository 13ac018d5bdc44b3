"""The MkDocs build is the site build: bad data stops it, data edits reach `mkdocs serve`."""

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of everything the build reads, so tests can break the data."""
    for name in ("data", "content", "overrides", "site_builder"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    return tmp_path


def mkdocs(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, capture_output=True, text=True, env=env, timeout=300)


def test_invalid_data_stops_build_with_locations(project: Path):
    path = project / "data" / "projects.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  counties: [东乡区, 遂川县]", "  counties: [东乡县, 遂川县]", 1), encoding="utf-8")
    assert "东乡县" in path.read_text(encoding="utf-8"), "fixture text changed"
    result = mkdocs(project, "build", "--strict", "-d", str(project / "out"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "数据校验未通过" in output
    assert "data/projects.yaml:" in output and "“东乡县” 不在 counties 中，是否为 “东乡区”" in output
    assert "Traceback" not in output
    assert not (project / "out" / "index.html").exists()


def test_build_output_has_every_record_page(project: Path):
    result = mkdocs(project, "build", "--strict", "-d", str(project / "out"))
    assert result.returncode == 0, result.stderr
    out = project / "out"
    projects = [
        line.split(": ", 1)[1]
        for line in (project / "data/projects.yaml").read_text(encoding="utf-8").splitlines()
        if line.startswith("- id: ")
    ]
    missing = [pid for pid in projects if not (out / "projects" / pid / "index.html").is_file()]
    assert not missing
    assert (out / "searchindex" / "manifest.json").is_file()
    assert not (out / "pagefind").exists(), "the site searches with its own index, not Pagefind"
    assert not (out / "search" / "search_index.json").exists(), "Material's lunr index must not be built"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_rebuilds_when_data_changes(project: Path):
    port = _free_port()
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/projects/jx2022-001/"
    try:
        page = _wait_for(lambda: _get(url), lambda body: "360 人" in body)
        assert "360 人" in page
        path = project / "data" / "projects.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  participants: 360\n", "  participants: 361\n", 1), encoding="utf-8")
        page = _wait_for(lambda: _get(url), lambda body: "361 人" in body)
        assert "361 人" in page
    finally:
        server.terminate()
        server.wait(timeout=20)


def _wait_for(fetch, ready, attempts: int = 240):
    """Poll until the server answers with what `ready` accepts (bounded, no sleep-based asserts)."""
    body = ""
    for _ in range(attempts):
        try:
            body = fetch()
            if ready(body):
                return body
        except OSError:
            pass
        time.sleep(0.5)
    return body
