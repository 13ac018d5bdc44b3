"""The races of the call against the production server: gunicorn with two worker processes,
clients posting at the same moment over HTTP, on SQLite (the default install) and PostgreSQL.

Seeding goes through the app in this process (same database, same secret key); the moves under
test go through the real server, where two workers really do run the two requests at once.
"""

from __future__ import annotations

import re
import threading

import pytest
import requests
from conftest import make_config
from form_inputs import Client, application_form
from servers import free_port, gunicorn, running, server_env

from forms_app.models import Application, StatusChange

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct-horse-battery"


@pytest.fixture
def served(tmp_path, open_data_dir, db_url):
    """(in-process client for seeding, base URL of the two-worker server)."""
    from forms_app import create_app

    app = create_app(make_config(tmp_path, open_data_dir, db_url))
    port = free_port()
    env = server_env(tmp_path, open_data_dir, db_url, FORMS_SECRET_KEY="test-secret", FORMS_RATELIMIT_ENABLED="false")
    with running(gunicorn(port, workers=2), env, port):
        yield Client(app), f"http://127.0.0.1:{port}"


def signed_in(seed: Client, base: str, username: str, **account) -> requests.Session:
    seed.login(username, **account)  # makes the account
    http = requests.Session()
    http.trust_env = False
    token = CSRF.search(http.get(base + "/admin/login", timeout=30).text).group(1)
    answer = http.post(base + "/admin/login", data={"csrf_token": token, "username": username, "password": PASSWORD}, allow_redirects=False, timeout=30)
    assert answer.status_code == 303, answer.text[:300]
    return http


def at_once(*posts):
    """POST each (session, url, data) at the same moment from its own thread."""
    barrier = threading.Barrier(len(posts))
    answers = [None] * len(posts)

    def run(i, http, url, data):
        data = {**data, "csrf_token": CSRF.search(http.get(url.rsplit("/status", 1)[0] if "/status" in url else url, timeout=30).text).group(1)}
        barrier.wait()
        answers[i] = http.post(url, data=data, allow_redirects=False, timeout=60).status_code

    threads = [threading.Thread(target=run, args=(i, *p)) for i, p in enumerate(posts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return answers


def statuses(seed: Client) -> dict[int, str]:
    with seed.app.app_context():
        return {a.id: a.status for a in Application.query.order_by(Application.id)}


def test_two_reviewers_at_once_cannot_exceed_the_quota(served):
    seed, base = served
    for n, county in enumerate(["淇县", "浚县", "淇滨区"], start=1):
        seed.apply(leader_role="县（市、区）教育局局长", county=county, unit=f"{county}教育局", leader_email=f"l{n}@example.com")
    first, second = signed_in(seed, base, "hebi1", role="city", city="鹤壁市"), signed_in(seed, base, "hebi2", role="city", city="鹤壁市")
    at_once((first, f"{base}/admin/applications/1/status", {"status": "已提交", "note": "推荐"}))  # one of two places
    at_once((first, f"{base}/admin/applications/2/status", {"status": "已提交", "note": "推荐"}),
            (second, f"{base}/admin/applications/3/status", {"status": "已提交", "note": "推荐"}))  # fmt: skip
    assert sorted(statuses(seed).values()) == sorted(["待市级推荐", "已提交", "已提交"])
    with seed.app.app_context():
        from forms_app.review.quota import standing

        assert standing("ha-2024-chucai-3", "鹤壁市").used == 2


def test_two_staff_moves_at_once_only_one_applies(served):
    seed, base = served
    seed.apply()
    one, two = signed_in(seed, base, "staff1"), signed_in(seed, base, "staff2")
    at_once((one, f"{base}/admin/applications/1/status", {"status": "受理", "note": "齐全"}),
            (two, f"{base}/admin/applications/1/status", {"status": "退回", "note": "请补充"}))  # fmt: skip
    with seed.app.app_context():
        moves = [c.new_status for c in StatusChange.query.filter(StatusChange.staff_username.like("staff%"))]
    assert len(moves) == 1 and statuses(seed)[1] == moves[0]


def test_two_confirmations_of_one_mailbox_at_once_count_once(served):
    seed, base = served
    for name in ("项目甲", "项目乙"):
        assert seed.post("/apply/", application_form(project_name=name)).status_code == 303
    links = [re.search(r"https?://[^/\s]+(/apply/r/\S+/confirm/\S+)", body).group(1) for _, s, body in seed.mails() if "请确认" in s]
    browsers = [requests.Session(), requests.Session()]
    for b in browsers:
        b.trust_env = False
    at_once(*((b, base + link, {}) for b, link in zip(browsers, links, strict=True)))
    assert sorted(statuses(seed).values()) == sorted(["已提交", "待确认"])
