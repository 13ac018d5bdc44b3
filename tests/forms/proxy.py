"""A real HTTPS reverse proxy (Debian's nginx) in front of app instances, for the production tests.

The certificate is self-signed, made with openssl for 127.0.0.1; clients skip verification.
nginx runs in the foreground as a child process with every path under a temporary folder.
Its limits and error pages are those of docs/FORMS.md: request lines and headers are bounded by
nginx (6 kB a line) with the Chinese pages of forms_app/templates/errors/proxy/, below the limits
of gunicorn.conf.py, so gunicorn's English 4xx pages never reach a visitor.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

NGINX = Path("/usr/sbin/nginx")
ERROR_PAGES = Path(__file__).resolve().parents[2] / "forms_app" / "templates" / "errors" / "proxy"

CONFIG = """
daemon off;
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    server_tokens off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 110m;
    large_client_header_buffers 4 6k;
    upstream app {{ {upstreams} }}
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {dir}/cert.pem;
        ssl_certificate_key {dir}/key.pem;
        error_page 400 /_errors/400.html;
        error_page 414 /_errors/414.html;
        error_page 494 =431 /_errors/431.html;
        location ^~ /_errors/ {{
            internal;
            alias {errors}/;
            charset utf-8;
        }}
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-Port $server_port;
        }}
    }}
}}
"""


def _user() -> str:
    """Started by root, nginx's workers would run as `nobody`: unable to write request bodies over
    16 kB into the private temporary folder (every upload through the proxy failed with 500)."""
    return "user root;" if os.geteuid() == 0 else ""


def require_nginx() -> None:
    if not NGINX.exists():
        pytest.fail("nginx not found at /usr/sbin/nginx: run scripts/system-deps.sh")


@contextmanager
def https_proxy(directory: Path, app_ports: list[int], port: int):
    """nginx on https://127.0.0.1:`port` balancing over the app instances on `app_ports`."""
    require_nginx()
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    upstreams = " ".join(f"server 127.0.0.1:{p};" for p in app_ports)
    (directory / "nginx.conf").write_text(
        CONFIG.format(dir=directory, port=port, upstreams=upstreams, errors=ERROR_PAGES, user=_user()), encoding="utf-8"
    )
    proc = subprocess.Popen([str(NGINX), "-c", str(directory / "nginx.conf"), "-p", str(directory)], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start: {proc.stderr.read().decode() if proc.stderr else ''}") from None
                time.sleep(0.05)
        yield f"https://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGQUIT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(directory / "body", ignore_errors=True)
