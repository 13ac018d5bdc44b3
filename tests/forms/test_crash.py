"""Crash-proof start and storage: uploads racing the start-up sweep, workers killed mid-upload, file modes.

The sweep runs in every starting worker while the other workers keep uploading, so files come
and go under it. It must never stop a worker booting (gunicorn's master then shuts the server
down), must remove a dead request's leftovers at once, and must never remove a file a live
request is writing, holding or about to commit.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import random
import re
import signal
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
import sqlalchemy as sa
from conftest import make_config
from form_inputs import PDF, application_form
from itsdangerous import URLSafeTimedSerializer
from servers import free_port, gunicorn, running, server_env
from werkzeug.datastructures import FileStorage

from forms_app import _sweep_leftovers, attachments, create_app, storage
from forms_app.database import db
from forms_app.models import Attachment

PRIVATE_LINK = re.compile(r'id="private-link"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PENDING_TOKEN = re.compile(r'name="pdf_file_pending" value="([^"]+)"')


def uploads(app) -> Path:
    return Path(app.instance_path) / "uploads"


def names(folder: Path) -> set[str]:
    return set(os.listdir(folder))


def pdf(tag: str, size: int = 0) -> bytes:
    return PDF + tag.encode() + b"\n%" + b"x" * size + b"\n"


def as_upload(content: bytes, name: str = "盖章.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- (a) the sweep against files that come and go -------------------------------------------


# Another process makes, renames and removes upload files as fast as it can: dead writers'
# parts, uploads being published, unreferenced files, strays (a file, a folder). It counts how
# often the sweep was first, to show the two really raced.
CHURN = r"""
import os, random, secrets, signal, sys

pending, files, rounds = sys.argv[1], sys.argv[2], sys.argv[3]
rng, beaten, done = random.Random(1), 0, 0


def report(*_):
    print(beaten, flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, report)
while True:
    ids = [secrets.token_hex(16) for _ in range(200)]
    for i in ids:
        open(os.path.join(pending, i + ".part"), "wb").close()
        open(os.path.join(files, i + ".pdf"), "wb").close()
    open(os.path.join(pending, "stray.tmp"), "wb").close()
    os.makedirs(os.path.join(pending, "stray-folder"), exist_ok=True)
    for i in ids:
        part = os.path.join(pending, i + ".part")
        try:
            if rng.random() < 0.5:
                os.replace(part, os.path.join(pending, i))
            else:
                os.unlink(part)
        except FileNotFoundError:
            beaten += 1
        try:
            os.unlink(os.path.join(files, i + ".pdf"))
        except FileNotFoundError:
            beaten += 1
    for i in ids:
        try:
            os.unlink(os.path.join(pending, i))
        except FileNotFoundError:
            pass
    try:
        os.rmdir(os.path.join(pending, "stray-folder"))
    except FileNotFoundError:
        pass
    done += 1
    with open(rounds, "w") as out:
        out.write(str(done))
"""


def test_sweep_survives_files_renamed_and_removed_under_it(app):
    """The sweep runs again and again while another process renames and removes files under it: it never raises."""
    base, rounds = uploads(app), Path(app.instance_path).parent / "churn-rounds"
    rounds.write_text("0")
    argv = [sys.executable, "-c", CHURN, str(base / "pending"), str(base / "files"), str(rounds)]
    churn = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    try:
        sweeps = 0
        while sweeps < 500 or int(rounds.read_text() or 0) < 30:
            attachments.sweep(base, set, now=time.time() + 10 * 24 * 3600, grace=0)  # everything counts as old
            sweeps += 1
    finally:
        churn.send_signal(signal.SIGTERM)
        beaten = churn.communicate(timeout=30)[0]
    assert churn.returncode == 0 and int(beaten) > 0
    # Folders that are not there at all (removed under a starting worker) are no error either.
    assert attachments.sweep(base / "missing", set) == []


def test_dead_writers_leftovers_go_at_once_live_ones_stay(app):
    """Real dead writers: forked children that upload, or move a file into place, and are killed -9."""
    base = uploads(app)

    def die_after(step) -> None:
        pid = os.fork()
        if pid == 0:  # the child: a worker killed in the middle of a request
            try:
                with app.test_request_context():
                    step()
                    os.kill(os.getpid(), signal.SIGKILL)  # before the request ends
            finally:
                os.kill(os.getpid(), signal.SIGKILL)
        os.waitpid(pid, 0)

    def placed_not_committed():
        attachments.Placement().place(attachments.receive(as_upload(pdf("placed")), "pdf"))

    die_after(lambda: attachments.receive(as_upload(pdf("part")), "pdf"))
    die_after(placed_not_committed)
    dead_part = {n for n in names(base / "pending") if n.endswith(".part")}
    dead_placed = names(base / "files")
    assert len(dead_part) == 1 and len(dead_placed) == 1

    with app.test_request_context():  # a live request, on the other hand, holding both kinds
        live = attachments.receive(as_upload(pdf("live")), "pdf")
        placing = attachments.Placement()
        live_placed = placing.place(attachments.receive(as_upload(pdf("live placed")), "pdf"))
        with app.app_context():
            _sweep_leftovers(app)  # a worker starting meanwhile, with the real database
        assert names(base / "pending") == {f"{live.id}.part"}
        assert names(base / "files") == {live_placed}
        handed_out = live.token()
    # The request ended: its token went out, so the file waits for the re-shown form;
    # the placed file was never committed, so the next start removes it.
    assert names(base / "pending") == {live.id}
    with app.app_context():
        _sweep_leftovers(app)
    assert names(base / "pending") == {live.id} and names(base / "files") == set()
    with app.test_request_context():
        assert attachments.from_token(handed_out, "pdf") == live


def test_live_uploads_and_commits_race_the_sweep(app):
    """Writer threads run the real upload → place → commit path while the real start-up sweep runs in a loop.

    Nothing a live request writes, holds or commits is touched; at the end, files and rows match
    exactly and the pending area holds only what was handed out in a token and not used.
    """
    base, lock = uploads(app), threading.Lock()
    committed: dict[str, str] = {}  # stored name -> sha256
    published: set[str] = set()
    errors: list[BaseException] = []
    done = threading.Event()

    def commit(pending):
        with storage.stored_together() as placement:
            row = storage.attach(placement, pending)
        with lock:
            committed[row.stored_name] = pending.sha256

    def writer(seed: int):
        rng = random.Random(seed)
        try:
            for i in range(50):
                content = pdf(f"{seed}-{i}", rng.randrange(0, 300_000))
                token = None
                with app.test_request_context():
                    pending = attachments.receive(as_upload(content), "pdf")
                    action = rng.choice(["commit", "hand out", "hand out and use", "drop", "fail"])
                    if action == "commit":
                        commit(pending)
                    elif action.startswith("hand out"):
                        token = pending.token()
                    elif action == "fail":
                        with pytest.raises(RuntimeError), storage.stored_together() as placement:
                            storage.attach(placement, pending)
                            raise RuntimeError("the commit fails")
                assert not (base / "pending" / f"{pending.id}.part").exists()
                if action == "hand out":
                    with lock:
                        published.add(pending.id)
                elif action == "hand out and use":
                    with app.test_request_context():
                        found = attachments.from_token(token, "pdf")
                        assert found == pending
                        commit(found)
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(writer, seed) for seed in range(3)]
        threading.Thread(target=lambda: ([f.result() for f in futures], done.set())).start()
        sweeps = 0
        while not done.is_set():
            with app.app_context():
                _sweep_leftovers(app)
            sweeps += 1
    assert errors == [] and sweeps > 20
    with app.app_context():
        _sweep_leftovers(app)
        rows = {a.stored_name: a.sha256 for a in db.session.scalars(sa.select(Attachment))}
    assert rows == committed
    assert names(base / "files") == set(committed)
    for name, digest in committed.items():
        assert sha((base / "files" / name).read_bytes()) == digest
    assert names(base / "pending") == published


# --- (b) a real server, workers killed with -9 during uploads and submissions -----------------

CLIENTS = 6
KILLS = 12


def workers_of(master: int) -> list[int]:
    """The gunicorn master's children (its workers), from /proc."""
    pids = []
    for task in Path(f"/proc/{master}/task").iterdir():
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except FileNotFoundError:
            pass
    return pids


class Outcomes:
    """What the clients were told, and what they could not know."""

    def __init__(self, secret: str) -> None:
        self.lock = threading.Lock()
        self.acknowledged: dict[str, dict] = {}  # 受理编号 -> project name, the current PDF's possible sha256s
        self.attempted_pdfs: dict[str, set[str]] = {}  # project name -> every PDF sha sent for it
        self.abandoned_pending: set[str] = set()  # pending ids whose token the client got, then could not use
        self.unknown_reshown = 0  # re-shown forms whose answer was lost: a token may have gone out unseen
        self.answers = 0  # POSTs answered: the server is making progress
        self.errors: list[str] = []
        self.counter = itertools.count()
        self.tokens = URLSafeTimedSerializer(secret, salt="pending-upload")


def get_with_retry(http: requests.Session, url: str) -> requests.Response:
    for _ in range(20):
        try:
            return http.get(url, timeout=30)
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"no answer from {url}")


def one_submission(base: str, out: Outcomes, rng: random.Random) -> None:
    """One applicant: submit (directly, or via a re-shown form and its kept file), maybe replace the PDF."""
    n = next(out.counter)
    project = f"崩溃测试项目 {n}"
    content = pdf(f"n{n}", rng.randrange(0, 2_000_000))
    with out.lock:
        out.attempted_pdfs[project] = {sha(content)}
    form = application_form(leader_email=f"crash{n}@example.com", leader_phone=f"137{n:08d}", project_name=project)
    files = {"pdf_file": (f"盖章{n}.pdf", content, "application/pdf")}
    with requests.Session() as http:
        form["csrf_token"] = CSRF.search(get_with_retry(http, base + "/apply/").text).group(1)
        if rng.random() < 0.3:  # first sent with a mistake: the form comes back holding the file
            try:
                page = http.post(base + "/apply/", data={**form, "leader_email": ""}, files=files, timeout=30)
            except requests.RequestException:
                with out.lock:
                    out.unknown_reshown += 1
                return
            assert page.status_code == 422, page.status_code
            out.answers += 1
            token = PENDING_TOKEN.search(page.text).group(1)
            form["pdf_file_pending"], files = token, {}
        try:
            answer = http.post(base + "/apply/", data=form, files=files, allow_redirects=False, timeout=30)
        except requests.RequestException:
            if "pdf_file_pending" in form:
                with out.lock:
                    out.abandoned_pending.add(out.tokens.loads(form["pdf_file_pending"])["id"])
            return
        assert answer.status_code == 303, (answer.status_code, answer.text[:500])
        out.answers += 1
        receipt_url = urljoin(base, answer.headers["Location"]).split("?")[0]
        receipt = get_with_retry(http, receipt_url)
        assert PRIVATE_LINK.search(receipt.text), receipt.text[:500]  # the application's own page
        with out.lock:
            out.acknowledged[project] = {"project": project, "pdf": {sha(content)}}
        if rng.random() < 0.3:  # and replaces the stamped PDF
            new = pdf(f"n{n} replaced", rng.randrange(0, 1_000_000))
            with out.lock:  # if the answer is lost, either PDF may be the current one
                out.attempted_pdfs[project].add(sha(new))
                out.acknowledged[project]["pdf"].add(sha(new))
            again = {**form, "csrf_token": CSRF.search(receipt.text).group(1)}
            again.pop("pdf_file_pending", None)
            try:  # the same application sent again from its link, with a new PDF
                answer = http.post(receipt_url, data=again, files={"pdf_file": ("新.pdf", new, "application/pdf")},
                                   allow_redirects=False, timeout=30)  # fmt: skip
            except requests.RequestException:
                return
            assert answer.status_code == 303, answer.status_code
            with out.lock:
                out.acknowledged[project]["pdf"] = {sha(new)}


def client_loop(base: str, out: Outcomes, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        try:
            one_submission(base, out, rng)
        except Exception as exc:  # noqa: BLE001  (collected; the test fails on any)
            out.errors.append(repr(exc))
            return


def all_booted(master: int, workers: int = 2) -> bool:
    """Whether every worker has loaded the app and serves.

    gunicorn's master keeps each worker's heartbeat file open; a worker touches it with
    `time.monotonic()` stamps (small numbers, unlike the wall-clock stamp it was made with)
    only from its serving loop on, after the app loaded.
    """
    stamps = []
    for fd in os.listdir(f"/proc/{master}/fd"):
        try:
            if "wgunicorn-" in os.readlink(f"/proc/{master}/fd/{fd}"):
                stamps.append(os.stat(f"/proc/{master}/fd/{fd}").st_mtime)
        except FileNotFoundError:
            pass
    return len(stamps) == workers and all(stamp < 10**9 for stamp in stamps)


def kill_workers(master, kills: int, out: Outcomes, rng: random.Random) -> int:
    """kill -9 workers `kills` times while the clients upload and submit.

    Mostly a serving worker mid-request, once both serve and the clients got answers since the
    last kill; sometimes also its replacement while it boots (and sweeps), the other one serving.
    """
    done = 0

    def kill(victim: int) -> int | None:
        """Kill `victim`; the replacement's pid once the master has forked it (None if it did not)."""
        nonlocal done
        before = set(workers_of(master.pid))
        os.kill(victim, signal.SIGKILL)
        done += 1
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and master.poll() is None:
            new = set(workers_of(master.pid)) - before
            if new and victim not in workers_of(master.pid):
                return new.pop()
            time.sleep(0.02)
        return None

    while done < kills and master.poll() is None:
        answered, deadline = out.answers, time.monotonic() + 60
        while time.monotonic() < deadline and not (out.answers >= answered + 2 and all_booted(master.pid)):
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.3))
        replacement = kill(rng.choice(workers_of(master.pid)))
        if replacement and done < kills and rng.random() < 0.5:
            time.sleep(rng.uniform(0.05, 2.0))
            kill(replacement)
    return done


def rows_of(db_url: str) -> tuple[dict, list]:
    engine = sa.create_engine(db_url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as conn:
            apps = {r.id: r for r in conn.execute(sa.text("SELECT id, receipt_no, project_name FROM applications"))}
            atts = list(conn.execute(sa.text("SELECT application_id, kind, stored_name, sha256, replaced_at FROM attachments")))
    finally:
        engine.dispose()
    return apps, atts


def test_workers_killed_during_uploads_lose_nothing_and_leave_nothing(tmp_path, open_data_dir, db_url):
    port, instance = free_port(), tmp_path / "instance"
    env = server_env(tmp_path, open_data_dir, db_url, FORMS_RATELIMIT_ENABLED="false")
    stop, rng = threading.Event(), random.Random(7)
    with running(gunicorn(port), env, port) as master:
        base = f"http://127.0.0.1:{port}"
        out = Outcomes((instance / "secret_key").read_text().strip())
        clients = [threading.Thread(target=client_loop, args=(base, out, stop, seed)) for seed in range(CLIENTS)]
        for thread in clients:
            thread.start()
        try:
            kills = kill_workers(master, KILLS, out, rng)
        finally:
            stop.set()
            for thread in clients:
                thread.join()
        assert master.poll() is None, "gunicorn's master shut down"
        assert kills == KILLS and out.errors == []
        one_submission(base, out, random.Random(0))  # and it still serves
    log = (tmp_path / f"server-{port}.log").read_text()
    assert "Worker failed to boot" not in log and "sweeping leftover uploads failed" not in log

    left_by_kills = len(names(instance / "uploads" / "pending")), len(names(instance / "uploads" / "files"))
    app = create_app(make_config(tmp_path, open_data_dir, db_url))  # a restart: its sweep sees what the kills left
    with app.app_context():
        db.engine.dispose()
    apps, atts = rows_of(db_url)
    by_project = {a.project_name: a for a in apps.values()}
    files = instance / "uploads" / "files"
    assert len(out.acknowledged) >= KILLS
    for receipt_no, sent in out.acknowledged.items():  # nothing acknowledged is lost
        application = by_project[sent["project"]]
        assert application.project_name == sent["project"]
        current = [a for a in atts if a.application_id == application.id and a.kind == "pdf" and a.replaced_at is None]
        assert len(current) == 1 and current[0].sha256 in sent["pdf"], receipt_no
    project_of = {a.id: a.project_name for a in apps.values()}
    for application_id in apps:  # stored whole or not at all, acknowledged or not
        current = [a for a in atts if a.application_id == application_id and a.kind == "pdf" and a.replaced_at is None]
        assert len(current) == 1 and current[0].sha256 in out.attempted_pdfs[project_of[application_id]]
    for a in atts:  # every row has its file, readable and whole
        assert sha((files / a.stored_name).read_bytes()) == a.sha256
    assert names(files) == {a.stored_name for a in atts}  # and no file without its row
    left = names(instance / "uploads" / "pending")
    assert not any(n.endswith(".part") for n in left)
    unexplained = left - out.abandoned_pending  # tokens that went out in answers the kills cut off
    assert len(unexplained) <= out.unknown_reshown, (left, out.abandoned_pending, out.unknown_reshown)
    print(
        f"kills={kills} acknowledged={len(out.acknowledged)} rows={len(apps)} removed by workers' starts={log.count('removed leftover upload')}"
        f" pending/files before the restart={left_by_kills} after={len(left)}/{len(atts)}"
    )


# --- (c) who may read the instance files -------------------------------------------------------


def modes_under(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def assert_private(folder: Path) -> None:
    for name, mode in modes_under(folder).items():
        expected = 0o700 if (folder / name).is_dir() else 0o600
        assert mode == expected, f"{name}: {mode:o}"


def test_instance_files_are_private_whatever_the_umask(tmp_path, open_data_dir, db_url):
    """A production start under umask 000: key, database (and -wal/-shm), uploads and folders are the owner's only."""
    port, instance = free_port(), tmp_path / "instance"
    sqlite = db_url.startswith("sqlite")
    env = server_env(tmp_path, open_data_dir, "" if sqlite else db_url, FORMS_RATELIMIT_ENABLED="false")
    with ExitStack() as stack:
        old = os.umask(0)
        try:
            stack.enter_context(running(gunicorn(port), env, port))
        finally:
            os.umask(old)
        with requests.Session() as http:
            form = application_form(csrf_token=CSRF.search(http.get(f"http://127.0.0.1:{port}/apply/", timeout=30).text).group(1))
            files = {"pdf_file": ("盖章.pdf", PDF, "application/pdf")}
            assert (
                http.post(f"http://127.0.0.1:{port}/apply/", data=form, files=files, allow_redirects=False, timeout=30).status_code == 303
            )
        found = modes_under(instance)
        assert "secret_key" in found and len(os.listdir(instance / "uploads" / "files")) == 1
        if sqlite:
            assert {"forms.sqlite3", "forms.sqlite3-wal", "forms.sqlite3-shm"} <= set(found)
        assert_private(instance)


def test_an_older_install_is_made_private_at_start(make_app, tmp_path, db_url):
    """Modes an earlier version left (0755 folders, 0644 key and database) are fixed when the app starts."""
    instance = tmp_path / "instance"
    for folder in (instance, instance / "uploads", instance / "uploads" / "pending", instance / "uploads" / "files"):
        folder.mkdir(mode=0o755, exist_ok=True)
        folder.chmod(0o755)
    (instance / "secret_key").write_text("an old key")
    (instance / "secret_key").chmod(0o644)
    if db_url.startswith("sqlite"):
        db_url = f"sqlite:///{instance / 'forms.sqlite3'}"
        (instance / "forms.sqlite3").touch()
        (instance / "forms.sqlite3").chmod(0o644)
    app = make_app(SECRET_KEY=None, DATABASE_URL=db_url)
    assert app.secret_key == "an old key"
    assert_private(instance)
