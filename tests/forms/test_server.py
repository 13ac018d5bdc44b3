"""The app under gunicorn: a production start, and 200 concurrent submissions with nothing lost."""

from __future__ import annotations

import re
import signal
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from form_inputs import PDF, application_form
from servers import free_port, gunicorn, running, server_env

SUBMISSIONS = 200


@pytest.fixture
def server(tmp_path, open_data_dir, db_url):
    port = free_port()
    env = server_env(tmp_path, open_data_dir, db_url, FORMS_RATELIMIT_ENABLED="false")
    with running(gunicorn(port), env, port) as proc:
        yield f"http://127.0.0.1:{port}", proc, tmp_path / "instance", db_url


def submit_one(base: str, i: int) -> int:
    with requests.Session() as http:
        page = http.get(base + "/apply/", timeout=60).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = application_form(
            leader_email=f"leader{i}@example.com", leader_phone=f"139{i:08d}", project_name=f"并发项目 {i}", csrf_token=token
        )
        files = {"pdf_file": (f"盖章{i}.pdf", PDF + str(i).encode(), "application/pdf")}
        return http.post(base + "/apply/", data=form, files=files, allow_redirects=False, timeout=60).status_code


def count_rows(db_url: str, table: str) -> int:
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
    finally:
        engine.dispose()


def test_200_concurrent_submissions_lose_nothing(server):
    base, _proc, instance, db_url = server
    with ThreadPoolExecutor(max_workers=50) as pool:
        codes = list(pool.map(lambda i: submit_one(base, i), range(SUBMISSIONS)))
    assert codes == [303] * SUBMISSIONS
    assert count_rows(db_url, "applications") == SUBMISSIONS
    assert count_rows(db_url, "attachments") == SUBMISSIONS
    assert len(list((instance / "uploads" / "files").iterdir())) == SUBMISSIONS
    assert list((instance / "uploads" / "pending").iterdir()) == []


def test_production_start_submit_stop(tmp_path, open_data_dir):
    """gunicorn with no DATABASE_URL: SQLite and uploads in the instance folder, made on first start."""
    port, instance = free_port(), tmp_path / "instance"
    with running(gunicorn(port), server_env(tmp_path, open_data_dir, ""), port) as proc:
        base = f"http://127.0.0.1:{port}"
        check_production(base, proc, instance)
    assert count_rows(f"sqlite:///{instance / 'forms.sqlite3'}", "applications") == 1
    assert len(list((instance / "uploads" / "files").iterdir())) == 1


def check_production(base, proc, instance):
    page = requests.get(base + "/apply/", timeout=30)
    assert page.status_code == 200 and "演示模式" not in page.text
    assert submit_one(base, 1) == 303
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert requests.get(base + "/", timeout=30).text.startswith("<!doctype html>")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def test_production_start_refuses_bad_data(tmp_path, data_dir):
    import shutil
    import subprocess

    broken = tmp_path / "broken"
    shutil.copytree(data_dir, broken)
    (broken / "calls.yaml").write_text("- id: ha-2024-chucai-3\n  title: [unclosed\n", encoding="utf-8")
    env = server_env(tmp_path, broken, "")
    result = subprocess.run([*gunicorn(free_port(), 1)], env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])
    assert result.returncode != 0 and "数据校验未通过" in result.stdout + result.stderr
