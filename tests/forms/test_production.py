"""The app as deployed: gunicorn instances behind a real HTTPS reverse proxy (nginx).

What broke in production and is checked here from outside: every POST refused behind HTTPS
(the CSRF check wants a Referer the pages forbade), cookies not Secure, client addresses lost
behind the proxy, unbounded request bodies, demo mode switched on by an environment variable.
"""

from __future__ import annotations

import re
import socket
import subprocess

import pytest
import requests
from chromium import launch
from proxy import https_proxy
from servers import BIN, free_port, gunicorn, running, server_env

# The test proxy's certificate is self-signed: clients skip verification, and say so.
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
PASSWORD = "correct horse battery"


def create_staff(env: dict, username: str = "admin") -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "forms_app", "create-staff", username, "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def behind_proxy(tmp_path, data_dir, db_url):
    """Two gunicorn instances (2 workers each) on one database, behind nginx over HTTPS."""
    ports = [free_port(), free_port()]
    env = server_env(tmp_path, data_dir, db_url, FORMS_PROXY_COUNT="1")
    create_staff(env)
    with running(gunicorn(ports[0]), env, ports[0]), running(gunicorn(ports[1]), env, ports[1]):
        with https_proxy(tmp_path / "nginx", ports, free_port()) as url:
            yield url, ports


def test_browser_signs_in_and_out_over_https_through_the_proxy(behind_proxy):
    from playwright.sync_api import sync_playwright

    url, _ = behind_proxy
    with sync_playwright() as pw:
        browser = launch(pw)
        _sign_in_and_out(browser, url)
        browser.close()


def _sign_in_and_out(browser, url: str) -> None:
    context = browser.new_context(ignore_https_errors=True, locale="zh-CN")
    page = context.new_page()
    page.goto(url + "/admin/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.startswith(url + "/admin/applications"), page.url
    assert "安全校验未通过" not in page.content()
    cookie = next(c for c in context.cookies() if c["name"] == "session")
    assert cookie["secure"] and cookie["httpOnly"]
    with page.expect_navigation():
        page.click("form[action$='/admin/logout'] button")
    assert "/admin/login" in page.url and "已退出登录" in page.content()


def test_proxy_answers_with_hsts_and_no_server_versions(behind_proxy):
    url, _ = behind_proxy
    response = requests.get(url + "/admin/login", verify=False, timeout=30)
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert not re.search(r"\d", response.headers.get("Server", "")), response.headers.get("Server")


def test_a_post_from_another_site_is_still_refused_over_https(behind_proxy):
    """The CSRF check keeps its teeth: a token with a foreign Referer (or none) is refused."""
    url, _ = behind_proxy
    with requests.Session() as http:
        page = http.get(url + "/admin/login", verify=False, timeout=30).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"csrf_token": token, "username": "admin", "password": PASSWORD}
        for headers in ({"Referer": "https://evil.example/"}, {}):
            refused = http.post(url + "/admin/login", data=form, headers=headers, verify=False, allow_redirects=False, timeout=30)
            assert refused.status_code == 400 and "安全校验未通过" in refused.text
        ok = http.post(
            url + "/admin/login", data=form, headers={"Referer": url + "/admin/login"}, verify=False, allow_redirects=False, timeout=30
        )
        assert ok.status_code == 303


def test_forwarded_headers_are_ignored_without_a_configured_proxy(tmp_path, data_dir, db_url):
    """Anyone can send X-Forwarded-*: with FORMS_PROXY_COUNT unset they change nothing."""
    port = free_port()
    env = server_env(tmp_path, data_dir, db_url)
    with running(gunicorn(port, workers=1), env, port):
        response = requests.get(
            f"http://127.0.0.1:{port}/admin/login", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "10.9.9.9"}, timeout=30
        )
        assert "Strict-Transport-Security" not in response.headers
        assert "secure" not in response.headers.get("Set-Cookie", "").lower()


def test_demo_mode_cannot_be_switched_on_in_production(tmp_path, data_dir, db_url):
    port = free_port()
    env = server_env(tmp_path, data_dir, db_url, FORMS_DEMO_MODE="true")
    with running(gunicorn(port, workers=1), env, port):
        page = requests.get(f"http://127.0.0.1:{port}/apply/", timeout=30)
        assert "演示模式" not in page.text


@pytest.mark.parametrize("body", ["urlencoded", "multipart-parts", "multipart-field"])
def test_oversized_requests_get_the_chinese_413(app, body):
    """Bounded before anything is read into memory or onto disk."""
    if body == "urlencoded":  # a 2 MB field to the anonymous login form
        data, headers = "username=" + "x" * (2 * 1024 * 1024), {"Content-Type": "application/x-www-form-urlencoded"}
    elif body == "multipart-parts":  # thousands of tiny parts
        data = "".join(f'--b\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\n1\r\n' for i in range(2000)) + "--b--\r\n"
        headers = {"Content-Type": "multipart/form-data; boundary=b"}
    else:  # one 3 MB text field in a multipart form
        data = '--b\r\nContent-Disposition: form-data; name="plan"\r\n\r\n' + "x" * (3 * 1024 * 1024) + "\r\n--b--\r\n"
        headers = {"Content-Type": "multipart/form-data; boundary=b"}
    response = app.test_client().post("/admin/login", data=data, headers=headers)
    assert response.status_code == 413, response.status_code
    assert "太大" in response.get_data(as_text=True)


def test_a_2_gib_upload_is_refused_on_its_length_before_a_byte_is_stored(tmp_path, data_dir, db_url):
    """Straight to gunicorn: the answer comes while the client has sent only the headers."""
    port = free_port()
    env = server_env(tmp_path, data_dir, db_url)
    with running(gunicorn(port, workers=1), env, port):
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(
                b"POST /apply/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                + f"Content-Length: {2 * 1024**3}\r\n\r\n".encode()
                + b"--b\r\n"
            )
            chunks = []
            while chunk := conn.recv(65536):  # the server answers, then closes
                chunks.append(chunk)
            answer = b"".join(chunks).decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 413"), answer[:200]
        assert "太大" in answer
        pending = tmp_path / "instance" / "uploads" / "pending"
        assert not pending.exists() or not any(pending.iterdir())
