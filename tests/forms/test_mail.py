"""Mail through a real SMTP server: the confirmation, the receipt with its 受理编号, every status change; a
mail server that is down loses nothing."""

from __future__ import annotations

import re

import pytest
from form_inputs import Client, application_form
from mailserver import free_port, smtp_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/apply/r/\S+)", message.get_content()).group(1)


def test_confirmation_receipt_and_status_mails_arrive(make_app):
    with smtp_server() as (inbox, url):
        client = Client(make_app(SMTP_URL=url, MAIL_FROM="guopei@example.gov.cn"))
        assert client.post("/apply/", application_form()).status_code == 303
        [confirm] = inbox.wait_for(1)
        assert confirm["To"] == "wang@example.edu.cn" and "请确认" in confirm["Subject"]
        assert "guopei@example.gov.cn" in confirm["From"]
        confirm_path = link_in(confirm)
        assert "/confirm/" in confirm_path
        assert client.post(confirm_path, {}, token_from=confirm_path).status_code == 303
        messages = inbox.wait_for(3)
        subjects = [m["Subject"] for m in messages]
        assert any("CC2024-00001" in s for s in subjects), subjects
        receipt = next(m for m in messages if "CC2024-00001" in m["Subject"])
        private = link_in(receipt)
        assert client.get(private).status_code == 200 and "CC2024-00001" in receipt.get_content()
        client.login()
        client.post("/admin/applications/1/status", {"status": "退回", "note": "请补充实施基础。"}, token_from="/admin/applications/1")
        returned = inbox.wait_for(len(messages) + 1)[-1]
        assert "退回" in returned["Subject"] and "请补充实施基础。" in returned.get_content()


def test_a_mail_server_that_is_down_loses_no_mail(make_app):
    app = make_app(SMTP_URL=f"smtp://127.0.0.1:{free_port()}", SMTP_TIMEOUT=2)  # nothing listens there
    client = Client(app)
    response = client.post("/apply/", application_form())
    assert response.status_code == 303  # the applicant is not told about our mail server's trouble
    with app.app_context():
        from forms_app.database import db
        from forms_app.mail import OutboxMail, send_queued

        [waiting] = db.session.scalars(db.select(OutboxMail)).all()
        assert waiting.sent_at is None and waiting.attempts == 1 and waiting.last_error
    with smtp_server() as (inbox, url):
        app.config["SMTP_URL"] = url
        with app.app_context():
            assert send_queued() == 1
        assert inbox.wait_for(1)[0]["To"] == "wang@example.edu.cn"
