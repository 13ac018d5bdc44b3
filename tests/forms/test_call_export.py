"""The admin's “导出立项项目（YAML）”: from a real app database to data/call_projects.yaml that
validates clean and builds into the site with a page per 立项 project (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import secrets
import subprocess
import sys
from pathlib import Path

import yaml
from click.testing import CliRunner

from site_builder.cli import cli

ROOT = Path(__file__).resolve().parents[2]
CALL = "ha-2024-chucai-3"
HOSTILE = '项目: "引号" #注释 & </title><script>alert(1)</script>\n第二行\u200b\ufffe'


def add_application(app, **fields) -> int:
    """Store an application with `fields`; any other required column gets a throwaway value.

    Only the fields the export reads are set on purpose, so the test does not depend on the rest
    of the application model, which the 申报 workflow owns.
    """
    from forms_app.database import db
    from forms_app.models import Application

    with app.app_context():
        values = {}
        for column in Application.__table__.columns:
            if column.primary_key or column.nullable or column.default is not None or column.server_default is not None:
                continue
            values[column.name] = _throwaway(column)
        values.update(fields)
        application = Application(**values)
        db.session.add(application)
        db.session.commit()
        return application.id


def _throwaway(column):
    try:
        kind = column.type.python_type
    except NotImplementedError:
        kind = str
    samples = {int: 1, bool: False, dt.date: dt.date(2024, 4, 20), dt.datetime: dt.datetime(2024, 4, 20, 8), dict: {}, list: []}
    return samples.get(kind, secrets.token_hex(8))


def approved(app, name: str, leader: str, unit: str, direction: str = f"{CALL}-1", status: str = "立项", call: str = CALL) -> int:
    return add_application(
        app,
        call_id=call,
        direction_id=direction,
        status=status,
        project_name=name,
        leader_name=leader,
        leader_title="局长",
        unit=unit,
        leader_phone="13812345678",
        leader_email=f"{secrets.token_hex(4)}@example.com",
    )


def export(app) -> tuple[str, str]:
    from form_inputs import Client

    staff = Client(app)
    staff.login()
    response = staff.get("/admin/export/approved.yaml")
    assert response.status_code == 200
    return response.get_data(as_text=True), response.headers["Content-Disposition"]


def validate_cli(data: Path):
    result = CliRunner().invoke(cli, ["validate", "--data", str(data)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_export_validates_and_builds_into_the_site(make_app, project):
    data = project / "data"
    app = make_app(DATA_DIR=str(data))
    first = approved(app, "县域教师智能研修体系建设", "王建国", "某丙县教育局")
    hostile = approved(app, HOSTILE, "欧阳\u200b明月", " 某某师范学院 ", direction=f"{CALL}-4")
    approved(app, "只受理未立项的项目", "孙八", "某丁县教育局", status="受理")
    approved(app, "别的申报通知的项目", "周九", "某戊县教育局", call="ha-2099-other")

    text, disposition = export(app)
    assert "filename=call_projects.yaml" in disposition
    assert text == export(app)[0], "the same database exports the same file"
    assert "13812345678" not in text and "@example.com" not in text
    records = yaml.safe_load(text)
    assert [r["id"] for r in records] == [f"{CALL}-{first:05d}", f"{CALL}-{hostile:05d}"]
    assert records[0] == {
        "id": f"{CALL}-{first:05d}",
        "call": CALL,
        "direction": f"{CALL}-1",
        "name": "县域教师智能研修体系建设",
        "leader": "王建国",
        "leader_title": "局长",
        "unit": "某丙县教育局",
        "funding": 30,
        "due": dt.date(2025, 12, 31),
        "state": "在研",
    }
    assert records[1]["name"] == '项目: "引号" #注释 & </title><script>alert(1)</script> 第二行'
    assert (records[1]["leader"], records[1]["unit"], records[1]["funding"]) == ("欧阳明月", "某某师范学院", 10)

    (data / "call_projects.yaml").write_text(text, encoding="utf-8")
    calls = data / "calls.yaml"
    calls.write_text(calls.read_text(encoding="utf-8") + "  publicity_start: 2024-06-03\n  publicity_end: 2024-06-09\n", encoding="utf-8")
    result = validate_cli(data)
    assert result.exit_code == 0, result.output
    # Only the reminder that 结项时间 has passed may concern the file (from 2026 on).
    assert not [line for line in result.output.splitlines() if "call_projects.yaml" in line and "仍为“在研”" not in line], result.output

    out = project / "out"
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    page = (out / "calls" / "projects" / f"{CALL}-{hostile:05d}" / "index.html").read_text(encoding="utf-8")
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert '<title>项目: "引号" #注释 ＆ ＜/title＞＜script＞alert(1)＜/script＞ 第二行 - ' in page
    assert "欧阳明月（局长）" in page and "4. 乡村首席教师工作室建设模式创新" in page
    listing = (out / "calls" / CALL / "index.html").read_text(encoding="utf-8")
    assert "立项名单（2 项）" in listing and f"calls/projects/{CALL}-{first:05d}/" in listing
    assert "公示期：2024-06-03 至 2024-06-09" in listing
    assert "13812345678" not in listing


def test_export_keeps_what_the_data_says_and_adds_new_approvals(make_app, project):
    data = project / "data"
    app = make_app(DATA_DIR=str(data))
    first = approved(app, "县域教师智能研修体系建设", "王建国", "某丙县教育局")
    text, _ = export(app)
    # Staff record the 结项 in the data, and a further application is approved later.
    finished = text.replace("  state: 在研\n", "  state: 已结项\n  finished: 2025-11-30\n  note: 2025 年 11 月通过结项评审。\n")
    (data / "call_projects.yaml").write_text(finished, encoding="utf-8")
    later = approved(make_app(DATA_DIR=str(data)), "乡村首席教师工作室建设", "李四", "某庚县教育局", direction=f"{CALL}-4")

    records = yaml.safe_load(export(make_app(DATA_DIR=str(data)))[0])
    assert [r["id"] for r in records] == [f"{CALL}-{first:05d}", f"{CALL}-{later:05d}"]
    assert (records[0]["state"], records[0]["finished"], records[0]["note"]) == (
        "已结项",
        dt.date(2025, 11, 30),
        "2025 年 11 月通过结项评审。",
    )
    assert records[1]["state"] == "在研"


def test_nothing_approved_exports_an_empty_valid_file(make_app, project):
    data = project / "data"
    text, _ = export(make_app(DATA_DIR=str(data)))
    assert text.startswith("# 出彩项目立项名单") and yaml.safe_load(text) == []
    (data / "call_projects.yaml").write_text(text, encoding="utf-8")
    assert validate_cli(data).exit_code == 0
