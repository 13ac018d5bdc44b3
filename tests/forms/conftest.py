"""Fixtures for the forms app: data copies, both databases, an app, a client with CSRF tokens."""

from __future__ import annotations

import datetime as dt
import io
import os
import secrets
import shutil
from pathlib import Path

import pytest
from form_inputs import Client

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "minimal"
PG_ADMIN_URL = os.environ.get("FORMS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
OPEN_DAY = dt.date(2024, 4, 20)  # inside the fixture call's 2024-04-15 … 2024-04-30


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


@pytest.fixture
def client(app) -> Client:
    return Client(app)


@pytest.fixture(scope="session")
def docx_bytes() -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph("申报书 Word 版")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of everything the site build reads, with the real data/ (for exports built into the site)."""
    target = tmp_path / "project"
    for name in ("data", "content", "overrides", "site_builder"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target)
    return target
