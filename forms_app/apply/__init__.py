"""出彩项目申报: the 申报书 form, saved as a draft or submitted, then confirmed by e-mail.

An application exists from its first save. It counts (one project per leader, review, quota)
only once the leader has confirmed by the link sent to the address on the form, so nobody can
take a leader's place by typing the leader's address, and no page says whether an address has
applied: the mailbox hears of it.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from .. import attachments
from ..catalog import call_state
from ..review import states
from ..review.quota import counties_by_city
from ..web import RESHOW, limiter, submit_limit
from .form import BLANK_ROWS, PARTICIPANT_COLUMNS, SCHEDULE_COLUMNS, ApplicationInput, _empty, read_form

bp = Blueprint("apply", __name__, url_prefix="/apply")
FILE_FIELDS = {"word": "word_file", "pdf": "pdf_file"}


def catalog():
    return current_app.extensions["catalog"]


def is_open() -> bool:
    """Whether applications are accepted now; demo mode lifts the deadline (never in production)."""
    return current_app.config["DEMO_MODE"] or call_state(catalog().call, current_app.config["CLOCK"]()) == "open"


def may_edit(application) -> bool:
    """Drafts and unconfirmed submissions while the call is open; a 退回 application until resubmitted."""
    if application is None or application.status in states.EDITABLE[:2]:
        return is_open()
    return application.status == states.RETURNED


@bp.get("/")
def form():
    """Show the empty 申报书, or the closed page after the deadline."""
    if not is_open():
        return closed()
    return render_form(ApplicationInput.blank(), {})


def closed():
    state = call_state(catalog().call, current_app.config["CLOCK"]())
    return render_template("apply/closed.html", state=state, directions=catalog().directions), 403


def render_form(data: ApplicationInput, pending: dict, status: int = 200, notice: str | None = None, application=None, token=None):
    from .receipt import status_context

    return (
        render_template("apply/form.html", data=data, pending=pending, directions=catalog().directions,
                        participant_columns=PARTICIPANT_COLUMNS, schedule_columns=SCHEDULE_COLUMNS,
                        roles=[(r, r) for r in catalog().call["leader_roles"]],
                        counties=counties_by_city(catalog().call["province"]), notice=notice, a=application, token=token,
                        **status_context(application, token)),
        status,
    )  # fmt: skip


def reshow(status: int, notice: str, keep_new_files: bool):
    """The submitted 申报书 back, every field as typed, after a refusal that is not about its
    content (an expired security token, the rate limit): nothing typed is lost.

    New files are kept after an expired token; after a rate limit only files already held are,
    so a client that keeps posting cannot keep writing uploads to disk.
    """
    from .drafts import application_of_request

    application, token = application_of_request()
    if not may_edit(application):
        return closed()
    data = read_form(request.form, catalog().call, catalog().directions)
    file_errors: dict = {}
    pending = receive_files(file_errors) if keep_new_files else held_files()
    data.errors = file_errors
    return render_form(data, pending, status, notice, application, token)


def held_files() -> dict:
    """Files uploaded with an earlier attempt of this form, from their signed tokens."""
    return {
        kind: found
        for kind, field in FILE_FIELDS.items()
        if (token := request.form.get(f"{field}_pending")) and (found := attachments.from_token(token, kind))
    }


def receive_files(errors: dict) -> dict:
    """New uploads go to the pending area; earlier ones come back from their signed tokens."""
    pending = {}
    for kind, field in FILE_FIELDS.items():
        upload = request.files.get(field)
        if upload and upload.filename:
            try:
                pending[kind] = attachments.receive(upload, kind)
            except attachments.UploadError as exc:
                errors[field] = str(exc)
        elif token := request.form.get(f"{field}_pending"):
            if found := attachments.from_token(token, kind):
                pending[kind] = found
            else:
                errors[field] = "先前上传的文件已失效，请重新选择文件。"
    return pending


def edit_rows(data: ApplicationInput) -> bool:
    """Handle the no-JS “添加一行/删除” buttons; True if the form is only being edited."""
    for prefix, rows, columns in (("p", data.participants, PARTICIPANT_COLUMNS), ("s", data.schedule, SCHEDULE_COLUMNS)):
        if request.form.get(f"add_{prefix}"):
            rows.append(_empty(columns))
            return True
        removed = request.form.get(f"remove_{prefix}", "")
        if removed.isdigit():
            if int(removed) < len(rows):
                rows.pop(int(removed))
            if not rows:
                rows.extend([_empty(columns)] * BLANK_ROWS)
            return True
    return False


@bp.post("/")
@limiter.limit(submit_limit, methods=["POST"])
def submit():
    """A new 申报书: saved as a draft, or submitted for confirmation by e-mail."""
    from .drafts import handle_post

    return handle_post(None, None)


RESHOW["apply.submit"] = reshow
RESHOW["apply.edit"] = reshow

from . import drafts, receipt, recover  # noqa: E402,F401  (routes register on bp)
