"""Who may do what, proven: every staff route × every role, and the applicant's link, against a
table written out here (not derived from policy.py), on SQLite and PostgreSQL.

One 县（区） application (淇县 → 鹤壁市, unit 淇县教育局), recommended and 受理, so every
role has something to see or be refused.
"""

from __future__ import annotations

import pytest
from form_inputs import PDF, Client, upload

from forms_app.models import Application

ANON, APPLICANT, OTHER_APPLICANT, CITY, OTHER_CITY, EXPERT, UNASSIGNED, CONFLICTED, PROVINCE = (
    "anonymous", "applicant", "other-applicant", "city", "other-city", "expert", "unassigned-expert", "conflicted-expert", "province")  # fmt: skip
STAFF = {
    CITY: {"role": "city", "city": "鹤壁市"},
    OTHER_CITY: {"role": "city", "city": "洛阳市"},
    EXPERT: {"role": "expert", "unit": "河南大学"},
    UNASSIGNED: {"role": "expert", "unit": "郑州大学"},
    CONFLICTED: {"role": "expert", "unit": "淇县教育局"},
    PROVINCE: {"role": "province"},
}
OK, NO = "allowed", "refused"
# route → the roles allowed; everyone else is refused (login, 403 or 404 — never the content).
GETS = {
    "/admin/applications/1": {CITY, EXPERT, PROVINCE},
    "/admin/applications/1/shenbaoshu.docx": {CITY, EXPERT, PROVINCE},
    "/admin/attachments/1": {CITY, EXPERT, PROVINCE},
    "/admin/scoring/1": {EXPERT},
    "/admin/scoring": {EXPERT, UNASSIGNED, CONFLICTED},
    "/admin/ranking": {PROVINCE},
    "/admin/review-progress": {PROVINCE},
    "/admin/experts": {PROVINCE},
    "/admin/completion": {PROVINCE},
    "/admin/export/applications.csv": {PROVINCE},
    "/admin/export/approved.yaml": {PROVINCE},
    "/admin/briefings": {PROVINCE},
    "/admin/compliance": {PROVINCE},
    "/admin/unit-codes": {PROVINCE},
}
# The application list opens for every staff role, but shows the application only to these.
LISTED_FOR = {CITY, EXPERT, PROVINCE}


@pytest.fixture
def world(app):
    """The application in 受理, the accounts, the expert assignments; a browser per role."""
    from forms_app.database import db
    from forms_app.models import Staff
    from forms_app.review.models import ExpertAssignment

    applicant = Client(app)
    link = applicant.apply(leader_role="县（市、区）教育局局长", county="淇县", unit="淇县教育局", pdf_file=upload(PDF, "盖章.pdf"))
    other = Client(app)
    other_link = other.apply(leader_email="other@example.com", leader_name="李四", project_name="另一个项目")
    browsers = {ANON: Client(app), APPLICANT: applicant, OTHER_APPLICANT: other}
    for name, account in STAFF.items():
        browsers[name] = Client(app)
        browsers[name].login(name, **account)
    with app.app_context():
        ids = {s.username: s.id for s in db.session.scalars(db.select(Staff))}
        for name in (EXPERT, CONFLICTED):
            db.session.add(ExpertAssignment(staff_id=ids[name], direction_id="ha-2024-chucai-3-1"))
        db.session.add(ExpertAssignment(staff_id=ids[UNASSIGNED], direction_id="ha-2024-chucai-3-2"))
        db.session.commit()
    move(browsers[CITY], "已提交", "同意推荐。")
    move(browsers[PROVINCE], "受理")
    assert status(app) == "受理"
    return browsers, link, other_link


def move(client, new, note=""):
    return client.post("/admin/applications/1/status", {"status": new, "note": note}, token_from="/admin/login")


def status(app) -> str:
    with app.app_context():
        from forms_app.database import db

        return db.session.get(Application, 1).status


def outcome(response) -> str:
    if response.status_code == 200:
        return OK
    assert response.status_code in (302, 403, 404), response.status_code  # never a 5xx, never the content
    if response.status_code == 302:
        assert "/admin/login" in response.headers["Location"]
    return NO


@pytest.mark.parametrize("path", sorted(GETS))
def test_every_staff_page_for_every_role(world, path):
    browsers, _, _ = world
    got = {role: outcome(browser.get(path)) for role, browser in browsers.items()}
    assert got == {role: OK if role in GETS[path] else NO for role in browsers}


def test_the_list_shows_the_application_only_to_those_who_may_see_it(world):
    browsers, _, _ = world
    for role, browser in browsers.items():
        response = browser.get("/admin/applications")
        listed = response.status_code == 200 and "淇县教育局" in response.get_data(as_text=True)
        assert listed == (role in LISTED_FOR), role


@pytest.mark.parametrize("role", [ANON, APPLICANT, CITY, OTHER_CITY, EXPERT, UNASSIGNED, CONFLICTED])
def test_only_the_province_decides(world, app, role):
    browsers, _, _ = world
    move(browsers[role], "立项")
    assert status(app) == "受理"


def test_the_province_decides(world, app):
    browsers, _, _ = world
    move(browsers[PROVINCE], "立项")
    assert status(app) == "立项"


def test_only_the_assigned_expert_scores(world, app):
    browsers, _, _ = world
    marks = {"comment": "方案可行。"}
    for role in (CITY, PROVINCE, UNASSIGNED, CONFLICTED, ANON, APPLICANT):
        browsers[role].post("/admin/scoring/1", marks, token_from="/admin/login")
    with app.app_context():
        from forms_app.database import db
        from forms_app.review.models import Score

        assert db.session.scalar(db.select(db.func.count()).select_from(Score)) == 0


def test_an_applicant_link_opens_only_its_own_application(world):
    browsers, link, other_link = world
    mine = browsers[OTHER_APPLICANT].get(other_link).get_data(as_text=True)
    assert "另一个项目" in mine and "淇县教育局" not in mine
    assert browsers[ANON].get(link).status_code == 200  # the link is the credential: whoever holds it
    assert browsers[ANON].get(link[:-3] + "xyz").status_code == 404
    assert browsers[ANON].get(link + "/files/1").status_code == 200
    assert browsers[OTHER_APPLICANT].get(other_link + "/files/1").status_code == 404  # not its attachment
