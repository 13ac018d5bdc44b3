"""Start the app as a real server in a child process (gunicorn, or `python -m forms_app`) for tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp_path: Path, data_dir: Path, db_url: str, **extra: str) -> dict:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "index.html").write_text("<!doctype html><title>门户</title><h1>国培计划信息门户</h1>", encoding="utf-8")
    env = {**os.environ, "FORMS_DATA_DIR": str(data_dir), "FORMS_INSTANCE_PATH": str(tmp_path / "instance"), "FORMS_SITE_DIR": str(site)}
    env["DATABASE_URL"] = db_url
    env.update(extra)
    return env


@contextmanager
def running(command: list[str], env: dict, port: int, ready_path: str = "/apply/", boot_seconds: float = 60):
    """Run `command` until the block ends; wait until `ready_path` answers (any HTTP status)."""
    log = open(Path(env["FORMS_INSTANCE_PATH"]).parent / f"server-{port}.log", "w+")  # noqa: SIM115
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + boot_seconds
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=5)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"server did not start:\n{log.read()}") from None
                time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()


def gunicorn(port: int, workers: int = 2, extra: tuple[str, ...] = ()) -> list[str]:
    """The production command of docs/FORMS.md on `port`; `extra` adds gunicorn options (e.g. a worker class)."""
    return [str(BIN / "gunicorn"), "-w", str(workers), *extra, "-b", f"127.0.0.1:{port}", "--graceful-timeout", "10", "forms_app.wsgi:app"]


def demo(port: int) -> list[str]:
    return [sys.executable, "-m", "forms_app", "--port", str(port)]
