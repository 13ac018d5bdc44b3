"""Uploaded files: type checked by content, kept in a pending area, moved into place at commit.

Layout under the instance folder (never served as static files; folders 0700, files 0600):
    uploads/pending/<id>.part an upload a request is writing or holding: in flight
    uploads/pending/<id>      a checked upload whose token went back in a re-shown form; it
                              waits there for its record up to PENDING_MAX_AGE
    uploads/files/<uuid>.<t>  files that belong to a committed record

Crash safety. A request holds an exclusive `flock` on every file it wrote or took up from a
token, from the moment it exists until the request ends — after the request's transaction has
committed or rolled back, whichever way the file went (moved into files/, or back to pending/).
The kernel drops a killed worker's locks, so the start-up sweep tells a dead request's
leftovers (it gets the lock) from a live one's (it does not) and removes them at once:
an in-flight `.part`, or a file in files/ that no committed row names. A file another worker
moved into place and is about to commit stays locked until that commit, and the sweep looks
at the database again after taking a file's lock, so it never removes a file that is being
committed. Only names it cannot attribute wait `grace` seconds.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import secrets
import stat
import time
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app, g
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import office_zip, private

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
PENDING_MAX_AGE = 24 * 3600
PENDING_NAME = re.compile(r"[0-9a-f]{32}")
LOCK_BATCH = 256  # files the sweep holds locked at once while it asks the database about them
MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
}
ALLOWED = {"word": {"doc", "docx"}, "pdf": {"pdf"}, "briefing": {"pdf", "doc", "docx", "png", "jpg"}, "completion": {"pdf", "doc", "docx"}}
ALLOWED_TEXT = {"word": "Word 文档（.doc 或 .docx）", "pdf": "PDF 文件", "briefing": "PDF、Word 文档或图片（PNG、JPEG）",
                "completion": "PDF 或 Word 文档"}  # fmt: skip
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
WORD_STREAM = "WordDocument".encode("utf-16-le")


class UploadError(ValueError):
    """A file the applicant must fix; the message is shown beside the field."""


@dataclass
class Pending:
    """A checked upload waiting in the pending area, carried across requests by a signed token."""

    id: str
    kind: str
    name: str
    file_type: str
    size: int
    sha256: str

    def token(self) -> str:
        """The signed token for a re-shown form; the file then outlives this request (see `_release`)."""
        if held := _held().get(self.id):
            held.handed_out = True
        return _serializer().dumps(self.__dict__)


@dataclass
class _Held:
    """A file this request holds locked: where it is now, and whether its token went out."""

    fd: int
    path: Path
    handed_out: bool = False


def root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def init_app(app) -> None:
    """Create the upload folders (0700) and release each request's files when it ends."""
    base = Path(app.instance_path) / "uploads"
    for folder in (base, base / "pending", base / "files"):
        private.make_dir(folder)
    # Both: a request inside an outer app context (tests, CLI) ends before that context does.
    app.teardown_request(_release)
    app.teardown_appcontext(_release)


def _held() -> dict[str, _Held]:
    """The files the current request holds, by pending id."""
    return g.setdefault("_held_uploads", {})


def _release(_exc: BaseException | None = None) -> None:
    """At the end of a request: publish the files whose token went out, remove the other unplaced ones, unlock.

    Runs before the response is sent, so a token the client can see always names a published file.
    """
    held = g.pop("_held_uploads", None) or {}
    for pending_id, entry in held.items():
        try:
            if entry.path.suffix == ".part":
                if entry.handed_out:
                    os.replace(entry.path, entry.path.with_suffix(""))
                else:  # nobody can name it: the request failed before it was stored or shown again
                    entry.path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not release pending upload %s: %s", pending_id, exc)
        finally:
            os.close(entry.fd)


def _same_file(fd: int, path: Path) -> bool:
    """Whether `path` still names the file open as `fd` (no one removed or replaced it)."""
    try:
        there = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (there.st_dev, there.st_ino) == (own.st_dev, own.st_ino)


def _create_locked(folder: Path) -> tuple[str, int, Path]:
    """A new empty `<id>.part` in `folder`, 0600, already under this request's lock: (id, fd, path)."""
    while True:
        pending_id = secrets.token_hex(16)
        path = folder / f"{pending_id}.part"
        fd = private.create_file(path, exclusive=True)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # may wait an instant: a sweep holds a lock only to unlink
        except BaseException:
            os.close(fd)
            raise
        if _same_file(fd, path):
            return pending_id, fd, path
        # A starting worker's sweep took the file for a dead writer's in the instant between
        # creating and locking it, and removed it. Nothing was written yet: start over.
        os.close(fd)


def _try_lock(path: Path) -> int | None:
    """Open and lock a regular file without waiting: its fd, or None if gone or held by a live request."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    if not _same_file(fd, path):
        os.close(fd)
        return None
    return fd


def sniff(path: Path) -> str | None:
    """The file's real type from its first bytes ('pdf', 'docx', 'doc', 'png', 'jpg') or None."""
    with open(path, "rb") as fh:
        return sniff_file(fh)


def sniff_file(fh: BinaryIO) -> str | None:
    """`sniff` for an open file (read from the start; its position moves).

    Raises UploadError for a zip outside `office_zip`'s limits: its directory is read only within them.
    """
    fh.seek(0)
    head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        if problems := office_zip.problems(fh):
            raise UploadError(problems[0])
        try:
            with zipfile.ZipFile(fh) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else None
        except zipfile.BadZipFile:
            return None
    if head.startswith(OLE2) and _contains(fh, WORD_STREAM):
        return "doc"
    return None


def _contains(fh: BinaryIO, needle: bytes) -> bool:
    tail = b""
    fh.seek(0)
    while chunk := fh.read(CHUNK):
        if needle in tail + chunk:
            return True
        tail = chunk[-len(needle) :]
    return False


def receive(upload, kind: str) -> Pending:
    """Write an uploaded file to the pending area and check it; raise UploadError if unfit.

    The file stays `<id>.part`, locked, until the request ends (see the module's notes).
    """
    limit = current_app.config["FILE_MAX_BYTES"]
    pending_id, fd, part = _create_locked(root() / "pending")
    _held()[pending_id] = _Held(fd, part)
    digest, size = hashlib.sha256(), 0
    try:
        # Written and read through the locked descriptor only: where flock is emulated with POSIX
        # locks (NFS), closing any other descriptor of the file would drop the lock.
        with open(fd, "w+b", closefd=False) as out:
            while chunk := upload.stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadError(f"文件超过 {limit // (1024 * 1024)} MB 的上限，请压缩后重新上传。")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            if size == 0:
                raise UploadError("文件是空的，请重新选择。")
            file_type = sniff_file(out)
        if file_type not in ALLOWED[kind]:
            raise UploadError(f"文件内容不是{ALLOWED_TEXT[kind]}（按文件内容判断，与文件名无关），请重新选择。")
    except BaseException:
        del _held()[pending_id]
        part.unlink(missing_ok=True)
        os.close(fd)
        raise
    name = _clean_name(upload.filename or "", file_type)
    return Pending(pending_id, kind, name, file_type, size, digest.hexdigest())


def _clean_name(name: str, file_type: str) -> str:
    """A display name for downloads: the applicant's name without paths or control characters."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", name).strip()[-120:] or "附件"
    return name if name.lower().endswith("." + file_type) else f"{name}.{file_type}"


def from_token(token: str, kind: str) -> Pending | None:
    """The pending upload a hidden form field points to, if the token is genuine and the file still there.

    The file is then held (locked) by this request. A file another request holds right now (the
    same form sent twice at once) counts as gone: never wait for a lock while holding the database.
    """
    try:
        data = _serializer().loads(token, max_age=PENDING_MAX_AGE)
        pending = Pending(**data)
    except (BadSignature, TypeError):
        return None
    if pending.kind != kind or not PENDING_NAME.fullmatch(pending.id):
        return None
    if pending.id in _held():
        return pending
    return pending if _take(pending.id) else None


def _take(pending_id: str) -> _Held | None:
    """Lock a published pending file for this request."""
    path = root() / "pending" / pending_id
    fd = _try_lock(path)
    if fd is None:
        return None
    entry = _held()[pending_id] = _Held(fd, path, handed_out=True)
    return entry


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="pending-upload")


class Placement:
    """Moves pending files into place for one transaction, and takes them away again if it fails.

    The request keeps each file locked until it ends, after the commit or the rollback.
    """

    def __init__(self) -> None:
        self.placed: list[tuple[_Held, Path, Path]] = []

    def place(self, pending: Pending) -> str:
        """Move one pending file into files/ under a generated name; return that name."""
        entry = _held().get(pending.id) or _take(pending.id)
        if entry is None:
            raise FileNotFoundError(f"pending upload {pending.id}")
        stored = f"{uuid.uuid4().hex}.{pending.file_type}"
        source, target = entry.path, root() / "files" / stored
        os.replace(source, target)
        entry.path = target
        self.placed.append((entry, source, target))
        return stored

    def undo(self) -> None:
        """Put the files back in the pending area (the form may be shown again with them)."""
        for entry, source, target in reversed(self.placed):
            if _same_file(entry.fd, target):
                os.replace(target, source)
                entry.path = source
        self.placed.clear()


def path_of(stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name):
        raise FileNotFoundError(stored_name)
    return root() / "files" / stored_name


def sweep(base: Path, referenced: Callable[[], set[str]], now: float | None = None, grace: float = 3600) -> list[Path]:
    """Remove what dead requests left behind; return what went. Never raises for files that come and go.

    `referenced()` returns the stored names committed rows point to, from a new transaction on
    each call. Removed at once: `.part` files no live request holds; files in files/ that no
    committed row names and no live request holds. Published pending files go after
    PENDING_MAX_AGE; names that fit no pattern after `grace` seconds. Live workers keep
    uploading meanwhile: a file may vanish or be renamed between listing and looking at it.
    """
    now = time.time() if now is None else now
    removed: list[Path] = []
    _sweep_pending(base / "pending", now, grace, removed)
    _sweep_files(base / "files", referenced, removed)
    for path in removed:
        log.warning("removed leftover upload %s", path)
    return removed


def _listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []
    except OSError as exc:
        log.warning("cannot list %s: %s", folder, exc)
        return []


def _age(path: Path, now: float) -> float:
    return now - os.stat(path, follow_symlinks=False).st_mtime


def _sweep_pending(folder: Path, now: float, grace: float, removed: list[Path]) -> None:
    for name in _listing(folder):
        path = folder / name
        try:
            stem, suffix = os.path.splitext(name)
            if suffix == ".part" and PENDING_NAME.fullmatch(stem):
                _remove_if_unheld(path, removed)  # in flight: only its live writer holds it
            elif PENDING_NAME.fullmatch(name):
                if _age(path, now) > PENDING_MAX_AGE:
                    _remove_if_unheld(path, removed)
            elif _age(path, now) > grace:  # not ours to attribute (an older version's, a stray file)
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue  # published, placed or removed by another worker meanwhile
        except OSError as exc:
            log.warning("cannot sweep %s: %s", path, exc)


def _remove_if_unheld(path: Path, removed: list[Path]) -> None:
    fd = _try_lock(path)
    if fd is None:
        return
    try:
        path.unlink()
        removed.append(path)
    finally:
        os.close(fd)


def _sweep_files(folder: Path, referenced: Callable[[], set[str]], removed: list[Path]) -> None:
    names = _listing(folder)
    if not names:
        return
    known = referenced()
    candidates = [name for name in names if name not in known]
    for start in range(0, len(candidates), LOCK_BATCH):
        locked: dict[str, int] = {}
        try:
            for name in candidates[start : start + LOCK_BATCH]:
                try:
                    if (fd := _try_lock(folder / name)) is not None:
                        locked[name] = fd
                except OSError as exc:
                    log.warning("cannot sweep %s: %s", folder / name, exc)
            if not locked:
                continue
            # A request unlocks its files only after its transaction ended; with the locks held,
            # a fresh look at the database is final for these files.
            known = referenced()
            for name in locked:
                if name in known:
                    continue
                try:
                    (folder / name).unlink()
                    removed.append(folder / name)
                except FileNotFoundError:
                    pass
                except OSError as exc:
                    log.warning("cannot sweep %s: %s", folder / name, exc)
        finally:
            for fd in locked.values():
                os.close(fd)
