"""工作简报 by the right 承训单位 only: upload codes, own projects, refusals, receipts, duplicates."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from form_inputs import ELF, PDF, PNG, Client, upload
from units import JJW, JXNU, dated_data, issue_code, sign_in, signed_in_unit

from forms_app.models import Attachment, Briefing, UnitCode

CSRF = re.compile(r'name="csrf_token" value="[^"]*"')
GOOD = {"project_id": "jx2022-001", "issue_no": "1", "title": "第一期简报", "issued_on": "2024-04-01"}


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """The minimal data, jx2022-001 with a training period (overrides conftest's copy for this module)."""
    return dated_data(tmp_path_factory.mktemp("dated") / "repo")


def send(browser: Client, **overrides):
    data = {**GOOD, "file": upload(PDF, "简报.pdf"), **overrides}
    return browser.post("/briefings/", data, token_from="/briefings/")


def stored(app) -> tuple[int, int, list[Path]]:
    """(简报 rows, attachment rows, files on disk under uploads/) — what a refused request must not add."""
    from forms_app.database import db

    with app.app_context():
        rows = (db.session.query(Briefing).count(), db.session.query(Attachment).count())
    uploads = Path(app.instance_path) / "uploads"
    return (*rows, sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else [])


def test_signed_in_unit_sees_and_files_only_its_own_projects(app):
    jxnu, jjw = signed_in_unit(app, JXNU), signed_in_unit(app, JJW)
    page = jxnu.get("/briefings/").get_data(as_text=True)
    assert JXNU in page and 'value="jx2022-001"' in page
    assert 'value="jx2022-002"' not in page and 'value="jx2022-003"' not in page and "振兴帮扶" not in page
    other = jjw.get("/briefings/").get_data(as_text=True)
    assert 'value="jx2022-002"' in other and 'value="jx2022-001"' not in other
    response = send(jxnu, unit=JJW)  # a forged unit name is not read at all
    assert response.status_code == 303
    receipt = jxnu.get(response.headers["Location"]).get_data(as_text=True)
    assert "JB-000001" in receipt and "第 1 期" in receipt and "不少于 3 期" in receipt
    assert jxnu.get(response.headers["Location"] + "/file").data == PDF
    listed = jxnu.get("/briefings/").get_data(as_text=True)
    assert "本单位已上传的简报（1 份）" in listed and "JB-000001" in listed
    assert "JB-000001" not in jjw.get("/briefings/").get_data(as_text=True)
    with app.app_context():
        from forms_app.database import db

        row = db.session.get(Briefing, 1)
        assert (row.unit, row.institution) == (JXNU, JXNU)


def test_another_units_project_or_receipt_is_refused_and_nothing_stored(app):
    jxnu, jjw = signed_in_unit(app, JXNU), signed_in_unit(app, JJW)
    before = stored(app)
    foreign = send(jxnu, project_id="jx2022-002")  # JJW's project, forged into the form
    unknown = send(jxnu, project_id="jx2099-999")
    unassigned = send(jxnu, project_id="jx2022-003")  # no 承训单位 in the data
    assert {foreign.status_code, unknown.status_code, unassigned.status_code} == {403}
    assert len({CSRF.sub("", r.get_data(as_text=True)) for r in (foreign, unknown, unassigned)}) == 1
    assert "只能为本单位承训的项目上传简报" in foreign.get_data(as_text=True) and JJW not in foreign.get_data(as_text=True)
    assert stored(app) == before
    location = send(jjw, project_id="jx2022-002").headers["Location"]
    for path in (location, location + "/file", "/briefings/sent/999", "/briefings/sent/999/file"):
        assert jxnu.get(path).status_code == 404, path
    assert jxnu.post(location + "/file", {"file": upload(PNG, "x.png")}, token_from="/briefings/").status_code == 404
    assert jjw.get(location + "/file").data == PDF  # untouched


def test_without_a_code_nothing_is_filed(app):
    anonymous = Client(app)
    page = anonymous.get("/briefings/").get_data(as_text=True)
    assert "上传码" in page and 'name="project_id"' not in page and "jx2022-001" not in page
    response = send(anonymous)
    assert response.status_code == 401 and "请先用上传码登录" in response.get_data(as_text=True)
    assert anonymous.get("/briefings/sent/1").status_code == 303
    assert stored(app)[:2] == (0, 0)


def test_wrong_code_is_refused_and_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, UNIT_SIGNIN_RATE_LIMIT="3 per minute")
    code = issue_code(app, JXNU)
    client = Client(app)
    wrong = [client.post("/briefings/signin", {"code": guess}, token_from="/briefings/") for guess in ("AAAA-BBBB-CCCC-DDDD", "x", JXNU)]
    assert [r.status_code for r in wrong] == [401, 401, 401]
    pages = {CSRF.sub("", r.get_data(as_text=True)) for r in wrong}  # the token carries a timestamp
    assert len(pages) == 1 and "上传码不正确" in wrong[0].get_data(as_text=True)
    limited = client.post("/briefings/signin", {"code": code}, token_from="/briefings/")
    assert limited.status_code == 429 and "提交过于频繁" in limited.get_data(as_text=True)
    assert 'name="project_id"' not in client.get("/briefings/").get_data(as_text=True)


def test_code_is_typed_loosely_and_stored_only_as_a_digest(app):
    code = issue_code(app, JXNU)
    unit = sign_in(app, " " + code.replace("-", " ").lower() + " ")
    assert 'value="jx2022-001"' in unit.get("/briefings/").get_data(as_text=True)
    with app.app_context():
        from forms_app.database import db

        row = db.session.query(UnitCode).one()
        assert row.code_hash == hashlib.sha256(code.replace("-", "").encode()).hexdigest()
        assert code not in repr([getattr(row, c.name) for c in UnitCode.__table__.columns])


def test_rotation_and_revocation_end_the_old_code_and_its_sessions(app):
    old = issue_code(app, JXNU)
    unit = sign_in(app, old)
    new = issue_code(app, JXNU)
    assert new != old
    page = unit.get("/briefings/").get_data(as_text=True)
    assert "登录已失效" in page and 'name="project_id"' not in page
    assert send(unit).status_code == 401 and stored(app)[:2] == (0, 0)
    assert Client(app).post("/briefings/signin", {"code": old}, token_from="/briefings/").status_code == 401
    fresh = sign_in(app, new)
    assert app.test_cli_runner().invoke(args=["unit-code", JXNU, "--revoke"]).exit_code == 0
    assert "登录已失效" in fresh.get("/briefings/").get_data(as_text=True)
    assert Client(app).post("/briefings/signin", {"code": new}, token_from="/briefings/").status_code == 401


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("project_id", "", "请从列表中选择项目"),
        ("issue_no", "0", "期数请填写 1 到 99"),
        ("issue_no", "三", "期数请填写 1 到 99"),
        ("title", "", "请填写简报标题"),
        ("title", "标" * 201, "不能超过 200 个字符"),
        ("issued_on", "", "请填写简报日期"),
        ("issued_on", "2024-05-01", "不能晚于今天"),
        ("file", (ELF, "简报.pdf"), "文件内容不是PDF、Word 文档或图片"),
        ("file", (b"", ""), "请选择简报文件"),
    ],
)
def test_bad_input_is_refused_and_kept(app, field, value, message):
    unit = signed_in_unit(app, JXNU)
    value = upload(*value) if isinstance(value, tuple) else value
    response = send(unit, **{field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and message in page
    if field != "title":
        assert 'value="第一期简报"' in page
    if field != "file":
        assert 'name="file_pending"' in page and "已收到文件：简报.pdf" in page  # the file waits, not chosen again
    assert stored(app)[:2] == (0, 0)


def test_duplicate_issue_refused_with_way_to_replace(app):
    unit = signed_in_unit(app, JXNU)
    receipt = send(unit).headers["Location"]
    response = send(unit, title="重复")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "第 1 期简报已于" in page and "JB-000001" in page and 'value="重复"' in page
    replaced = unit.post(receipt + "/file", {"file": upload(PNG, "新.png")}, token_from=receipt)
    assert replaced.status_code == 303 and unit.get(receipt + "/file").data == PNG
    assert unit.post(receipt + "/file", {"file": upload(ELF, "x.png")}, token_from=receipt).status_code == 422
    assert send(unit, issue_no="2").status_code == 303
