"""Records and their files: stored together or not at all, found by private link, sent back.

Shared by the 申报 and 简报 blueprints and the admin, so the rules of “no half record, no
orphan file” live in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort, request, send_file
from sqlalchemy import select

from . import attachments
from .database import db
from .models import Attachment, token_digest, utcnow


@contextmanager
def stored_together() -> Iterator[attachments.Placement]:
    """Commit the session when the block ends; on any failure roll back and take the files away again.

    Files are moved into place inside the block (`attach`), before the commit, so a committed row
    always has its file; if the commit fails (an IntegrityError is re-raised for the caller to
    explain), the rows go and the files return to the pending area, ready for a re-shown form.
    """
    placement = attachments.Placement()
    try:
        yield placement
        db.session.commit()
    except BaseException:
        db.session.rollback()
        placement.undo()
        raise


def attach(placement: attachments.Placement, upload: attachments.Pending, **owner) -> Attachment:
    """Move `upload` into place and add its row; `owner` is application_id=… or briefing_id=…."""
    attachment = Attachment(kind=upload.kind, stored_name=placement.place(upload), original_name=upload.name,
                            file_type=upload.file_type, size=upload.size, sha256=upload.sha256, **owner)  # fmt: skip
    db.session.add(attachment)
    return attachment


def receive_upload(field: str, kind: str, missing: str) -> tuple[attachments.Pending | None, str | None]:
    """(the checked upload of form field `field`, None) or (None, why not in Chinese)."""
    upload = request.files.get(field)
    if not (upload and upload.filename):
        return None, missing
    try:
        return attachments.receive(upload, kind), None
    except attachments.UploadError as exc:
        return None, str(exc)


def replace_file(old: Attachment | None, upload: attachments.Pending, **owner) -> None:
    """Make `upload` the owner's current file; `old` stays for the record, marked as replaced."""
    with stored_together() as placement:
        if old:
            old.replaced_at = utcnow()
        attach(placement, upload, **owner)


def by_token(model, token: str):
    """The record a private receipt link points to (only a digest of the link is stored), or 404."""
    return db.session.scalar(select(model).where(model.token_hash == token_digest(token))) or abort(404)


def send_attachment(found: Attachment):
    """Send a stored file under the name it was uploaded with."""
    return send_file(attachments.path_of(found.stored_name), as_attachment=True, download_name=found.original_name,
                     mimetype=attachments.MIME[found.file_type])  # fmt: skip


def send_docx(stream, receipt_no: str):
    """Send a generated 申报书."""
    return send_file(stream, as_attachment=True, download_name=f"申报书-{receipt_no}.docx", mimetype=attachments.MIME["docx"])
