"""A benchmark browser for bench/load_forms.py: its own source address, session cookie, CSRF
token and kept-alive connection, over HTTP or HTTPS (the test proxy's self-signed certificate).

Each client connects from its own loopback address (127.x.y.z all reach 127.0.0.1), so the rate
limiter, which counts per real client, sees fifty people rather than one load generator.
"""

from __future__ import annotations

import http.client
import re
import secrets
import ssl
import statistics
import time
from urllib.parse import urlsplit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TLS = ssl.create_default_context()
TLS.check_hostname, TLS.verify_mode = False, ssl.CERT_NONE


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content) in files.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        parts += [head.encode(), content, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


class Client:
    """One browser at `base` (http://… or https://…) connecting from `address`."""

    def __init__(self, base: str, address: str = "127.0.0.1"):
        url = urlsplit(base)
        self.base, self.https, self.port, self.address = base, url.scheme == "https", url.port, address
        self.cookie, self.conn, self.token = "", None, ""
        self.refresh_token("/apply/")

    def refresh_token(self, path: str) -> None:
        """Load `path` and keep the CSRF token of its form (after a sign-in the session changed)."""
        body = self.request("GET", path)[2]
        self.token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()

    def _connect(self) -> http.client.HTTPConnection:
        source = (self.address, 0)
        if self.https:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=300, context=TLS, source_address=source)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=300, source_address=source)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, dict, bytes]:
        # Over HTTPS the CSRF check wants a same-site Referer, which browsers send (Referrer-Policy same-origin).
        headers = {"Referer": self.base + path}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = self._connect()
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()  # the server closed a kept-alive connection between requests: retry once
                if attempt == 2:
                    raise
                continue
            if response.will_close:
                self.close()
            if cookie := response.getheader("set-cookie"):
                self.cookie = cookie.split(";")[0]
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def body(self, run: str, i: int) -> tuple[bytes, str]:
        """A complete 申报书 with a 20 kB PDF; leader identities are unique per run and submission."""
        fields = {
            "csrf_token": self.token, "project_name": f"压测项目 {i}", "direction_id": "ha-2024-chucai-3-1", "leader_name": f"负责人{run}{i}",
            "leader_role": "高等学校校长", "leader_title": "教授", "leader_phone": f"13{run}{i:06d}", "leader_email": f"bench{run}-{i}@example.com",
            "unit": "河南大学", "p-0-name": "李华", "p-0-gender": "女", "p-0-birth": "1982-03", "p-0-title": "副教授", "p-0-expertise": "教师教育",
            "p-0-workplace": "河南大学", "completion_date": "2025-12-31", "goals": "目标" * 100, "key_work": "是", "basis": "基础" * 200,
            "plan": "方案" * 500, "s-0-period": "2024年5月", "s-0-work": "调研",
        }  # fmt: skip
        return multipart(fields, {"pdf_file": ("scan.pdf", PDF + b"%" * 20000)})

    def submit(self, body: tuple[bytes, str]) -> tuple[int, float]:
        start = time.perf_counter()
        status, _, _ = self.request("POST", "/apply/", *body)
        return status, time.perf_counter() - start

    def timed_get(self, path: str) -> float:
        start = time.perf_counter()
        self.request("GET", path)
        return time.perf_counter() - start

    def sign_in_unit(self, code: str) -> None:
        """Sign in as a 承训单位 with its upload code, as `/briefings/` asks."""
        self.refresh_token("/briefings/")
        body = multipart({"csrf_token": self.token, "code": code}, {})
        status = self.request("POST", "/briefings/signin", *body)[0]
        if status != 303:
            raise RuntimeError(f"sign-in with the upload code answered {status}")
        self.refresh_token("/briefings/")
