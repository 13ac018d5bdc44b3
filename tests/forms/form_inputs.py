"""What the forms tests send: valid 申报书 fields, files by their magic bytes, a CSRF-aware client.

Kept out of conftest.py so tests import it by a name no other test folder uses.
"""

from __future__ import annotations

import io
import re

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
EXE = b"MZ\x90\x00" + b"\x00" * 200


class Client:
    """The Flask test client plus CSRF tokens read from the pages, as a browser would."""

    def __init__(self, app):
        self.app = app
        self.http = app.test_client()

    def token(self, path: str = "/apply/") -> str:
        page = self.http.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    def get(self, path, **kw):
        return self.http.get(path, **kw)

    def post(self, path, data=None, token_from=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(token_from or path))
        # buffered: the body is read and the response closed, as a WSGI server does (mail goes on close)
        return self.http.post(path, data=data, content_type="multipart/form-data", buffered=True, **kw)

    def mails(self, to: str | None = None) -> list:
        """The messages queued for sending (the outbox is the mail system's own record), oldest first."""
        with self.app.app_context():
            from forms_app.database import db
            from forms_app.mail import OutboxMail

            rows = db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)).all()
            return [(m.recipient, m.subject, m.body) for m in rows if to is None or m.recipient == to]

    def confirm(self, email: str):
        """Open the confirmation link of the latest mail to `email` and press 确认提交."""
        from forms_app.apply.form import normalise_email

        body = [m for m in self.mails() if "请确认" in m[1] and normalise_email(m[0]) == normalise_email(email)][-1][2]
        link = re.search(r"https?://[^/\s]+(/apply/r/\S+/confirm/\S+)", body).group(1)
        return self.post(link, {}, token_from=link)

    def apply(self, **overrides) -> str:
        """Submit a valid 申报书 and confirm it by mail, as a leader would; return the receipt path."""
        form = application_form(**overrides)
        sent = self.post("/apply/", form)
        assert sent.status_code == 303, sent.get_data(as_text=True)[:2000]
        confirmed = self.confirm(form["leader_email"])
        assert confirmed.status_code == 303, confirmed.get_data(as_text=True)[:2000]
        return confirmed.headers["Location"].split("?")[0]

    def login(self, username="staff", password="correct-horse-battery", role="province", city=None, unit=None):
        with self.app.app_context():
            from werkzeug.security import generate_password_hash

            from forms_app.database import db
            from forms_app.models import Staff

            if not db.session.scalar(db.select(Staff).where(Staff.username == username)):
                hashed = generate_password_hash(password, method="pbkdf2:sha256:1000")
                db.session.add(Staff(username=username, password_hash=hashed, role=role, city=city, unit=unit))
                db.session.commit()
        return self.post("/admin/login", {"username": username, "password": password}, token_from="/admin/login")


def application_form(**overrides) -> dict:
    """A complete, valid 申报书 for the fixture call."""
    form = {
        "project_name": "县域教师智能研修体系建设",
        "direction_id": "ha-2024-chucai-3-1",
        "leader_name": "王建国",
        "leader_role": "高等学校校长",
        "leader_title": "教授、校长",
        "leader_phone": "138 0371 0001",
        "leader_email": "wang@example.edu.cn",
        "unit": "河南师范大学",
        "p-0-name": "李华", "p-0-gender": "女", "p-0-birth": "1982-03", "p-0-title": "副教授", "p-0-expertise": "教师教育", "p-0-workplace": "河南师范大学",
        "p-1-name": "赵强", "p-1-gender": "男", "p-1-birth": "1979-11", "p-1-title": "高级教师", "p-1-expertise": "信息技术", "p-1-workplace": "新乡市第一中学",
        "p-2-name": "", "p-2-gender": "", "p-2-birth": "", "p-2-title": "", "p-2-expertise": "", "p-2-workplace": "",
        "completion_date": "2025-12-31",
        "goals": "建立人工智能支持下的区域教师研修体系。",
        "key_work": "是",
        "basis": "学校已将该项目列入年度重点工作。",
        "plan": "第一阶段调研；第二阶段建设平台；第三阶段推广。",
        "s-0-period": "2024年5月—6月", "s-0-work": "需求调研",
        "s-1-period": "2024年7月—2025年12月", "s-1-work": "平台建设与试点",
        "unit_opinion": "同意申报。",
        "authority_opinion": "",
    }  # fmt: skip
    form.update(overrides)
    return form


def upload(content: bytes, name: str):
    return (io.BytesIO(content), name)
