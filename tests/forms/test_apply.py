"""出彩申报 through HTTP: every field's bad input, the call's rules, re-show, receipt and the .docx."""

from __future__ import annotations

import re

import pytest
from form_inputs import ELF, PDF, application_form, upload

from forms_app.models import Application, Attachment


def errors_of(response) -> list[str]:
    return re.findall(r'<p class="error" id="([^"]+)-error">', response.get_data(as_text=True))


def submit(client, **overrides):
    return client.post("/apply/", application_form(**overrides))


def test_valid_submission_waits_for_its_mail_then_gets_a_receipt(client, app):
    response = submit(client, pdf_file=upload(PDF, "盖章.pdf"))
    assert response.status_code == 303, errors_of(response)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "待确认" in page and "receipt-no" not in page  # not counted until the mailbox confirms
    confirmed = client.confirm("wang@example.edu.cn")
    assert confirmed.status_code == 303
    page = client.get(confirmed.headers["Location"]).get_data(as_text=True)
    assert re.search(r'class="receipt-no">([^<]+)<', page).group(1) == "CC2024-00001"
    with app.app_context():
        stored = Application.query.one()
        assert stored.status == "已提交" and stored.leader_phone == "138 0371 0001" and len(stored.participants) == 2
        assert stored.current("pdf").original_name == "盖章.pdf" and stored.level == "高校"


BAD_FIELDS = [
    ("project_name", "", "请填写项目名称"),
    ("project_name", "名" * 101, "不能超过 100 个字符"),
    ("direction_id", "", "请选择申报方向"),
    ("direction_id", "ha-2024-chucai-3-9", "不在本次申报指南中"),
    ("leader_name", "", "请填写负责人姓名"),
    ("leader_name", "王\x00五", "控制字符"),
    ("leader_role", "", "请选择负责人身份"),
    ("leader_role", "中学校长", "项目负责人须为"),
    ("leader_title", "", "请填写职称职务"),
    ("leader_phone", "12345", "联系电话格式不正确"),
    ("leader_phone", "138-0371-000a", "联系电话格式不正确"),
    ("leader_email", "not-an-email", "电子邮箱格式不正确"),
    ("leader_email", "", "请填写电子邮箱"),
    ("unit", "", "请填写单位"),
    ("completion_date", "", "请填写项目完成时间"),
    ("completion_date", "2025-02-30", "不是有效日期"),
    ("completion_date", "2026-01-01", "不得晚于该方向的结项时间"),
    ("completion_date", "2020-01-01", "不能早于申报开始日期"),
    ("goals", "", "请填写项目拟完成目标"),
    ("goals", "目" * 501, "500 字以内"),
    ("key_work", "", "请选择是否列入单位重点工作"),
    ("key_work", "也许", "请选择是否列入单位重点工作"),
    ("basis", "", "请填写实施基础和条件保障"),
    ("plan", "", "请填写项目建设方案"),
    ("plan", "方" * 30001, "不能超过 30000 个字符"),
    ("unit_opinion", "意" * 2001, "不能超过 2000 个字符"),
    ("p-0-gender", "未知", "性别请选择"),
    ("p-0-birth", "1982/03", "出生年月请按 年-月 填写"),
    ("p-0-birth", "1900-01", "出生年月请按 年-月 填写"),
    ("p-1-workplace", "", "请填写工作单位"),
    ("s-0-work", "", "请填写工作内容"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_FIELDS)
def test_bad_field_is_refused_beside_the_field_with_input_kept(client, app, field, value, message):
    response = submit(client, **{field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert field in errors_of(response) or field.split("-")[0] in errors_of(response)
    assert "县域教师智能研修体系建设" in page or field == "project_name"  # the rest of the input comes back
    with app.app_context():
        assert Application.query.count() == 0


def test_goals_counted_without_white_space(client):
    assert submit(client, goals="目" * 500 + "\n \n").status_code == 303


def test_no_participant_and_no_schedule_rows(client):
    blank = {f"p-{i}-{k}": "" for i in range(3) for k in ("name", "gender", "birth", "title", "expertise", "workplace")}
    blank.update({f"s-{i}-{k}": "" for i in range(2) for k in ("period", "work")})
    response = submit(client, **blank)
    assert {"p", "s"} <= set(errors_of(response))
    assert "请至少填写一行项目参与人" in response.get_data(as_text=True)


def test_add_and_remove_rows_without_javascript(client):
    page = submit(client, add_p="1").get_data(as_text=True)
    assert 'name="p-3-name"' in page and "李华" in page and 'class="error"' not in page
    page = submit(client, remove_p="0").get_data(as_text=True)
    assert 'name="p-0-name" value="赵强"' in page and "李华" not in page
    page = submit(client, add_s="1").get_data(as_text=True)
    assert 'name="s-2-period"' in page


@pytest.mark.parametrize("again_as", ["WANG@example.edu.cn ", "ｗａｎｇ＠ｅｘａｍｐｌｅ．ｅｄｕ．ｃｎ", "wang\u200b@example.edu.cn"])
def test_one_project_per_confirmed_mailbox_and_the_page_reveals_nothing(client, app, again_as):
    client.apply()
    again = submit(client, project_name="另一个项目", leader_phone="13900000000", leader_email=again_as)
    assert again.status_code == 303  # the page says nothing about whether this address has applied …
    refused = client.confirm(again_as)  # … the mailbox hears it, when its owner tries to confirm
    assert refused.status_code == 409 and "每人限报 1 个项目" in refused.get_data(as_text=True)
    with app.app_context():
        assert [a.status for a in Application.query.order_by(Application.id)] == ["已提交", "待确认"]


def test_nobody_blocks_a_leader_by_typing_the_leaders_address(client, app):
    squat = submit(client, leader_name="冒名者", leader_email="wang@example.edu.cn")
    assert squat.status_code == 303  # stored, unconfirmed: it counts for nothing
    client.apply(project_name="真正的申报")  # the real leader confirms from the mailbox
    colleague = client.apply(leader_email="colleague@example.com", leader_name="刘洋")  # same office phone, other person
    assert colleague
    with app.app_context():
        assert sorted(a.status for a in Application.query) == ["已提交", "已提交", "待确认"]


def test_closed_after_deadline_and_before_opening(make_app):
    from form_inputs import Client

    for day, text in (("2024-05-01", "已于 2024年04月30日 24 时截止"), ("2024-04-01", "尚未开始")):
        import datetime as dt

        app = make_app(CLOCK=lambda d=day: dt.date.fromisoformat(d))
        client = Client(app)
        page = client.get("/apply/")
        assert page.status_code == 403 and text in page.get_data(as_text=True)
        assert "演示模式" not in page.get_data(as_text=True)
        token = Client(make_app(CLOCK=lambda: dt.date(2024, 4, 20))).token()
        assert client.http.post("/apply/", data={**application_form(), "csrf_token": token}).status_code in (400, 403)


def test_deadline_day_itself_is_open(make_app):
    import datetime as dt

    from form_inputs import Client

    assert Client(make_app(CLOCK=lambda: dt.date(2024, 4, 30))).get("/apply/").status_code == 200


def test_demo_mode_lifts_deadline_and_shows_banner(make_app):
    import datetime as dt

    from form_inputs import Client

    app = make_app(CLOCK=lambda: dt.date(2030, 1, 1), DEMO_MODE=True)
    assert app.config["DEMO_MODE"] is False  # no setting turns it on …
    app.config["DEMO_MODE"] = True  # … only `python -m forms_app`, after making the app
    client = Client(app)
    page = client.get("/apply/")
    assert page.status_code == 200 and "演示模式" in page.get_data(as_text=True)
    assert "演示模式" in client.get("/briefings/").get_data(as_text=True)
    assert submit(client).status_code == 303


def test_production_app_is_not_in_demo_mode(app):
    assert app.config["DEMO_MODE"] is False


def test_hostile_strings_stored_as_typed_and_shown_escaped(client, app):
    hostile = "<script>alert('x')</script>'; DROP TABLE applications; -- \u202e\u200b𠀀😀"
    long_text = "长" * 10000
    location = client.apply(project_name=hostile[:100], plan=long_text + hostile, leader_name="<b>王</b>")
    page = client.get(location).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;王&lt;/b&gt;" in page
    with app.app_context():
        stored = Application.query.one()
        assert stored.project_name == hostile[:100] and stored.plan == long_text + hostile
    client.login()
    admin_page = client.get("/admin/applications/1").get_data(as_text=True)
    assert "<script>alert" not in admin_page and "&lt;script&gt;" in admin_page


def test_receipt_link_replaces_pdf_and_keeps_the_old_one(client, app):
    location = client.apply(pdf_file=upload(PDF, "第一版.pdf"))
    bad = client.post(location + "/pdf", {"pdf_file": upload(ELF, "新版.pdf")}, token_from=location)
    assert bad.status_code == 303 and bad.headers["Location"].endswith(location)  # back to a bookmarkable page
    assert "不是PDF 文件" in client.get(location).get_data(as_text=True)
    ok = client.post(location + "/pdf", {"pdf_file": upload(PDF + b"v2", "第二版.pdf")}, token_from=location)
    assert ok.status_code == 303
    page = client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "第二版.pdf" in page and "盖章 PDF 已更新" in page
    with app.app_context():
        files = Attachment.query.order_by(Attachment.id).all()
        assert [f.original_name for f in files] == ["第一版.pdf", "第二版.pdf"] and files[0].replaced_at is not None


def test_pdf_cannot_be_replaced_after_deadline(make_app, tmp_path):
    import datetime as dt

    from form_inputs import Client

    client = Client(make_app())
    location = client.apply()
    late = Client(make_app(CLOCK=lambda: dt.date(2024, 5, 1)))
    late.http = client.http  # same browser session, later day
    late.http.application.config["CLOCK"] = lambda: dt.date(2024, 5, 1)
    assert "申报已截止" in late.get(location).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/briefings/").get_data(as_text=True)).group(1)
    response = late.http.post(location + "/pdf", data={"csrf_token": token, "pdf_file": upload(PDF, "x.pdf")})
    assert response.status_code == 303 and "材料不能再更换" in late.get(location).get_data(as_text=True)
    with late.http.application.app_context():
        assert Attachment.query.count() == 0


def test_unknown_receipt_token_is_404(client):
    assert client.get("/apply/r/not-a-real-token").status_code == 404
    assert client.get("/apply/r/not-a-real-token/shenbaoshu.docx").status_code == 404


def test_an_expired_token_brings_the_form_back_whole_with_its_files(app):
    """Hours of writing, then the security token has expired: nothing typed or chosen is lost."""
    from form_inputs import PDF, Client, application_form, upload

    client = Client(app)
    client.get("/apply/")
    with client.http.session_transaction() as session:
        session.clear()  # what an expired session looks like to the server
    form = application_form(project_name="写了三个小时的项目", goals="目标" * 100, pdf_file=upload(PDF, "盖章.pdf"), csrf_token="stale")
    response = client.http.post("/apply/", data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "安全令牌已过期" in page
    assert 'value="写了三个小时的项目"' in page and "目标" * 100 in page
    assert "盖章.pdf" in page and 'name="pdf_file_pending"' in page
    # The page carries a fresh token: submitting it again goes through, with the kept file.
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    pending = re.search(r'name="pdf_file_pending" value="([^"]+)"', page).group(1)
    again = application_form(project_name="写了三个小时的项目", csrf_token=token, pdf_file_pending=pending)
    assert client.http.post("/apply/", data=again, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        stored = Application.query.one()
        assert stored.project_name == "写了三个小时的项目" and len(stored.attachments) == 1


def test_the_rate_limit_brings_the_form_back_with_what_was_typed(make_app):
    from form_inputs import Client, application_form

    client = Client(make_app(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="1 per minute"))
    client.post("/apply/", application_form(add_p="1"))  # the one allowed (a no-JS “添加一行”)
    response = client.post("/apply/", application_form(project_name="限流时填写的项目"))
    page = response.get_data(as_text=True)
    assert response.status_code == 429 and "提交过于频繁" in page and 'value="限流时填写的项目"' in page
