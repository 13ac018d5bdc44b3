"""The 出彩 call from draft to 结项 through HTTP: drafts, 退回 and resubmission, city review within
its quota, races on both databases, 结项 materials and the board."""

from __future__ import annotations

import datetime as dt
import re
import threading
from pathlib import Path

import pytest
from form_inputs import PDF, Client, application_form, upload

from forms_app.models import Application

COUNTY = {"leader_role": "县（市、区）教育局局长", "unit": "淇县教育局"}
HEBI = ["淇县", "浚县", "淇滨区", "山城区", "鹤山区"]  # 鹤壁市's five 县级 divisions: quota ⌊5/2⌋ = 2


def county_application(client, county: str, n: int) -> str:
    return client.apply(**COUNTY, county=county, leader_email=f"leader{n}@example.com", leader_name=f"局长{n}", leader_phone=f"1390000{n:04d}")


def status_of(app, app_id: int) -> str:
    with app.app_context():
        from forms_app.database import db

        return db.session.get(Application, app_id).status


def move(client, app_id: int, status: str, note: str = ""):
    return client.post(f"/admin/applications/{app_id}/status", {"status": status, "note": note}, token_from="/admin/applications")


def flash_after(client, response) -> str:
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_draft_keeps_what_was_typed_and_comes_back_from_its_link(client, app):
    saved = client.post("/apply/", {"project_name": "写了一半的项目", "leader_email": "half@example.com", "goals": "目标", "action": "save"})
    assert saved.status_code == 303
    page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "草稿已保存" in page and 'value="写了一半的项目"' in page and "目标" in page
    [(to, subject, body)] = client.mails()
    assert to == "half@example.com" and "草稿" in subject
    link = re.search(r"https?://[^/\s]+(/apply/r/\S+)", body).group(1)
    fresh = Client(app)  # another browser: the link alone brings the draft back
    page = fresh.get(link).get_data(as_text=True)
    assert 'value="写了一半的项目"' in page and 'id="private-link"' in page and "复制链接" in page
    finished = fresh.post(link, application_form(leader_email="half@example.com", action="submit"), token_from=link)
    assert finished.status_code == 303 and status_of(app, 1) == "待确认"
    with app.app_context():
        assert Application.query.count() == 1  # the same application, not a second one


def test_a_draft_needs_only_an_address_and_says_so(client, app):
    response = client.post("/apply/", {"project_name": "只填了名称", "action": "save"})
    assert response.status_code == 422 and "保存草稿需要填写有效的电子邮箱" in response.get_data(as_text=True)
    assert 'value="只填了名称"' in response.get_data(as_text=True)


def test_returned_application_shows_the_reason_is_edited_and_counts_once(client, app):
    location = client.apply()
    client.login()
    assert move(client, 1, "退回", "").status_code == 303  # a 退回 needs a reason …
    assert status_of(app, 1) == "已提交"
    move(client, 1, "退回", "请补充实施基础和条件保障。")
    applicant = Client(app)
    page = applicant.get(location).get_data(as_text=True)
    assert "请补充实施基础和条件保障。" in page and "重新提交" in page and "已确认，不能更改" in page
    again = applicant.post(location, application_form(basis="补充后的实施基础。", leader_email="thief@example.com"), token_from=location)
    assert again.status_code == 303 and status_of(app, 1) == "已提交"
    with app.app_context():
        stored = Application.query.one()
        assert stored.basis == "补充后的实施基础。" and stored.leader_email == "wang@example.edu.cn"
        assert stored.email_seq == 1 and stored.receipt_no == "CC2024-00001"


def test_county_application_goes_to_its_city_only(client, app):
    county_application(client, "淇县", 1)
    assert status_of(app, 1) == "待市级推荐"
    other = Client(app)
    other.login("luoyang", role="city", city="洛阳市")
    assert "局长1" not in other.get("/admin/applications").get_data(as_text=True)
    assert other.get("/admin/applications/1").status_code == 404
    assert move(other, 1, "已提交", "推荐").status_code == 404
    hebi = Client(app)
    hebi.login("hebi", role="city", city="鹤壁市")
    assert "局长1" in hebi.get("/admin/applications").get_data(as_text=True)
    assert "推荐名额：已用 0 / 2" in hebi.get("/admin/applications/1").get_data(as_text=True)
    assert move(hebi, 1, "已提交", "同意推荐，该县基础扎实。").status_code == 303
    assert status_of(app, 1) == "已提交"
    with app.app_context():
        assert Application.query.one().authority_opinion == "同意推荐，该县基础扎实。"  # printed on the 申报书
    assert move(hebi, 1, "受理").status_code == 303 and status_of(app, 1) == "已提交"  # a city cannot 受理


def test_university_application_skips_the_city(client, app):
    client.apply()
    assert status_of(app, 1) == "已提交"


def test_city_quota_is_half_its_counties_and_holds(client, app):
    for n, county in enumerate(HEBI[:3], start=1):
        county_application(client, county, n)
    hebi = Client(app)
    hebi.login("hebi", role="city", city="鹤壁市")
    move(hebi, 1, "已提交", "推荐")
    move(hebi, 2, "已提交", "推荐")
    refused = move(hebi, 3, "已提交", "推荐")
    assert "推荐名额已用完" in flash_after(hebi, refused) and status_of(app, 3) == "待市级推荐"
    move(hebi, 3, "市级未推荐", "名额已满。")
    assert status_of(app, 3) == "市级未推荐"


def threads_share_one_database(db_url: str) -> None:
    """Races run as threads of this process. On SQLite every writer already queues on one file
    lock (database.py), which in-process threads of the test client leave held; production runs
    SQLite under separate gunicorn worker processes, where test_races_server.py races the same
    moves on both databases. Here they run on PostgreSQL only."""
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite 写入由文件锁串行化；并发竞争在 PostgreSQL 上测试")


def race(*calls):
    """Run the calls at the same moment, each in its own thread; return their results."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_reviewers_at_once_cannot_exceed_the_quota(client, app, db_url):
    threads_share_one_database(db_url)
    for n, county in enumerate(HEBI[:3], start=1):
        county_application(client, county, n)
    first, second = Client(app), Client(app)
    first.login("hebi1", role="city", city="鹤壁市")
    second.login("hebi2", role="city", city="鹤壁市")
    move(first, 1, "已提交", "推荐")  # one place left
    tokens = [c.token("/admin/applications/2") for c in (first, second)]
    race(*(lambda c=c, t=t, i=i: c.http.post(f"/admin/applications/{i}/status", data={"status": "已提交", "note": "推荐", "csrf_token": t}, buffered=True)
           for c, t, i in ((first, tokens[0], 2), (second, tokens[1], 3))))  # fmt: skip
    assert sorted([status_of(app, 2), status_of(app, 3)]) == ["已提交", "待市级推荐"]
    with app.app_context():
        from forms_app.review.quota import standing

        assert standing("ha-2024-chucai-3", "鹤壁市").used == 2


def test_two_staff_moves_at_once_only_one_applies(client, app, db_url):
    threads_share_one_database(db_url)
    client.apply()
    staff = [Client(app), Client(app)]
    for n, c in enumerate(staff):
        c.login(f"staff{n}")
    tokens = [c.token("/admin/applications/1") for c in staff]
    race(*(lambda c=c, t=t, s=s: c.http.post("/admin/applications/1/status", data={"status": s, "note": "理由", "csrf_token": t}, buffered=True)
           for c, t, s in ((staff[0], tokens[0], "受理"), (staff[1], tokens[1], "退回"))))  # fmt: skip
    with app.app_context():
        from forms_app.models import StatusChange

        moves = [c.new_status for c in StatusChange.query.filter(StatusChange.staff_username.like("staff%"))]
        assert len(moves) == 1 and status_of(app, 1) == moves[0]


def test_two_confirmations_of_one_mailbox_at_once_count_once(client, app, db_url):
    threads_share_one_database(db_url)
    for name in ("项目甲", "项目乙"):
        assert client.post("/apply/", application_form(project_name=name)).status_code == 303
    links = [re.search(r"https?://[^/\s]+(/apply/r/\S+/confirm/\S+)", body).group(1) for _, s, body in client.mails() if "请确认" in s]
    browsers = [Client(app), Client(app)]
    tokens = [b.token(link) for b, link in zip(browsers, links, strict=True)]
    race(*(lambda b=b, link=link, t=t: b.http.post(link, data={"csrf_token": t}, buffered=True) for b, link, t in zip(browsers, links, tokens, strict=True)))
    assert sorted([status_of(app, 1), status_of(app, 2)]) == ["已提交", "待确认"]


def test_completion_materials_and_board(make_app):
    app = make_app()
    client = Client(app)
    location = client.apply()
    client.login()
    move(client, 1, "受理")
    move(client, 1, "立项")
    board = client.get("/admin/completion").get_data(as_text=True)
    assert "未到结项时间 <strong>1</strong>" in board
    applicant = Client(app)
    assert applicant.post(location + "/completion", {"completion_file": upload(PDF, "结项报告.pdf")}, token_from=location).status_code == 303
    assert "结项报告.pdf" in applicant.get(location).get_data(as_text=True)
    assert "已交材料待确认 <strong>1</strong>" in client.get("/admin/completion").get_data(as_text=True)
    move(client, 1, "已结项")
    assert "已结项 <strong>1</strong>" in client.get("/admin/completion").get_data(as_text=True)
    app.config["CLOCK"] = lambda: dt.date(2026, 1, 1)
    assert "逾期未交 <strong>0</strong>" in client.get("/admin/completion").get_data(as_text=True)


@pytest.mark.parametrize("text", ["项目\ufffe名称", "名称\uffff", "名称\ufdd0"])
def test_noncharacters_are_refused_at_input(client, text):
    response = client.post("/apply/", application_form(project_name=text))
    assert response.status_code == 422 and "无法保存的字符" in response.get_data(as_text=True)


def test_participant_rows_beyond_the_limit_are_refused_not_dropped(client):
    rows = {f"p-{i}-{k}": v for i in range(31) for k, v in (("name", f"人{i}"), ("gender", "男"), ("birth", "1980-01"), ("title", "教师"),
                                                             ("expertise", "教学"), ("workplace", "学校"))}  # fmt: skip
    response = client.post("/apply/", application_form(**rows))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "最多填写 30 行（现有 31 行）" in page and 'value="人30"' in page


def test_an_unfinished_earlier_leader_cannot_confirm(tmp_path, db_url):
    """Seed 004: “第二批…出彩项目未结项者不得申报” — refused when the leader confirms, naming the rule."""
    import shutil
    import sys

    tests = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(tests))
    from call_results_data import add_earlier_batch

    from forms_app import create_app

    shutil.copytree(tests / "fixtures" / "minimal", tmp_path / "repo")
    data = tmp_path / "repo" / "data"
    shutil.copy(tests.parent / "data" / "datapackage.yaml", data)
    add_earlier_batch(data)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>门户</title>", encoding="utf-8")
    config = {"TESTING": True, "INSTANCE_PATH": str(tmp_path / "instance"), "DATA_DIR": str(data), "SITE_DIR": str(site),
              "SECRET_KEY": "t", "DATABASE_URL": db_url, "CLOCK": lambda: dt.date(2024, 4, 20), "RATELIMIT_ENABLED": False}  # fmt: skip
    client = Client(create_app(config))
    client.post("/apply/", application_form(**{**COUNTY, "unit": "某甲县教育局"}, county="淇县", leader_name="赵六"))
    refused = client.confirm("wang@example.edu.cn")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and "未结项" in page and "赵六" in page
    assert status_of(client.app, 1) == "待确认"


def test_a_lost_link_is_found_again_through_the_mailbox_only(client, app):
    old = client.apply()
    stranger = Client(app)
    for email in ("wang@example.edu.cn", "nobody@example.com"):  # the page says the same either way
        page = stranger.post("/apply/find", {"email": email}).get_data(as_text=True)
        assert "如果" in page and "找回邮件已发送到该邮箱" in page
    assert stranger.post("/apply/find", {"email": "不是邮箱"}).status_code == 422
    found = [body for to, subject, body in client.mails() if "找回" in subject]
    assert len(found) == 1 and "wang@example.edu.cn" in [to for to, s, _ in client.mails() if "找回" in s]
    recover = re.search(r"https?://[^/\s]+(/apply/recover/\S+)", found[0]).group(1)
    assert stranger.get(recover).status_code == 200  # a page with one button: nothing changed yet
    assert stranger.get(old).status_code == 200
    new = stranger.post(recover, {}, token_from=recover)
    assert new.status_code == 303 and "CC2024-00001" in stranger.get(new.headers["Location"]).get_data(as_text=True)
    assert stranger.get(old).status_code == 404  # the old link no longer works
    assert stranger.get("/apply/recover/forged").status_code == 400
