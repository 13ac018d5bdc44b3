"""专家评审 over HTTP on SQLite and PostgreSQL: assignment, conflicts, expert isolation, scores,
ranking with spread, 立项 decisions against 拟立项数, bad input and double submits."""

from __future__ import annotations

import csv
import io
import re
import threading
from pathlib import Path

import pytest
from form_inputs import Client

from forms_app.database import db
from forms_app.models import Application
from forms_app.review.models import AuditEvent, ExpertAssignment, Score

DIRECTION = "ha-2024-chucai-3-1"
CRITERIA = ["goal", "basis", "plan", "team", "schedule", "outcomes"]  # maxima 20 20 25 10 10 15
UNITS = ["河南师范大学", "河南大学", "郑州大学", "信阳师范大学"]
NAMES = ["王建国", "李文华", "张明远", "赵丽君"]


def marks(*values, comment="方案具体可行，建议加强过程评价。") -> dict:
    form = {f"m-ha-2024-chucai-3-{c}": str(v) for c, v in zip(CRITERIA, values, strict=False)}
    form["comment"] = comment
    return form


def total_of(total: float) -> dict:
    """Marks adding up to `total`, each criterion filled to its maximum in turn."""
    values, rest = [], total
    for maximum in (20, 20, 25, 10, 10, 15):
        values.append(min(maximum, rest))
        rest -= values[-1]
    return marks(*(f"{v:g}" for v in values))


def rows(app, model, *where):
    with app.app_context():
        return db.session.scalars(db.select(model).where(*where)).all()


def app_id(app, unit: str) -> int:
    return rows(app, Application, Application.unit == unit)[0].id


@pytest.fixture
def review(app, client):
    """Four accepted applications (one per unit), province staff signed in as `client`."""
    for i, (unit, name) in enumerate(zip(UNITS, NAMES, strict=True)):
        Client(app).apply(unit=unit, leader_name=name, leader_email=f"leader{i}@example.edu.cn", leader_phone=f"138 0371 100{i}")
    client.login()
    for unit in UNITS:
        moved = client.post(f"/admin/applications/{app_id(app, unit)}/status", {"status": "受理"}, token_from="/admin/applications")
        assert moved.status_code == 303
    return client


def expert(app, name: str, unit: str) -> Client:
    signed_in = Client(app)
    assert signed_in.login(name, role="expert", unit=unit).status_code == 303
    return signed_in


def assign(staff: Client, app, name: str, directions=(DIRECTION,)):
    from forms_app.models import Staff

    staff_id = rows(app, Staff, Staff.username == name)[0].id
    return staff.post("/admin/experts", {"staff_id": str(staff_id), "direction": list(directions)}, token_from="/admin/experts")


def score(who: Client, application: int, form: dict, token_from="/admin/scoring"):
    return who.post(f"/admin/scoring/{application}", form, token_from=token_from)


def test_assignment_conflicts_and_isolation(app, review):
    zhang = expert(app, "zhang", "河南大学")  # the unit of the second application
    li = expert(app, "li", "北京师范大学")
    assert zhang.get("/admin/scoring").status_code == 200
    # Unassigned: nothing listed, every score page is 404 as if it did not exist.
    assert "暂无分配给您的申报" in zhang.get("/admin/scoring").get_data(as_text=True)
    assert zhang.get(f"/admin/scoring/{app_id(app, '河南师范大学')}").status_code == 404

    assert assign(review, app, "zhang").status_code == 303
    assert assign(review, app, "li").status_code == 303
    page = review.get("/admin/experts").get_data(as_text=True)
    assert re.search(r"回避（与申报单位相同）：\S+ 县域教师智能研修体系建设（河南大学）", page)
    listed = zhang.get("/admin/scoring").get_data(as_text=True)
    assert listed.count("/admin/scoring/") == 3 and "河南大学" not in listed
    own_unit = app_id(app, "河南大学")
    assert zhang.get(f"/admin/scoring/{own_unit}").status_code == 404
    assert score(zhang, own_unit, marks(20, 20, 25, 10, 10, 15)).status_code == 404
    assert zhang.get(f"/admin/applications/{own_unit}").status_code == 404
    assert rows(app, Score) == []

    # Li scores; Zhang never sees Li's marks, comment or the ranking.
    first = app_id(app, "河南师范大学")
    assert score(li, first, marks(18, 17.5, 22, 8, 9, 13, comment="李专家的独到意见")).status_code == 303
    for path in (f"/admin/scoring/{first}", "/admin/scoring", f"/admin/applications/{first}"):
        text = zhang.get(path).get_data(as_text=True)
        assert "李专家的独到意见" not in text and "87.5" not in text
    for path in ("/admin/ranking", "/admin/review-progress", "/admin/experts", "/admin/ranking.csv"):
        assert zhang.get(path).status_code == 403
    # The progress board shows the exclusion and who has scored.
    board = review.get("/admin/review-progress").get_data(as_text=True)
    assert "li（已评）" in board and "zhang（未评）" in board and "1 / 2" in board

    # Taken off the direction, the expert loses access at once.
    assert assign(review, app, "zhang", directions=()).status_code == 303
    assert zhang.get(f"/admin/scoring/{first}").status_code == 404
    details = [e.detail for e in rows(app, AuditEvent, AuditEvent.action == "专家分配")]
    assert details == [
        "zhang：新增 1. 区域教师智能研修体系建设",
        "li：新增 1. 区域教师智能研修体系建设",
        "zhang：取消 1. 区域教师智能研修体系建设",
    ]


def test_staff_and_city_accounts_cannot_score(app, review):
    first = app_id(app, "河南师范大学")
    assert review.get("/admin/scoring").status_code == 403
    assert score(review, first, marks(1, 1, 1, 1, 1, 1), token_from="/admin/applications").status_code == 403
    city = Client(app)
    city.login("kaifeng", role="city", city="开封市")
    assert city.get(f"/admin/scoring/{first}").status_code == 403
    assert city.get("/admin/ranking").status_code == 403
    assert city.post("/admin/experts", {"staff_id": "1", "direction": DIRECTION}, token_from="/admin/applications").status_code == 403


def test_ranking_order_spread_decisions_and_csv(app, review):
    panel = [expert(app, name, "北京师范大学") for name in ("e1", "e2", "e3")]
    for name in ("e1", "e2", "e3"):
        assign(review, app, name)
    a, b, c, d = (app_id(app, unit) for unit in UNITS)
    totals = {a: (80, 90, 70), b: (85, 85, 85), c: (60, 95)}  # d: no score yet
    for application, values in totals.items():
        for who, total in zip(panel, values, strict=False):
            assert score(who, application, total_of(total)).status_code == 303
    page = review.get("/admin/ranking").get_data(as_text=True)
    order = [int(m) for m in re.findall(r'<tr id="a(\d+)"', page)]
    assert order == [b, a, c, d]  # 85 (sd 0) before 80 (sd 8.16) before 77.5; unscored last
    assert "8.16" in page and page.count("（分歧较大）") == 2 and ">35（分歧较大）" in page  # max − min of 20 or more
    assert "第 1 名" in page and "未评分" in page

    reader = list(csv.reader(io.StringIO(review.get("/admin/ranking.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert reader[0][:3] == ["名次", "受理编号", "项目名称"]
    assert [(r[0], r[6], r[7], r[8], r[9], r[10]) for r in reader[1:]] == [
        ("1", "3", "3", "85", "0", "0"), ("2", "3", "3", "80", "8.16", "20"), ("3", "2", "3", "77.5", "17.5", "35"), ("", "0", "3", "", "", ""),
    ]  # fmt: skip

    # 立项 and 不立项 through the ranking, once each; a stale second click is refused.
    assert review.post(f"/admin/ranking/{b}/decision", {"status": "立项"}, token_from="/admin/ranking").status_code == 303
    assert review.post(f"/admin/ranking/{c}/decision", {"status": "不立项"}, token_from="/admin/ranking").status_code == 303
    again = review.post(f"/admin/ranking/{b}/decision", {"status": "不立项"}, token_from="/admin/ranking", follow_redirects=True)
    assert "不能再改为“不立项”" in again.get_data(as_text=True)
    late = review.post(f"/admin/ranking/{d}/decision", {"status": "立项"}, token_from="/admin/ranking", follow_redirects=True)
    assert "尚有 3 位评审专家未评分" in late.get_data(as_text=True)
    statuses = {x.id: x.status for x in rows(app, Application)}
    assert statuses == {a: "受理", b: "立项", c: "不立项", d: "立项"}
    moves = [e.action for e in rows(app, AuditEvent, AuditEvent.application_id == b)]
    assert "状态：受理 → 立项" in moves and moves.count("专家评分") == 3
    # Decided: the expert's score is read only, and a late change is refused.
    closed = score(panel[0], b, marks(1, 1, 1, 1, 1, 1))
    assert closed.status_code == 303
    assert "评审已经结束" in panel[0].get(f"/admin/scoring/{b}").get_data(as_text=True)
    assert rows(app, Score, Score.application_id == b, Score.staff_id == 2)[0].total == 85
    assert any(e.action == "导出评审排名" for e in rows(app, AuditEvent))


def test_planned_line_in_the_ranking(app, review):
    """The 拟立项数 (planned) is drawn under that many ranked rows: 2 here, with 3 ranked."""
    (app.extensions["catalog"].call)["planned"] = 2
    one = expert(app, "one", "北京师范大学")
    assign(review, app, "one")
    for unit, total in zip(UNITS[:3], (90, 80, 70), strict=True):
        assert score(one, app_id(app, unit), total_of(total)).status_code == 303
    page = review.get("/admin/ranking").get_data(as_text=True)
    before, line, after = page.partition('<tr class="cut">')
    assert line and "以上 2 项在拟立项数以内" in after
    assert [x for x in re.findall(r'<tr id="a(\d+)"', before)] == [str(app_id(app, u)) for u in UNITS[:2]]


def test_bad_scores_are_refused_in_chinese(app, review):
    who = expert(app, "bad", "北京师范大学")
    assign(review, app, "bad")
    target = app_id(app, "河南师范大学")
    cases = [
        (marks("abc", 20, 25, 10, 10, 15), "“目标与问题导向”的得分应为 0 至 20 之间的数字"),
        (marks(21, 20, 25, 10, 10, 15), "不能超过满分 20 分"),
        (marks(-1, 20, 25, 10, 10, 15), "0 至 20 之间的数字"),
        (marks(19.3, 20, 25, 10, 10, 15), "可精确到 0.5 分"),
        (marks("1e1", 20, 25, 10, 10, 15), "0 至 20 之间的数字"),
        (marks("NaN", 20, 25, 10, 10, 15), "0 至 20 之间的数字"),
        (marks(20, 20, 25, 10, 10), "请为“预期成果与示范引领”打分"),
        (marks(20, 20, 25, 10, 10, 15, comment=""), "请填写评审意见"),
        (marks(20, 20, 25, 10, 10, 15, comment="好\x00"), "控制字符"),
        (marks(20, 20, 25, 10, 10, 15, comment="好\ufffe"), "U+FFFE"),
        (marks(20, 20, 25, 10, 10, 15, comment="长" * 2001), "不能超过 2000 个字符"),
        (marks("9" * 100000, 20, 25, 10, 10, 15), "0 至 20 之间的数字"),
        (marks("1\x00", 20, 25, 10, 10, 15), "0 至 20 之间的数字"),
    ]
    for form, message in cases:
        response = score(who, target, form)
        assert response.status_code == 422, message
        assert message in response.get_data(as_text=True)
    assert rows(app, Score) == []
    # Full-width digits and a half point are what experts type; they are taken.
    assert score(who, target, marks("１９．５", 20, "25.0", 10, 10, 15)).status_code == 303
    saved = rows(app, Score)[0]
    assert saved.total == 99.5 and saved.marks["ha-2024-chucai-3-goal"] == 19.5
    # Ids that are not there, or beyond the databases' integers, are 404, never 500.
    for path in ("/admin/scoring/0", "/admin/scoring/99999999999999999999", "/admin/scoring/2147483648"):
        assert who.get(path).status_code == 404
    for staff_id in ("x", "99999999999999999999", "\x00", ""):
        assert review.post("/admin/experts", {"staff_id": staff_id, "direction": DIRECTION}).status_code == 303
    from forms_app.models import Staff

    staff_id = str(rows(app, Staff, Staff.username == "bad")[0].id)
    refused = review.post("/admin/experts", {"staff_id": staff_id, "direction": ["nope\x00"]}, follow_redirects=True)
    assert "所选申报方向不存在" in refused.get_data(as_text=True)
    not_expert = review.post("/admin/experts", {"staff_id": "1", "direction": DIRECTION}, follow_redirects=True)
    assert "没有这位评审专家" in not_expert.get_data(as_text=True)
    assert len(rows(app, ExpertAssignment)) == 1
    assert review.post(f"/admin/ranking/{target}/decision", {"status": "已结项"}, token_from="/admin/ranking").status_code == 303
    assert {x.status for x in rows(app, Application)} == {"受理"}


def test_score_is_editable_until_decided_and_one_row_per_expert(app, review):
    who = expert(app, "edit", "北京师范大学")
    assign(review, app, "edit")
    target = app_id(app, "河南师范大学")
    assert score(who, target, marks(10, 10, 10, 5, 5, 5)).status_code == 303
    form = who.get(f"/admin/scoring/{target}").get_data(as_text=True)
    assert 'value="10"' in form and "总分 45 分" in form
    assert score(who, target, marks(20, 20, 20, 10, 10, 10)).status_code == 303
    saved = rows(app, Score)
    assert len(saved) == 1 and saved[0].total == 90
    assert [e.action for e in rows(app, AuditEvent, AuditEvent.action.like("%专家评分"))] == ["专家评分", "修改专家评分"]


def test_concurrent_double_submit_keeps_one_score(app, review):
    who = expert(app, "twice", "北京师范大学")
    assign(review, app, "twice")
    target = app_id(app, "河南大学")
    token = who.token(f"/admin/scoring/{target}")
    barrier, results = threading.Barrier(4), []

    def send(total_plan):
        http = app.test_client()
        http.set_cookie("session", who.http.get_cookie("session").value)
        barrier.wait()
        form = total_of(75 + total_plan) | {"csrf_token": token}
        results.append(http.post(f"/admin/scoring/{target}", data=form).status_code)

    threads = [threading.Thread(target=send, args=(plan,)) for plan in (21, 22, 23, 24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * 4
    saved = rows(app, Score)
    assert len(saved) == 1 and saved[0].total in (96, 97, 98, 99)


def test_concurrent_assignment_keeps_one_row(app, review):
    from forms_app.models import Staff

    expert(app, "same", "北京师范大学")
    staff_id = rows(app, Staff, Staff.username == "same")[0].id
    token = review.token("/admin/experts")
    barrier, results = threading.Barrier(3), []

    def send():
        http = app.test_client()
        http.set_cookie("session", review.http.get_cookie("session").value)
        barrier.wait()
        results.append(
            http.post("/admin/experts", data={"staff_id": str(staff_id), "direction": DIRECTION, "csrf_token": token}).status_code
        )

    threads = [threading.Thread(target=send) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [303] * 3
    assert len(rows(app, ExpertAssignment)) == 1


def test_create_staff_roles(app):
    from forms_app.models import Staff

    runner = app.test_cli_runner()

    def run(*args):
        return runner.invoke(args=["create-staff", *args, "--password", "long-enough-pw"])

    refusals = [
        (("e", "--role", "expert"), "评审专家须用 --unit 填写所在单位"),
        (("c", "--role", "city"), "市级审核员须用 --city 指定所在省辖市"),
        (("c", "--role", "city", "--city", "开封"), "“开封”不是河南省的省辖市。可选：三门峡市、"),
        (("c", "--role", "city", "--city", "济源市"), "不是河南省的省辖市"),  # city-level itself: no 县（区） to review
        (("p", "--city", "开封市"), "--city 只用于市级审核员"),
        (("x", "--role", "admin"), "角色“admin”不存在，可选：province（省级管理员）"),
        (("e", "--role", "expert", "--unit", "河南\x00大学"), "单位含有不可见的控制字符"),
        (("e", "--role", "expert", "--unit", "大" * 101), "单位不能超过 100 个字符"),
    ]
    for args, message in refusals:
        result = run(*args)
        assert result.exit_code == 2 and message in result.output, (args, result.output)
    assert rows(app, Staff) == []
    made = run("kaifeng", "--role", "city", "--city", " 开封市 ")
    assert made.exit_code == 0 and "已创建市级审核员账号：kaifeng（开封市）" in made.output
    made = run("expert1", "--role", "expert", "--unit", "河南大学")
    assert made.exit_code == 0 and "已创建评审专家账号：expert1（单位：河南大学）" in made.output
    assert run("expert1", "--reset").exit_code == 0  # a password reset keeps role and unit
    assert run("expert1", "--reset", "--unit", "郑州大学").exit_code == 0
    accounts = {s.username: (s.role, s.city, s.unit) for s in rows(app, Staff)}
    assert accounts == {"kaifeng": ("city", "开封市", None), "expert1": ("expert", None, "郑州大学")}
    # The account works as its role: the expert lands on its scoring list.
    signed_in = Client(app)
    assert signed_in.post("/admin/login", {"username": "expert1", "password": "long-enough-pw"}).status_code == 303
    assert signed_in.get("/admin/").headers["Location"].endswith("/admin/scoring")


SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


def test_screenshots_of_score_form_and_ranking(tmp_path):
    """The real data (five directions, the shipped rubric) in Chromium at 360 and 1280 px; nothing
    but a table box is wider than a phone. PNGs in test-output/screenshots/review-*.png."""
    from chromium import launch
    from forms_on_site import forms_app, serving
    from playwright.sync_api import sync_playwright

    (tmp_path / "site").mkdir()
    app = forms_app(tmp_path / "site", tmp_path)
    app.extensions["catalog"].call["planned"] = 3  # so five applications cross the line
    staff = Client(app)
    staff.login()
    projects = [
        "县域教师智能研修体系建设",
        "市级教师发展中心建设与标准研制",
        "UGS协同的选育用评模式",
        "乡村首席教师工作室“1+10+100”",
        "县域校本研修体系建设",
    ]
    for i, (unit, name) in enumerate(zip(UNITS + ["河南理工大学"], NAMES + ["孙志强"], strict=True)):
        form = {"unit": unit, "leader_name": name, "leader_email": f"s{i}@example.edu.cn", "leader_phone": f"138 0371 200{i}"}
        Client(app).apply(project_name=projects[i], direction_id=f"ha-2024-chucai-3-{i + 1}", **form)
        staff.post(f"/admin/applications/{i + 1}/status", {"status": "受理"}, token_from="/admin/applications")
    directions = [f"ha-2024-chucai-3-{n}" for n in range(1, 6)]
    experts = [expert(app, name, unit) for name, unit in (("专家甲", "北京师范大学"), ("专家乙", "华东师范大学"), ("专家丙", "河南大学"))]
    for name in ("专家甲", "专家乙", "专家丙"):
        assign(staff, app, name, directions)
    for who, totals in zip(experts, ((92, 81, 77, 64.5, 88), (86, 79, 90, 70, 85), (95, None, 60, 72, 83)), strict=True):
        for application, total in enumerate(totals, 1):
            if total is not None:
                assert score(who, application, total_of(total)).status_code == 303
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serving(app) as url, sync_playwright() as p:
        browser = launch(p)
        for device, viewport in (("phone", {"width": 360, "height": 740}), ("desktop", {"width": 1280, "height": 900})):
            pages = [
                ("专家乙", "/admin/scoring/2", "score"),
                ("staff", "/admin/ranking", "ranking"),
                ("staff", "/admin/experts", "experts"),
            ]
            pages += [("staff", "/admin/review-progress", "progress"), ("专家丙", "/admin/scoring", "scoring")]
            for who, path, name in pages:
                context = browser.new_context(viewport=viewport, device_scale_factor=1, locale="zh-CN", is_mobile=device == "phone")
                page = context.new_page()
                page.goto(url + "/admin/login?next=" + path)
                page.fill("#username", who)
                page.fill("#password", "correct-horse-battery")
                page.click("button[type=submit]")
                page.wait_for_url(url + path)
                if name == "score":  # show an error beside a field, as an expert would meet it
                    page.fill("#m-ha-2024-chucai-3-goal", "21")
                    page.click("form.score-form button[type=submit]")
                    page.wait_for_selector(".error-summary")
                wide = page.evaluate(
                    "[...document.querySelectorAll('body *')].filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName + '.' + e.className)"
                )
                assert wide == [], (device, name, wide)
                page.screenshot(path=str(SHOTS / f"review-{name}-{device}.png"), full_page=True)
                context.close()
        browser.close()


def test_a_rubric_not_out_of_100_stops_the_start(make_app, data_dir, tmp_path):
    import shutil

    from forms_app.catalog import DataError

    copy = Path(shutil.copytree(data_dir.parent, tmp_path / "bad")) / "data"  # content/ beside data/
    rubric = copy / "call_rubrics.yaml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace("max_points: 15", "max_points: 14").replace("number: 6", "number: 5"), encoding="utf-8"
    )
    with pytest.raises(DataError) as refused:
        make_app(DATA_DIR=str(copy))
    assert "申报通知 ha-2024-chucai-3 各项指标满分之和为 99，应为 100" in str(refused.value)
    assert "call_rubrics.yaml:" in str(refused.value) and "的序号 5 重复" in str(refused.value)


def test_without_a_rubric_experts_are_told_and_nothing_is_saved(make_app, data_dir, tmp_path):
    import shutil

    copy = Path(shutil.copytree(data_dir.parent, tmp_path / "no-rubric")) / "data"
    (copy / "call_rubrics.yaml").write_text("[]\n", encoding="utf-8")
    app = make_app(DATA_DIR=str(copy))
    staff = Client(app)
    Client(app).apply()
    staff.login()
    staff.post("/admin/applications/1/status", {"status": "受理"}, token_from="/admin/applications")
    who = expert(app, "norubric", "北京师范大学")
    assign(staff, app, "norubric")
    assert "尚未设定评审指标" in who.get("/admin/scoring/1").get_data(as_text=True)
    refused = score(who, 1, marks(1, 1, 1, 1, 1, 1), token_from="/admin/scoring")
    assert refused.status_code == 303 and rows(app, Score) == []
