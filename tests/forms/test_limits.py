"""Rate limits per real client, shared by every worker and instance through the real Redis;
request lines and headers bounded by the proxy, which answers oversized ones with Chinese pages.

Two gunicorn instances (2 workers each) on one PostgreSQL and one Redis, behind nginx over
HTTPS. Clients are told apart by their own addresses: each test client connects from its own
loopback address (127.0.0.2, 127.0.0.3, …), which nginx forwards and ProxyFix trusts.
"""

from __future__ import annotations

import re
import secrets
import socket
import ssl
from urllib.parse import urlsplit

import pytest
import redis
import requests
from proxy import https_proxy
from requests.adapters import HTTPAdapter
from servers import free_port, gunicorn, running, server_env

pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
SUBMITS = 5


class _FromAddress(HTTPAdapter):
    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def client_at(address: str) -> requests.Session:
    """A browser-like session whose connections come from `address`."""
    http = requests.Session()
    http.mount("https://", _FromAddress(address))
    http.verify = False
    http.trust_env = False  # else REQUESTS_CA_BUNDLE would override verify=False
    return http


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory, open_data_dir, pg_database):
    """Started once for the module: each test uses its own client addresses, so counts stay apart."""
    tmp_path = tmp_path_factory.mktemp("limits")
    prefix = f"test-{secrets.token_hex(4)}"
    env = server_env(
        tmp_path,
        open_data_dir,
        pg_database,
        FORMS_PROXY_COUNT="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
        FORMS_RATELIMIT_KEY_PREFIX=prefix,
        FORMS_SUBMIT_RATE_LIMIT=f"{SUBMITS} per minute",
    )
    ports = [free_port(), free_port()]
    try:
        with running(gunicorn(ports[0]), env, ports[0]), running(gunicorn(ports[1]), env, ports[1]):
            with https_proxy(tmp_path / "nginx", ports, free_port()) as url:
                yield url
    finally:
        store = redis.Redis(host="127.0.0.1", port=6379)
        keys = list(store.scan_iter(f"*{prefix}*"))
        if keys:
            store.delete(*keys)


def post_form(http: requests.Session, url: str, path: str, fields: dict, page_path: str | None = None) -> int:
    page = http.get(url + (page_path or path), timeout=30).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = http.post(
        url + path, data={"csrf_token": token, **fields}, headers={"Referer": url + path}, allow_redirects=False, timeout=30
    )
    return response.status_code


def test_one_client_hammering_is_refused_and_another_is_not(two_instances):
    url = two_instances
    hammer, other = client_at("127.0.0.2"), client_at("127.0.0.3")
    codes = [post_form(hammer, url, "/briefings/signin", {"code": "不存在的码"}, "/briefings/") for _ in range(SUBMITS * 3)]
    refused = [c for c in codes if c == 429]
    assert refused, codes
    # Both instances served the hammering client (nginx round-robin), and still the limit held:
    # with per-worker memory there would be up to four times as many answers before a 429.
    assert len(codes) - len(refused) <= 10, codes
    assert post_form(other, url, "/briefings/signin", {"code": "不存在的码"}, "/briefings/") != 429


def test_the_submit_limit_holds_across_both_instances(two_instances):
    url = two_instances
    http = client_at("127.0.0.4")
    codes = [post_form(http, url, "/apply/", {"project_name": f"项目{i}"}) for i in range(SUBMITS * 2)]
    assert codes.count(429) == SUBMITS, codes
    assert 429 not in codes[:SUBMITS], codes


def test_logins_are_throttled_per_account_from_any_address(two_instances):
    url = two_instances
    codes = [post_form(client_at(f"127.0.1.{n}"), url, "/admin/login", {"username": "admin", "password": "wrong"}) for n in range(1, 9)]
    assert 429 in codes and codes.index(429) >= 5, codes  # five tries a minute for one account
    assert post_form(client_at("127.0.1.99"), url, "/admin/login", {"username": "someone-else", "password": "wrong"}) == 401


def test_a_20_kb_url_gets_the_proxys_chinese_page(two_instances):
    response = client_at("127.0.2.1").get(two_instances + "/apply/?q=" + "x" * 20_000, timeout=30)
    assert response.status_code == 414 and response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>网址太长</h1>" in response.text and "Request-URI" not in response.text


@pytest.mark.parametrize("header", ["X-Big", "Cookie"])
def test_a_40_kb_header_gets_the_proxys_chinese_page(two_instances, header):
    response = client_at("127.0.2.2").get(two_instances + "/", headers={header: "a=" + "x" * 40_000}, timeout=30)
    assert response.status_code == 431
    assert "<h1>请求头太大</h1>" in response.text and "Cookie" in response.text and "Too Large" not in response.text


def test_a_malformed_request_gets_the_proxys_chinese_400(two_instances):
    host, port = urlsplit(two_instances).hostname, urlsplit(two_instances).port
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection((host, port), timeout=30) as raw, context.wrap_socket(raw) as conn:
        conn.sendall(b"GET / HTTP/1.1\r\n\r\n")  # HTTP/1.1 without a Host
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    text = answer.decode("utf-8", "replace")
    assert text.startswith("HTTP/1.1 400") and "<h1>请求无效</h1>" in text


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"params": {"q": "x" * 6000}},
        {"headers": {"X-Big": "x" * 6000}},
        {"headers": {"X-Forwarded-For": "1" * 6000}},  # nginx appends the client address to it
        {"headers": {f"X-H{i}": "v" for i in range(200)}},  # gunicorn's default allows 100
    ],
    ids=["6kB-url", "6kB-header", "6kB-forwarded-for", "200-headers"],
)
def test_what_the_proxy_lets_through_reaches_the_app(two_instances, request_kwargs):
    """gunicorn's limits sit above nginx's: it never answers with its own English 4xx page."""
    response = client_at("127.0.2.3").get(two_instances + "/apply/", timeout=30, **request_kwargs)
    assert response.status_code == 200 and "出彩项目申报" in response.text
