"""Staff area: login for every route, timeout, lists, status trail, exports, YAML, CLI (the 简报 board: test_compliance.py)."""

from __future__ import annotations

import csv
import io
import re

import pytest
import yaml
from form_inputs import PDF, PNG, Client, application_form, upload
from openpyxl import load_workbook
from units import signed_in_unit

from forms_app.models import Application, StatusChange


def test_every_admin_route_requires_login(app, client):
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/admin") and r.endpoint != "admin.login"]
    assert len(rules) >= 12
    for rule in rules:
        path = re.sub(
            r"<(?:int:)?(\w+)>",
            lambda m: "1" if "int" in m.group(0) else {"kind": "applications", "fmt": "csv"}.get(m.group(1), "x"),
            rule.rule,
        )
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            data = {"csrf_token": client.token("/admin/login")} if method == "POST" else None
            response = client.http.open(path, method=method, data=data)
            assert response.status_code == 302 and "/admin/login" in response.headers["Location"], (method, path)


def test_login_wrong_password_and_logout(client):
    client.login()
    client.post("/admin/logout", token_from="/admin/applications")
    assert client.get("/admin/applications").status_code == 302
    bad = client.post("/admin/login", {"username": "staff", "password": "wrong"})
    assert bad.status_code == 401 and "用户名或密码不正确" in bad.get_data(as_text=True)
    assert client.post("/admin/login", {"username": "nobody", "password": "x"}).status_code == 401


def test_logout_ends_every_copy_of_the_session(app, client):
    """A cookie captured before logout (another browser, a stolen copy) no longer opens the admin."""
    client.login()
    copy = Client(app)
    copy.http.set_cookie("session", client.http.get_cookie("session").value)
    assert copy.get("/admin/applications").status_code == 200
    client.post("/admin/logout", token_from="/admin/applications")
    assert copy.get("/admin/applications").status_code == 302
    client.login()  # a new login works, and its session is the current one
    assert client.get("/admin/applications").status_code == 200


def test_password_reset_ends_existing_sessions(app, client):
    client.login()
    assert client.get("/admin/applications").status_code == 200
    result = app.test_cli_runner().invoke(args=["create-staff", "staff", "--password", "a-new-long-password", "--reset"])
    assert result.exit_code == 0, result.output
    assert client.get("/admin/applications").status_code == 302


def test_staff_session_has_an_absolute_lifetime(client):
    client.login()
    with client.http.session_transaction() as session:
        session["since"] -= 8 * 3600 + 60
    assert client.get("/admin/applications").status_code == 302


def test_idle_session_times_out(client):
    client.login()
    assert client.get("/admin/applications").status_code == 200
    with client.http.session_transaction() as session:
        session["seen"] -= 31 * 60
    response = client.get("/admin/applications")
    assert response.status_code == 302
    assert "登录已超时" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_login_next_does_not_redirect_off_site(client):
    client.login()
    client.post("/admin/logout", token_from="/admin/applications")
    token = client.token("/admin/login")
    response = client.http.post(
        "/admin/login?next=//evil.example/", data={"csrf_token": token, "username": "staff", "password": "correct-horse-battery"}
    )
    assert response.headers["Location"] == "/admin/applications"


@pytest.fixture
def filled(client, app):
    client.apply(pdf_file=upload(PDF, "盖章.pdf"))
    client.apply(project_name='=HYPERLINK("x")', leader_email="z@example.com", leader_phone="13900000002", leader_name="张三")
    client.post("/apply/", application_form(project_name="未确认的申报", leader_email="u@example.com"))  # staff never see it
    briefing = {"project_id": "jx2022-001", "issue_no": "1", "title": "开班", "issued_on": "2024-04-01", "file": upload(PNG, "b.png")}
    assert signed_in_unit(app, "江西师范大学").post("/briefings/", briefing, token_from="/briefings/").status_code == 303
    client.login()
    return client


def test_lists_filters_and_search(filled):
    page = filled.get("/admin/applications").get_data(as_text=True)
    assert "CC2024-00001" in page and "CC2024-00002" in page and "未确认的申报" not in page
    assert "CC2024-00002" not in filled.get("/admin/applications?q=王建国").get_data(as_text=True)
    assert "共 0 项" in filled.get("/admin/applications?status=立项").get_data(as_text=True)
    assert "共 2 项" in filled.get("/admin/applications?direction=ha-2024-chucai-3-1&from=2000-01-01&to=2999-01-01").get_data(as_text=True)
    assert "共 0 项" in filled.get("/admin/applications?to=2000-01-01").get_data(as_text=True)
    assert "共 1 份" in filled.get("/admin/briefings?province=江西省&project=jx2022-001").get_data(as_text=True)
    assert "共 0 份" in filled.get("/admin/briefings?q=不存在").get_data(as_text=True)


def test_status_changes_with_audit_trail(filled, app):
    detail = filled.get("/admin/applications/1").get_data(as_text=True)
    assert "盖章.pdf" in detail
    attachment = re.search(r'href="(/admin/attachments/\d+)"', detail).group(1)
    assert filled.get(attachment).data == PDF
    assert filled.get("/admin/applications/1/shenbaoshu.docx").data[:2] == b"PK"
    for status in ("受理", "立项"):
        assert (
            filled.post(
                "/admin/applications/1/status", {"status": status, "note": "材料齐全"}, token_from="/admin/applications/1"
            ).status_code
            == 303
        )
    refused = filled.post("/admin/applications/1/status", {"status": "已提交"}, token_from="/admin/applications/1")
    assert "不能将状态从“立项”改为“已提交”" in filled.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        from forms_app.database import db

        assert db.session.get(Application, 1).status == "立项"
        trail = [(c.old_status, c.new_status, c.staff_username) for c in StatusChange.query.filter_by(application_id=1).order_by(StatusChange.id)]
        assert trail == [("草稿", "待确认", "申报人"), ("待确认", "已提交", "申报人"), ("已提交", "受理", "staff"), ("受理", "立项", "staff")]
    assert "staff：受理 → 立项" in filled.get("/admin/applications/1").get_data(as_text=True)
    exported = yaml.safe_load(filled.get("/admin/export/approved.yaml").data)
    assert len(exported) == 1 and exported[0]["name"] == "县域教师智能研修体系建设" and exported[0]["funding"] == 30


def test_csv_and_excel_exports(filled):
    response = filled.get("/admin/export/applications.csv")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][0] == "受理编号" and len(rows) == 3
    assert any(row[3].startswith("'=HYPERLINK") for row in rows[1:])  # no formula injection
    sheet = load_workbook(io.BytesIO(filled.get("/admin/export/applications.xlsx").data)).active
    assert sheet["A1"].value == "受理编号" and sheet.max_row == 3
    sheet = load_workbook(io.BytesIO(filled.get("/admin/export/briefings.xlsx?province=江西省").data)).active
    assert sheet["B2"].value == "jx2022-001"
    assert filled.get("/admin/export/secrets.csv").status_code == 404


def test_create_staff_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-staff", "管理员", "--password", "long-enough-pw"])
    assert result.exit_code == 0 and "已创建" in result.output
    assert runner.invoke(args=["create-staff", "管理员", "--password", "long-enough-pw"]).exit_code != 0
    assert runner.invoke(args=["create-staff", "x", "--password", "short"]).exit_code != 0
    result = runner.invoke(args=["create-staff", "管理员", "--password", "another-long-pw", "--reset"])
    assert result.exit_code == 0
    client = Client(app)
    assert client.post("/admin/login", {"username": "管理员", "password": "another-long-pw"}).status_code == 303
