"""Uploaded files: type checked by content, kept in a pending area, moved into place at commit.

Layout under the instance folder (never served as static files):
    uploads/pending/<id>      checked uploads waiting for their record (survive a re-shown form)
    uploads/pending/<id>.part an upload being written
    uploads/files/<uuid>.<t>  files that belong to a committed record
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
PENDING_MAX_AGE = 24 * 3600
MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "jpg": "image/jpeg",
}
ALLOWED = {"word": {"doc", "docx"}, "pdf": {"pdf"}, "briefing": {"pdf", "doc", "docx", "png", "jpg"}}
ALLOWED_TEXT = {"word": "Word 文档（.doc 或 .docx）", "pdf": "PDF 文件", "briefing": "PDF、Word 文档或图片（PNG、JPEG）"}
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
        return _serializer().dumps(self.__dict__)


def root() -> Path:
    return Path(current_app.instance_path) / "uploads"


def init_app(app) -> None:
    """Create the upload folders and sweep what an earlier crash may have left behind."""
    base = Path(app.instance_path) / "uploads"
    for sub in ("pending", "files"):
        (base / sub).mkdir(parents=True, exist_ok=True)


def sniff(path: Path) -> str | None:
    """The file's real type from its first bytes ('pdf', 'docx', 'doc', 'png', 'jpg') or None."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                return "docx" if "word/document.xml" in zf.namelist() else None
        except zipfile.BadZipFile:
            return None
    if head.startswith(OLE2) and _contains(path, WORD_STREAM):
        return "doc"
    return None


def _contains(path: Path, needle: bytes) -> bool:
    tail = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def receive(upload, kind: str) -> Pending:
    """Write an uploaded file to the pending area and check it; raise UploadError if unfit."""
    limit = current_app.config["FILE_MAX_BYTES"]
    pending_id = secrets.token_hex(16)
    part = root() / "pending" / f"{pending_id}.part"
    digest, size = hashlib.sha256(), 0
    try:
        with open(part, "wb") as out:
            while chunk := upload.stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UploadError(f"文件超过 {limit // (1024 * 1024)} MB 的上限，请压缩后重新上传。")
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise UploadError("文件是空的，请重新选择。")
        file_type = sniff(part)
        if file_type not in ALLOWED[kind]:
            raise UploadError(f"文件内容不是{ALLOWED_TEXT[kind]}（按文件内容判断，与文件名无关），请重新选择。")
        os.replace(part, part.with_suffix(""))
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    name = _clean_name(upload.filename or "", file_type)
    return Pending(pending_id, kind, name, file_type, size, digest.hexdigest())


def _clean_name(name: str, file_type: str) -> str:
    """A display name for downloads: the applicant's name without paths or control characters."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "", name).strip()[-120:] or "附件"
    return name if name.lower().endswith("." + file_type) else f"{name}.{file_type}"


def from_token(token: str, kind: str) -> Pending | None:
    """The pending upload a hidden form field points to, if the token is genuine and the file still there."""
    try:
        data = _serializer().loads(token, max_age=PENDING_MAX_AGE)
        pending = Pending(**data)
    except (BadSignature, TypeError):
        return None
    if pending.kind != kind or not re.fullmatch(r"[0-9a-f]{32}", pending.id):
        return None
    return pending if (root() / "pending" / pending.id).is_file() else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="pending-upload")


class Placement:
    """Moves pending files into place for one transaction, and takes them away again if it fails."""

    def __init__(self) -> None:
        self.placed: list[tuple[Path, Path]] = []

    def place(self, pending: Pending) -> str:
        """Move one pending file into files/ under a generated name; return that name."""
        stored = f"{uuid.uuid4().hex}.{pending.file_type}"
        source, target = root() / "pending" / pending.id, root() / "files" / stored
        os.replace(source, target)
        self.placed.append((source, target))
        return stored

    def undo(self) -> None:
        """Put the files back in the pending area (the form may be shown again with them)."""
        for source, target in self.placed:
            if target.exists():
                os.replace(target, source)
        self.placed.clear()


def path_of(stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.[a-z]{3,4}", stored_name):
        raise FileNotFoundError(stored_name)
    return root() / "files" / stored_name


def sweep(base: Path, referenced: set[str], now: float | None = None, grace: float = 3600) -> list[Path]:
    """Remove stale partial and pending uploads and files no record points to; return what went.

    Only files older than `grace` seconds go, so another worker's upload in flight is never touched.
    """
    now = time.time() if now is None else now
    removed = []
    for path in (base / "pending").iterdir():
        max_age = grace if path.suffix == ".part" else max(grace, PENDING_MAX_AGE)
        if now - path.stat().st_mtime > max_age:
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in (base / "files").iterdir():
        if path.name not in referenced and now - path.stat().st_mtime > grace:
            path.unlink(missing_ok=True)
            removed.append(path)
    for path in removed:
        log.warning("removed leftover upload %s", path)
    return removed
