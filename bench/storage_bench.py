"""Where attachments live: a folder all instances share, or a bytea column in PostgreSQL.

Stores and reads back a 10 MB file (random bytes, as a scanned PDF is) the way each would:
the folder as the app writes uploads (1 MB chunks into a new file, renamed into place; once
without and once with fsync, since a PostgreSQL commit is durable and the app's rename is not),
PostgreSQL as one INSERT of the whole file committed, and one SELECT. Prints min / median MB/s
over the repeats and the WAL PostgreSQL wrote per file (what streaming replicas and WAL archives
carry). Reads come from memory in both (the file was just written), as a download soon after an
upload does. Usage: .venv/bin/python bench/storage_bench.py [--mb 10] [--repeats 10] [--dir PATH]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from pathlib import Path

PG_ADMIN = os.environ.get("FORMS_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
CHUNK = 1024 * 1024


def folder_round(folder: Path, data: bytes, durable: bool) -> tuple[float, float]:
    """(store, read) seconds for one file in `folder`."""
    part, final = folder / f"{secrets.token_hex(16)}.part", folder / f"{secrets.token_hex(16)}.pdf"
    start = time.perf_counter()
    with open(part, "wb") as out:
        for at in range(0, len(data), CHUNK):
            out.write(data[at : at + CHUNK])
        if durable:
            out.flush()
            os.fsync(out.fileno())
    os.replace(part, final)
    if durable:
        fd = os.open(folder, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
    stored = time.perf_counter() - start
    start = time.perf_counter()
    with open(final, "rb") as fh:
        while fh.read(CHUNK):
            pass
    read = time.perf_counter() - start
    final.unlink()
    return stored, read


def database_round(conn, data: bytes) -> tuple[float, float, float, int]:
    """(store, read as text — hex, as SQLAlchemy reads it —, read as binary) seconds for one file
    in a bytea row, and the WAL bytes its commit wrote."""
    wal = conn.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]
    start = time.perf_counter()
    row = conn.execute("INSERT INTO bench_files (data) VALUES (%s) RETURNING id", (data,)).fetchone()[0]
    conn.commit()
    stored = time.perf_counter() - start
    wal_bytes = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), %s)", (wal,)).fetchone()[0]
    conn.commit()
    start = time.perf_counter()
    got = conn.execute("SELECT data FROM bench_files WHERE id = %s", (row,)).fetchone()[0]
    conn.commit()
    read = time.perf_counter() - start
    start = time.perf_counter()
    got_binary = conn.cursor(binary=True).execute("SELECT data FROM bench_files WHERE id = %s", (row,)).fetchone()[0]
    conn.commit()
    read_binary = time.perf_counter() - start
    assert len(got) == len(got_binary) == len(data)
    conn.execute("DELETE FROM bench_files WHERE id = %s", (row,))
    conn.commit()
    return stored, read, read_binary, int(wal_bytes)


def peak_growth_mb(action) -> float:
    """This process's peak RSS growth (MB) while `action` runs: what a worker would hold per upload."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _status("VmRSS")
    action()
    return (_status("VmHWM") - before) / 1024


def _status(key: str) -> int:
    return next(int(line.split()[1]) for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(key + ":"))


def rate(mb: float, seconds: list[float]) -> str:
    speeds = [mb / s for s in seconds]
    return f"{min(speeds):6.0f} / {statistics.median(speeds):6.0f} MB/s"


def main() -> None:
    import psycopg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=10, help="file size in MB")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument(
        "--dir", type=Path, default=Path(__file__).resolve().parent.parent, help="where the folder is made (a disk, not tmpfs)"
    )
    args = parser.parse_args()
    data = os.urandom(args.mb * 1000 * 1000)
    name = f"guopei_storage_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(PG_ADMIN.rsplit("/", 1)[0] + "/" + name) as conn, tempfile.TemporaryDirectory(dir=args.dir) as tmp:
            conn.execute("CREATE TABLE bench_files (id serial PRIMARY KEY, data bytea NOT NULL)")
            conn.commit()
            results = {"folder": [], "folder+fsync": [], "bytea": [], "bytea binary": []}
            wal = []
            for _ in range(args.repeats):  # interleaved, so a busy moment hits all three alike
                results["folder"].append(folder_round(Path(tmp), data, durable=False))
                results["folder+fsync"].append(folder_round(Path(tmp), data, durable=True))
                stored, read, read_binary, wal_bytes = database_round(conn, data)
                results["bytea"].append((stored, read))
                results["bytea binary"].append((stored, read_binary))
                wal.append(wal_bytes)
            print(
                f"{args.mb} MB file, {args.repeats} repeats, min / median; folder in {args.dir} ({os.statvfs(args.dir).f_bsize} B blocks)"
            )
            print("storage      | store (upload)       | read (download)")
            for label, pairs in results.items():
                print(f"{label:12} | {rate(args.mb, [p[0] for p in pairs])} | {rate(args.mb, [p[1] for p in pairs])}")
            print(f"WAL written per stored file: {statistics.median(wal) / 1e6:.1f} MB (median)")
            folder_mb = peak_growth_mb(lambda: folder_round(Path(tmp), data, durable=True))
            bytea_mb = peak_growth_mb(lambda: database_round(conn, data))
            print(f"peak memory growth per file, beyond the file itself: folder {folder_mb:.1f} MB, bytea {bytea_mb:.1f} MB")
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
