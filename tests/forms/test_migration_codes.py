"""Migration b1_briefing_codes upgrades a database holding 简报 from before upload codes, on SQLite and PostgreSQL."""

from __future__ import annotations

import re

from flask_migrate import downgrade, upgrade
from form_inputs import PDF, Client, upload
from sqlalchemy import inspect, text
from units import JXNU, signed_in_unit

from forms_app.database import MIGRATIONS, db

BEFORE = "07d074e11396"


def test_upgrade_keeps_old_briefings_and_adds_codes(make_app):
    app = make_app(MIGRATE_ON_START=False)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=BEFORE)  # a fresh database gets the first schema
        downgrade(directory=str(MIGRATIONS), revision=BEFORE)  # one already at head goes back to it
        assert "unit_codes" not in inspect(db.engine).get_table_names()
        db.session.execute(
            text(
                "INSERT INTO briefings (id, receipt_no, token_hash, project_id, project_name, province, unit, issue_no, title, issued_on,"
                " created_at, updated_at) VALUES (1, 'JB-000001', :digest, 'jx2022-001', '项目', '江西省', '随便写的单位', 1, '旧简报',"
                " '2024-04-01', '2024-04-01 08:00:00', '2024-04-01 08:00:00')"
            ),
            {"digest": "0" * 64},
        )
        db.session.commit()
        db.session.remove()
        upgrade(directory=str(MIGRATIONS))
        columns = {c["name"] for c in inspect(db.engine).get_columns("briefings")}
        assert "institution" in columns and "unit_codes" in inspect(db.engine).get_table_names()
        assert db.session.execute(text("SELECT unit, institution FROM briefings")).all() == [("随便写的单位", None)]
        db.session.execute(text("UPDATE briefings SET id = id + 100"))  # keep the new rows' ids clear of it
        db.session.commit()
        db.session.remove()
    unit = signed_in_unit(app, JXNU)
    page = unit.get("/briefings/").get_data(as_text=True)
    assert "旧简报" not in page and "本单位已上传的简报（0 份）" in page  # a row from before codes is nobody's
    form = {"project_id": "jx2022-001", "issue_no": "1", "title": "第一期", "issued_on": "2024-04-01", "file": upload(PDF, "b.pdf")}
    taken = unit.post("/briefings/", form, token_from="/briefings/").get_data(as_text=True)
    assert "第 1 期已有记录" in taken and "JB-000101" not in taken  # its 期 stays taken, its receipt unshown
    staff = Client(app)
    staff.login()
    board = staff.get("/admin/compliance").get_data(as_text=True)
    assert re.search(r"jx2022-001</a>.*?<td[^>]*>0 / 3</td>", board)  # and it is not counted
