"""Load test of the forms app as deployed: gunicorn instances (2 workers each) on one PostgreSQL
and one Redis, reached directly or through nginx over HTTPS, from a second process.

In one run and on the same servers it compares three layouts — `direct` (one instance, no proxy),
`proxy1` (nginx → that instance), `proxy2` (nginx → two instances) — repeated, interleaved, and
prints per layout submissions per second, p99 latency and 429 answers per client (min and median
over the repeats), with the production limit of 30 submissions a minute per client: 50 clients
from their own addresses stay under it, a 51st hammers at twice the limit. Then the workers'
peak memory growth while a signed-in 承训单位 uploads a 50 MB 简报.
Usage: .venv/bin/python bench/load_forms.py [--repeats 3] [--submissions 1000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests" / "forms"), str(ROOT / "bench")]
from load_client import PDF, Client, multipart, p99  # noqa: E402
from proc_stats import children_of, cpu_seconds, machine_busy, peak_growth  # noqa: E402
from proxy import https_proxy  # noqa: E402
from servers import BIN, free_port, gunicorn, running, server_env  # noqa: E402

PG_ADMIN = os.environ.get("FORMS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
UNIT, UNIT_PROJECT = "江西师范大学", "jx2022-001"
LAYOUTS = ("direct", "proxy1", "proxy2")


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


@contextmanager
def bench_database():
    """DATABASE_URL if set, else a new PostgreSQL database dropped afterwards."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
        return
    import psycopg

    name = f"guopei_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def issue_unit_code(env: dict) -> str:
    """An upload code for the 承训单位, from the CLI staff use (`flask --app forms_app unit-code`)."""
    out = subprocess.run(
        [str(BIN / "flask"), "--app", "forms_app", "unit-code", UNIT], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout.strip().split("\t")[1]


def nginx_pids(directory: Path) -> list[int]:
    master = int((directory / "nginx.pid").read_text())
    return [master, *children_of(master)]


def submit_all(clients: list[Client], bodies: list[list[tuple[bytes, str]]]) -> list[list[tuple[int, float]]]:
    """Each client sends its own prebuilt bodies one after another, all clients at once; results per client."""
    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(lambda pair: [pair[0].submit(body) for body in pair[1]], zip(clients, bodies, strict=True)))


def one_round(base: str, pids: list[int], prefix: str, args) -> dict:
    """One timed round of submissions at `base`; clients from fresh addresses `prefix`.1, .2, …"""
    clients = [Client(base, f"{prefix}.{k + 1}") for k in range(args.concurrency + 1)]
    honest, hammer = clients[:-1], clients[-1]
    with ThreadPoolExecutor(len(honest)) as pool:
        start = time.perf_counter()
        gets = [t for batch in pool.map(lambda c: [c.timed_get("/") for _ in range(20)], honest) for t in batch]
        get_rate = len(gets) / (time.perf_counter() - start)
    tag = str(300 + secrets.randbelow(700))  # leader phone 13<tag><i>: unique per round, so a reused database works
    submit_all(honest, [[c.body(tag, 900000 + k)] for k, c in enumerate(honest)])  # warm caches; counts toward the limit
    bodies = [[c.body(tag, i) for i in range(k, args.submissions, len(honest))] for k, c in enumerate(honest)]
    bodies.append([hammer.body(tag, 800000 + i) for i in range(2 * args.limit)])
    cpu, own, machine = cpu_seconds(pids), time.process_time(), machine_busy()
    start = time.perf_counter()
    results = submit_all(clients, bodies)
    elapsed = time.perf_counter() - start
    cpu, own = cpu_seconds(pids) - cpu, time.process_time() - own
    busy, total = (after - before for after, before in zip(machine_busy(), machine, strict=True))
    for c in clients:
        c.close()
    stored = [t for batch in results for status, t in batch if status == 303]
    refused = [sum(status == 429 for status, _ in batch) for batch in results]
    others = sorted({status for batch in results for status, _ in batch} - {303, 429})
    return {
        "get_rate": get_rate, "get_p99": p99(gets), "rate": len(stored) / elapsed, "p99": p99(stored), "stored": len(stored),
        "honest_429": sum(refused[:-1]), "max_429": max(refused[:-1]), "hammer_429": refused[-1], "hammer_sent": len(bodies[-1]),
        "cpu_ms": cpu / max(len(stored), 1) * 1000, "busy": busy / total, "others": others,
        "other_cpus": max(busy - cpu - own, 0) / elapsed,
    }  # fmt: skip


def upload_growth(base: str, workers: list[int], code: str, issue_no: int, megabytes: int) -> tuple[float, int]:
    """Workers' peak memory growth (MB) while a signed-in 承训单位 uploads one big 简报; (growth, status)."""
    client = Client(base, "127.0.0.1")
    client.sign_in_unit(code)
    big = PDF + os.urandom(megabytes * 1000 * 1000 - len(PDF))
    fields = {
        "csrf_token": client.token,
        "project_id": UNIT_PROJECT,
        "issue_no": str(issue_no),
        "title": "大文件",
        "issued_on": "2024-04-01",
    }
    body = multipart(fields, {"file": ("big.pdf", big)})
    statuses = []
    growth = peak_growth(workers, lambda: statuses.append(client.request("POST", "/briefings/", *body)[0]))
    client.close()
    return growth, statuses[0]


def run(args) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="load_forms_"))
    prefix = f"bench-{secrets.token_hex(4)}"
    with bench_database() as db_url, ExitStack() as stack:
        env = server_env(tmp, open_call_data(tmp), db_url, FORMS_PROXY_COUNT="1", REDIS_URL=args.redis,
                         FORMS_RATELIMIT_KEY_PREFIX=prefix, FORMS_SUBMIT_RATE_LIMIT=f"{args.limit} per minute")  # fmt: skip
        ports = [free_port(), free_port()]
        masters = [stack.enter_context(running(gunicorn(p, extra=args.extra), env, p)).pid for p in ports]
        one, two = tmp / "nginx-1", tmp / "nginx-2"
        bases = {
            "direct": f"http://127.0.0.1:{ports[0]}",
            "proxy1": stack.enter_context(https_proxy(one, ports[:1], free_port())),
            "proxy2": stack.enter_context(https_proxy(two, ports, free_port())),
        }
        workers = [children_of(m) for m in masters]
        pids = {"direct": workers[0], "proxy1": workers[0] + nginx_pids(one), "proxy2": workers[0] + workers[1] + nginx_pids(two)}
        print(f"{' '.join(gunicorn(0, extra=args.extra)[1:-1])} per instance; PostgreSQL and Redis on this machine; "
              f"{args.concurrency} clients + 1 hammering, limit {args.limit}/min per client; {os.cpu_count()} CPUs shared with the load generator")  # fmt: skip
        rounds: dict[str, list[dict]] = {name: [] for name in args.layouts}
        for repeat in range(args.repeats):
            for n, name in enumerate(args.layouts):
                r = one_round(bases[name], pids[name], f"127.{repeat + 1}.{n + 1}", args)
                rounds[name].append(r)
                print(f"run {repeat + 1} {name:7}: {r['rate']:5.0f} submissions/s, p99 {r['p99'] * 1000:5.0f} ms, {r['stored']} stored; "
                      f"429: {r['honest_429']} for the {args.concurrency} clients (max {r['max_429']} each), {r['hammer_429']}/{r['hammer_sent']} "
                      f"for the hammering one; CPU {r['cpu_ms']:.1f} ms/submission (app{' + nginx' if name != 'direct' else ''}), "
                      f"machine {r['busy']:.0%} busy, {r['other_cpus']:.2f} CPUs used by others (PostgreSQL, Redis, kernel, other jobs); GET / {r['get_rate']:.0f}/s p99 {r['get_p99'] * 1000:.0f} ms"
                      + (f"; other statuses {r['others']}" if r["others"] else ""))  # fmt: skip
        summarize(rounds, args)
        code = issue_unit_code(env)
        for n, name in enumerate(args.layouts):
            growth, status = upload_growth(bases[name], pids[name], code, 1 + n + secrets.randbelow(90), args.upload_mb)
            print(f"{name:7}: peak memory growth while a signed-in 承训单位 uploads {args.upload_mb} MB: {growth:.1f} MB (status {status})")
    shutil.rmtree(tmp, ignore_errors=True)
    _clean_redis(args.redis, prefix)


def summarize(rounds: dict[str, list[dict]], args) -> None:
    print(f"\nover {args.repeats} runs (min / median):")
    print("layout  | submissions/s | p99 ms    | 429 per client (50 clients; hammering one) | CPU ms/submission")
    for name, runs in rounds.items():
        rates, lat, cpu = [r["rate"] for r in runs], [r["p99"] * 1000 for r in runs], [r["cpu_ms"] for r in runs]
        honest = max(r["max_429"] for r in runs)
        hammer = "/".join(str(r["hammer_429"]) for r in runs)
        print(f"{name:7} | {min(rates):5.0f} / {statistics.median(rates):5.0f} | {min(lat):4.0f} / {statistics.median(lat):4.0f} | "
              f"max {honest} each; {hammer} of {runs[0]['hammer_sent']} | {min(cpu):.1f} / {statistics.median(cpu):.1f}")  # fmt: skip


def _clean_redis(url: str, prefix: str) -> None:
    import redis

    store = redis.Redis.from_url(url)
    if keys := list(store.scan_iter(f"*{prefix}*")):
        store.delete(*keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=1000, help="申报 submissions per round by the 50 clients")
    parser.add_argument("--concurrency", type=int, default=50, help="concurrent clients (each from its own address)")
    parser.add_argument("--repeats", type=int, default=3, help="rounds per layout, interleaved")
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated, of: " + ", ".join(LAYOUTS))
    parser.add_argument("--limit", type=int, default=30, help="submissions a minute per client (production: 30)")
    parser.add_argument("--upload-mb", type=int, default=50, help="size of the big 简报 upload in MB")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--gunicorn-args", default="", help='extra gunicorn options, e.g. "--worker-class gthread --threads 4"')
    args = parser.parse_args()
    args.layouts, args.extra = args.layouts.split(","), tuple(args.gunicorn_args.split())
    if (per_client := -(-args.submissions // args.concurrency) + 1) > args.limit:
        parser.error(f"each client would send {per_client} submissions, over the limit of {args.limit} a minute")
    run(args)


if __name__ == "__main__":
    main()
