"""Fixtures for the forms app: data copies, both databases, an app, a client with CSRF tokens."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import secrets
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"
PG_ADMIN_URL = os.environ.get("FORMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
OPEN_DAY = dt.date(2024, 4, 20)  # inside the fixture call's 2024-04-15 … 2024-04-30
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200


def copy_data(target: Path, open_call: bool = False) -> Path:
    """A copy of the minimal dataset; `open_call` moves the deadline (and due date) far ahead."""
    shutil.copytree(FIXTURE, target)
    shutil.copy(ROOT / "data" / "datapackage.yaml", target / "data")
    if open_call:
        calls = target / "data" / "calls.yaml"
        calls.write_text(calls.read_text(encoding="utf-8").replace("deadline: 2024-04-30", "deadline: 2099-04-30"), encoding="utf-8")
        dirs = target / "data" / "call_directions.yaml"
        dirs.write_text(dirs.read_text(encoding="utf-8").replace("due: 2025-12-31", "due: 2099-12-31"), encoding="utf-8")
    return target / "data"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("data") / "repo")


@pytest.fixture(scope="session")
def open_data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("open") / "repo", open_call=True)


@pytest.fixture(scope="session")
def pg_database():
    """A fresh PostgreSQL database for this test session (per xdist worker), dropped at the end."""
    import psycopg

    name = f"guopei_test_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """Each storage test runs on SQLite (a file per test) and on PostgreSQL (emptied after each test)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'forms.sqlite3'}"
        return
    url = request.getfixturevalue("pg_database")
    yield url
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        tables = [
            r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ]
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")


def make_config(tmp_path: Path, data_dir: Path, db_url: str, **extra) -> dict:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<!doctype html><title>门户</title><h1>国培计划信息门户</h1>", encoding="utf-8")
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATA_DIR": str(data_dir),
        "SITE_DIR": str(site),
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": db_url,
        "CLOCK": lambda: OPEN_DAY,
        "RATELIMIT_ENABLED": False,
    }
    config.update(extra)
    return config


@pytest.fixture
def make_app(tmp_path, data_dir, db_url):
    """Build an app with overrides; engines are disposed at the end."""
    from forms_app import create_app
    from forms_app.database import db

    apps = []

    def build(**extra):
        app = create_app(make_config(tmp_path, data_dir, db_url, **extra))
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


class Client:
    """The Flask test client plus CSRF tokens read from the pages, as a browser would."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def token(self, path: str = "/apply/") -> str:
        page = self.http.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post(self, path, data=None, token_from=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or path))
        return self.http.post(path, data=data, content_type="multipart/form-data", **kw)

    def login(self, username="staff", password="correct-horse-battery"):
        with self.app.app_context():
            from werkzeug.security import generate_password_hash

            from forms_app.database import db
            from forms_app.models import Staff

            if not db.session.scalar(db.select(Staff).where(Staff.username == username)):
                db.session.add(Staff(username=username, password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000")))
                db.session.commit()
        return self.post("/admin/login", {"username": username, "password": password}, token_from="/admin/login")


@pytest.fixture
def client(app) -> Client:
    return Client(app)


def application_form(**overrides) -> dict:
    """A complete, valid 申报书 for the fixture call."""
    form = {
        "project_name": "县域教师智能研修体系建设",
        "direction_id": "ha-2024-chucai-3-1",
        "leader_name": "王建国",
        "leader_role": "高等学校校长",
        "leader_title": "教授、校长",
        "leader_phone": "138 0371 0001",
        "leader_email": "wang@example.edu.cn",
        "unit": "河南师范大学",
        "p-0-name": "李华", "p-0-gender": "女", "p-0-birth": "1982-03", "p-0-title": "副教授", "p-0-expertise": "教师教育", "p-0-workplace": "河南师范大学",
        "p-1-name": "赵强", "p-1-gender": "男", "p-1-birth": "1979-11", "p-1-title": "高级教师", "p-1-expertise": "信息技术", "p-1-workplace": "新乡市第一中学",
        "p-2-name": "", "p-2-gender": "", "p-2-birth": "", "p-2-title": "", "p-2-expertise": "", "p-2-workplace": "",
        "completion_date": "2025-12-31",
        "goals": "建立人工智能支持下的区域教师研修体系。",
        "key_work": "是",
        "basis": "学校已将该项目列入年度重点工作。",
        "plan": "第一阶段调研；第二阶段建设平台；第三阶段推广。",
        "s-0-period": "2024年5月—6月", "s-0-work": "需求调研",
        "s-1-period": "2024年7月—2025年12月", "s-1-work": "平台建设与试点",
        "unit_opinion": "同意申报。",
        "authority_opinion": "",
    }  # fmt: skip
    form.update(overrides)
    return form


def upload(content: bytes, name: str):
    return (io.BytesIO(content), name)


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("申报书 Word 版")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
