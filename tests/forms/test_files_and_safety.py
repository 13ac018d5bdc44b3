"""Uploads checked by content, size limits, kept files on re-show, CSRF, headers, no orphans."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from form_inputs import ELF, EXE, PDF, PNG, Client, application_form, upload

from forms_app import attachments
from forms_app.models import Application, Attachment


def files_in(app, sub="files") -> list[Path]:
    return sorted((Path(app.instance_path) / "uploads" / sub).iterdir())


@pytest.mark.parametrize(
    ("field", "content", "name"),
    [
        ("pdf_file", ELF, "盖章.pdf"),
        ("pdf_file", EXE, "scan.pdf"),
        ("pdf_file", b"", "empty.pdf"),
        ("word_file", PDF, "申报书.docx"),
        ("word_file", b"PK\x03\x04 not really a zip", "申报书.docx"),
        ("word_file", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "excel.doc"),
    ],
)
def test_disguised_or_empty_files_are_refused(client, app, field, content, name):
    response = client.post("/apply/", application_form(**{field: upload(content, name)}))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert files_in(app) == [] and files_in(app, "pending") == []


def test_real_word_files_are_accepted(client, app, docx_bytes):
    ole_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le") + b"\x00" * 100
    response = client.post("/apply/", application_form(word_file=upload(docx_bytes, "申报书.docx")))
    assert response.status_code == 303
    assert (
        client.post(
            "/apply/", application_form(leader_email="b@example.com", leader_phone="13900000001", word_file=upload(ole_doc, "a.doc"))
        ).status_code
        == 303
    )
    with app.app_context():
        assert sorted(a.file_type for a in Attachment.query) == ["doc", "docx"]
    assert len(files_in(app)) == 2 and all(re.fullmatch(r"[0-9a-f]{32}\.(docx?|pdf)", p.name) for p in files_in(app))


def test_files_survive_a_re_shown_form(client, app):
    first = client.post("/apply/", application_form(leader_email="bad", pdf_file=upload(PDF, "盖章.pdf")))
    page = first.get_data(as_text=True)
    assert first.status_code == 422 and "已收到文件：盖章.pdf" in page
    token = re.search(r'name="pdf_file_pending" value="([^"]+)"', page).group(1)
    second = client.post("/apply/", application_form(pdf_file_pending=token))
    assert second.status_code == 303
    with app.app_context():
        assert Application.query.one().current("pdf").original_name == "盖章.pdf"
    assert files_in(app, "pending") == [] and len(files_in(app)) == 1


def test_forged_pending_token_is_refused(client):
    response = client.post("/apply/", application_form(pdf_file_pending="../../etc/passwd"))
    assert response.status_code == 422 and "先前上传的文件已失效" in response.get_data(as_text=True)


def test_file_over_the_per_file_limit_is_refused_beside_the_field(make_app):
    client = Client(make_app(FILE_MAX_BYTES=1024, MAX_CONTENT_LENGTH=1024 * 1024))
    response = client.post("/apply/", application_form(pdf_file=upload(PDF + b"0" * 2048, "big.pdf")))
    assert response.status_code == 422 and 'id="pdf_file-error">文件超过' in response.get_data(as_text=True)


def test_request_over_max_content_length_gets_chinese_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=64 * 1024)
    client = Client(app)
    response = client.post("/apply/", application_form(pdf_file=upload(PDF + b"0" * 100 * 1024, "big.pdf")))
    assert response.status_code == 413 and "文件太大" in response.get_data(as_text=True)
    assert files_in(app) == []


def test_post_without_csrf_token_is_refused(client, app):
    response = client.http.post("/apply/", data=application_form())
    # Refused, nothing stored, and the 申报书 comes back with what was typed.
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "安全令牌已过期" in page and application_form()["project_name"] in page
    for path in ("/briefings/", "/admin/login"):
        assert client.http.post(path, data={}).status_code == 400
    with app.app_context():
        assert Application.query.count() == 0


def test_security_headers_on_form_pages_and_site(client):
    for path in ("/apply/", "/briefings/", "/admin/login"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"] and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        # The private receipt links never leave the site; the CSRF check over HTTPS still gets its Referer.
        assert headers["Referrer-Policy"] == "same-origin"
    site = client.get("/")
    assert site.status_code == 200 and site.headers["X-Content-Type-Options"] == "nosniff"
    assert site.headers["Referrer-Policy"] == "same-origin"


def test_pages_load_nothing_from_other_hosts(client):
    for path in ("/apply/", "/briefings/", "/admin/login"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r'(src|href)="(https?:)?//', page), path


def test_failed_commit_leaves_no_record_and_no_file(client, app, monkeypatch):
    from forms_app.database import db

    def broken_commit():
        raise RuntimeError("disk full")

    monkeypatch.setattr(db.session, "commit", broken_commit)
    with pytest.raises(RuntimeError):
        client.post("/apply/", application_form(pdf_file=upload(PDF, "盖章.pdf")))
    monkeypatch.undo()
    with app.app_context():
        assert Application.query.count() == 0 and Attachment.query.count() == 0
    assert files_in(app) == []


def test_rate_limit_per_client(make_app):
    client = Client(make_app(RATELIMIT_ENABLED=True, SUBMIT_RATE_LIMIT="2 per minute"))
    codes = [client.post("/apply/", application_form(leader_email="")).status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    assert "提交过于频繁" in client.post("/apply/", application_form()).get_data(as_text=True)


def test_start_sweeps_leftovers_but_not_fresh_or_referenced_files(make_app, tmp_path):
    app = make_app()
    client = Client(app)
    client.post("/apply/", application_form(pdf_file=upload(PDF, "盖章.pdf")))
    base = Path(app.instance_path) / "uploads"
    kept = files_in(app)[0]
    old_part, old_orphan, fresh_part = base / "pending" / "a.part", base / "files" / ("b" * 32 + ".pdf"), base / "pending" / "c.part"
    for path in (old_part, old_orphan, fresh_part):
        path.write_bytes(b"x")
    for path in (old_part, old_orphan, kept):
        os.utime(path, (1_000_000, 1_000_000))
    make_app()  # a restart
    assert kept.exists() and fresh_part.exists()
    assert not old_part.exists() and not old_orphan.exists()


def test_sniff_types(tmp_path):
    cases = {"a": (PDF, "pdf"), "b": (PNG, "png"), "c": (b"\xff\xd8\xff\xe0" + b"0" * 20, "jpg"), "d": (ELF, None), "e": (b"hello", None)}
    for name, (content, expected) in cases.items():
        (tmp_path / name).write_bytes(content)
        assert attachments.sniff(tmp_path / name) == expected


@pytest.mark.parametrize("path", ["/apply/", "/briefings/", "/admin/login"])
def test_form_pages_without_a_built_site_still_carry_the_search_box(client, path):
    """No built site beside the app (a fresh checkout): a plain shell, with the site's search assets."""
    page = client.get(path).get_data(as_text=True)
    for asset in ("/assets/search-engine.js", "/assets/search-box.js", "/assets/search.css"):
        assert f'"{asset}"' in page, (path, asset)
    assert '<header class="top">' in page and 'class="gp-forms"' in page
