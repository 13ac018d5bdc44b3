"""Load test of the forms app under gunicorn (2 workers) from a second process on 127.0.0.1.

Reports submissions per second and p99 latency at 50 concurrent clients, and the servers' peak
memory growth while a 50 MB file is uploaded, next to a baseline measured in the same run (a GET
of a static page of the site). Usage: .venv/bin/python bench/load_forms.py [--submissions 1000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "forms"))
from servers import free_port, gunicorn, running, server_env  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_call_data(tmp: Path) -> Path:
    """The minimal test dataset with its call still open (deadline moved ahead)."""
    target = tmp / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "minimal", target)
    shutil.copy(ROOT / "data" / "datapackage.yaml", target / "data")
    for name, old, new in (
        ("calls.yaml", "deadline: 2024-04-30", "deadline: 2099-04-30"),
        ("call_directions.yaml", "due: 2025-12-31", "due: 2099-12-31"),
    ):
        path = target / "data" / name
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return target / "data"


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


class Client:
    """One browser: a session cookie, a CSRF token and a kept-alive connection (reopened when the server closes it)."""

    def __init__(self, port: int):
        self.port, self.cookie, self.conn = port, "", None
        status, headers, body = self.request("GET", "/apply/")
        self.cookie = headers.get("set-cookie", "").split(";")[0]
        self.token = re.search(rb'name="csrf_token" value="([^"]+)"', body).group(1).decode()

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple[int, dict, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
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


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) > 1 else values[0]


def workers_of(master: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            children.append(int(stat.parent.name))
    return children


def memory(pid: int, key: str) -> int:
    """VmRSS or VmHWM (peak) of `pid` in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def peak_growth(workers: list[int], action) -> float:
    """Largest growth of peak RSS (MB) over the workers while `action` runs."""
    before = {}
    for pid in workers:
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
        before[pid] = memory(pid, "VmRSS")
    action()
    return max(memory(pid, "VmHWM") - before[pid] for pid in workers) / 1024


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time used so far by `pids`."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat."""
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = ticks[3] + ticks[4]
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")


def submit_all(clients: list[Client], bodies: list[list[tuple[bytes, str]]]) -> list[tuple[int, float]]:
    """Each client sends its own prebuilt bodies one after another, all clients at once."""
    with ThreadPoolExecutor(len(clients)) as pool:
        batches = pool.map(lambda pair: [pair[0].submit(body) for body in pair[1]], zip(clients, bodies, strict=True))
        return [r for batch in batches for r in batch]


def run(submissions: int, concurrency: int, upload_mb: int, extra: tuple[str, ...] = ()) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="load_forms_"))
    port = free_port()
    # The limiter stays on, as in production; only its limit is raised above what one client IP sends here.
    env = server_env(tmp, open_call_data(tmp), os.environ.get("DATABASE_URL", ""), FORMS_SUBMIT_RATE_LIMIT="1000000 per minute")
    command = gunicorn(port, extra=extra)
    with running(command, env, port) as proc:
        clients = [Client(port) for _ in range(concurrency)]
        db = "PostgreSQL" if env["DATABASE_URL"] else "SQLite (instance folder)"
        print(f"{' '.join(command[1:-1])}\n{db}, {concurrency} concurrent clients, {os.cpu_count()} CPUs shared with the load generator")

        # Baseline in the same run: GET of a static page of the site.
        with ThreadPoolExecutor(concurrency) as pool:
            start = time.perf_counter()
            timed = [t for batch in pool.map(lambda c: [_timed_get(c, "/") for _ in range(20)], clients) for t in batch]
            elapsed = time.perf_counter() - start
        print(f"baseline GET /            : {len(timed) / elapsed:7.0f} req/s, p99 {p99(timed) * 1000:6.1f} ms")

        # Request bodies are built before the clock starts (unique multipart boundaries, as browsers send).
        run_tag = str(300 + secrets.randbelow(700))  # leader phone 13<tag><i>: unique per run, so a reused database works
        warm = [[c.body(run_tag, 900000 + k)] for k, c in enumerate(clients)]
        bodies = [[c.body(run_tag, i) for i in range(k, submissions, concurrency)] for k, c in enumerate(clients)]
        submit_all(clients, warm)  # first requests of each worker fill caches; not timed
        workers = workers_of(proc.pid)
        server_cpu, own_cpu, machine = cpu_seconds(workers), time.process_time(), machine_busy()
        start = time.perf_counter()
        results = submit_all(clients, bodies)
        elapsed = time.perf_counter() - start
        server_cpu, own_cpu = cpu_seconds(workers) - server_cpu, time.process_time() - own_cpu
        busy, total = (after - before for after, before in zip(machine_busy(), machine, strict=True))
        ok = [t for status, t in results if status == 303]
        print(f"submissions POST /apply/  : {len(ok) / elapsed:7.0f} /s, p99 {p99(ok) * 1000:6.1f} ms ({len(ok)}/{submissions} stored)")
        print(f"CPU per submission        : server workers {server_cpu / submissions * 1000:.2f} ms, "
              f"load generator {own_cpu / submissions * 1000:.2f} ms")  # fmt: skip
        # Anything else busy on the machine (the database server, other jobs) skews the figures: say how much.
        others = max(busy - server_cpu - own_cpu, 0)
        print(
            f"machine CPU while timed   : {busy / total:.0%} busy; {others / elapsed:.2f} CPUs used by other processes (database, kernel, other jobs)"
        )

        client = clients[0]
        base_growth = peak_growth(workers, lambda: [_timed_get(client, "/") for _ in range(20)])
        big = PDF + os.urandom(upload_mb * 1000 * 1000 - len(PDF))
        body, content_type = multipart({"csrf_token": client.token, "project_id": "jx2022-001", "unit": "江西师范大学",
                                        "issue_no": str(1 + secrets.randbelow(99)), "title": "大文件", "issued_on": "2024-04-01"},
                                       {"file": ("big.pdf", big)})  # fmt: skip
        statuses = []
        upload_growth = peak_growth(workers, lambda: statuses.append(client.request("POST", "/briefings/", body, content_type)[0]))
        print(f"peak memory growth, GET / : {base_growth:7.1f} MB (baseline)")
        print(f"peak memory growth, {upload_mb} MB upload: {upload_growth:6.1f} MB (status {statuses[0]})")
        for c in clients:
            c.close()
    shutil.rmtree(tmp, ignore_errors=True)


def _timed_get(client: Client, path: str) -> float:
    start = time.perf_counter()
    client.request("GET", path)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000, help="number of 申报 submissions")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients")
    parser.add_argument("--upload-mb", type=int, default=50, help="size of the big upload in MB")
    parser.add_argument("--gunicorn-args", default="", help='extra gunicorn options, e.g. "--worker-class gthread --threads 4"')
    args = parser.parse_args()
    run(args.submissions, args.concurrency, args.upload_mb, tuple(args.gunicorn_args.split()))


if __name__ == "__main__":
    main()
