"""The 简报 compliance board counts only what is due, by each project's training period and the day
(CLOCK); its filters and export; staff issue, rotate and revoke upload codes (admin page and CLI)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from form_inputs import PDF, Client, upload
from openpyxl import load_workbook
from units import JJW, JXNU, dated_data, issue_code, sign_in, signed_in_unit

SHORT, TRAINING, NOT_STARTED, NO_DATES, MET = "已结束且不足 3 期", "培训中", "未开始", "培训时间未公布", "已达标"
ROW = re.compile(r'<tr class="(flag)?" data-status="([^"]+)"><td[^>]*><a href="[^"]+">([^<]+)</a>')


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """jx2022-001 trains 2022-03-01 … 2022-12-31; jx2022-002 and -003 have no dates (overrides conftest's)."""
    return dated_data(tmp_path_factory.mktemp("dated") / "repo")


def staff_on(make_app, day: dt.date) -> Client:
    staff = Client(make_app(CLOCK=lambda: day))
    staff.login()
    return staff


def board(staff: Client, query: str = "") -> dict[str, tuple[str, bool]]:
    """Project id → (status, flagged red) as the board shows them."""
    page = staff.get("/admin/compliance" + query).get_data(as_text=True)
    return {pid: (status, flag == "flag") for flag, status, pid in ROW.findall(page)}


def upload_issues(unit: Client, numbers, issued_on: str = "2022-05-01") -> None:
    for n in numbers:
        data = {"project_id": "jx2022-001", "issue_no": str(n), "title": f"第{n}期", "issued_on": issued_on, "file": upload(PDF, "b.pdf")}
        assert unit.post("/briefings/", data, token_from="/briefings/").status_code == 303


@pytest.mark.parametrize(
    ("day", "status"),
    [
        (dt.date(2022, 2, 28), NOT_STARTED),
        (dt.date(2022, 3, 1), TRAINING),
        (dt.date(2022, 12, 31), TRAINING),
        (dt.date(2023, 1, 1), SHORT),
        (dt.date(2026, 6, 1), SHORT),
    ],
)
def test_status_follows_the_training_period(make_app, day, status):
    shown = board(staff_on(make_app, day))
    assert shown == {"jx2022-001": (status, status == SHORT), "jx2022-002": (NO_DATES, False), "jx2022-003": (NO_DATES, False)}


def test_progress_while_training_then_short_then_met(make_app):
    staff = staff_on(make_app, dt.date(2022, 6, 1))
    unit = signed_in_unit(staff.app, JXNU)
    assert "培训中（已收 0 期，还需 3 期）" in unit.get("/briefings/").get_data(as_text=True)
    upload_issues(unit, (1, 2))
    assert "培训中（已收 2 期，还需 1 期）" in staff.get("/admin/compliance").get_data(as_text=True)
    assert "培训中（已收 2 期，还需 1 期）" in unit.get("/briefings/").get_data(as_text=True)
    later = staff_on(make_app, dt.date(2023, 1, 5))
    assert board(later)["jx2022-001"] == (SHORT, True)
    assert "已结束，只收到 2 期（不足 3 期）" in later.get("/admin/compliance").get_data(as_text=True)
    upload_issues(sign_in(later.app, issue_code(later.app, JXNU)), (3,))
    assert board(later)["jx2022-001"] == (MET, False)
    assert board(later, "?status=" + MET) == {"jx2022-001": (MET, False)}


def test_filters_and_export_hold_the_same_rows(make_app):
    staff = staff_on(make_app, dt.date(2023, 1, 1))
    assert set(board(staff, "?province=江西省&year=2022")) == {"jx2022-001", "jx2022-002", "jx2022-003"}
    assert set(board(staff, f"?institution={JXNU}")) == {"jx2022-001"}
    assert set(board(staff, "?institution=-")) == {"jx2022-003"}
    assert set(board(staff, "?status=" + SHORT)) == {"jx2022-001"}
    assert set(board(staff, "?status=" + NO_DATES + f"&institution={JJW}")) == {"jx2022-002"}
    # (NUL is dropped from query values: what is left names no unit.)
    for nothing in ("?year=2021", "?province=河南省", "?year=abc&status=x&kind=x&fmt=y", "?institution=不存在的单位%00"):
        response = staff.get("/admin/compliance" + nothing)
        assert response.status_code == 200 and board(staff, nothing) == {} and "没有符合条件的项目" in response.get_data(as_text=True)
    page = staff.get("/admin/compliance").get_data(as_text=True)
    assert f"{SHORT} <strong>1</strong>" in page and f"{NO_DATES} <strong>2</strong>" in page

    response = staff.get("/admin/export/compliance.csv?status=" + SHORT)
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == "项目编号 年度 省份 项目名称 承训单位 培训开始日期 培训结束日期 已收期数 要求期数 情况 统计日期".split()
    assert rows[1:] == [["jx2022-001", "2022", "江西省", "乡村中小学优秀教师高级研修", JXNU, "2022-03-01", "2022-12-31", "0", "3",
                         "已结束，未收到简报（要求不少于 3 期）", "2023-01-01"]]  # fmt: skip
    everything = list(csv.reader(io.StringIO(staff.get("/admin/export/compliance.csv").data.decode("utf-8-sig"))))
    assert [r[0] for r in everything[1:]] == ["jx2022-001", "jx2022-002", "jx2022-003"]
    assert everything[3][4] == "原文未列" and everything[3][9] == NO_DATES
    sheet = load_workbook(io.BytesIO(staff.get("/admin/export/compliance.xlsx?institution=-").data)).active
    assert sheet.title == "简报报送情况" and sheet["A1"].value == "项目编号" and sheet.max_row == 2 and sheet["A2"].value == "jx2022-003"


CODE = re.compile(r'<p class="code" translate="no">([A-Z0-9-]+)</p>')


def test_staff_issue_rotate_and_revoke_codes_on_the_admin_page(app):
    staff = Client(app)
    staff.login()
    listing = staff.get("/admin/unit-codes").get_data(as_text=True)
    assert JXNU in listing and JJW in listing and listing.count("未发放") == 2
    issued = staff.post("/admin/unit-codes/issue", {"institution": JXNU}, token_from="/admin/unit-codes")
    first = CODE.search(issued.get_data(as_text=True)).group(1)
    assert issued.status_code == 200 and "只显示这一次" in issued.get_data(as_text=True)
    assert first not in staff.get("/admin/unit-codes").get_data(as_text=True)  # shown once, never again
    unit = sign_in(app, first)
    assert "最近登录" in staff.get("/admin/unit-codes").get_data(as_text=True)
    second = CODE.search(
        staff.post("/admin/unit-codes/issue", {"institution": JXNU}, token_from="/admin/unit-codes").get_data(as_text=True)
    ).group(1)
    assert second != first and "登录已失效" in unit.get("/briefings/").get_data(as_text=True)
    assert Client(app).post("/briefings/signin", {"code": first}, token_from="/briefings/").status_code == 401
    revoked = staff.post("/admin/unit-codes/revoke", {"institution": JXNU}, token_from="/admin/unit-codes")
    assert "已停用" in staff.get(revoked.headers["Location"]).get_data(as_text=True)
    assert Client(app).post("/briefings/signin", {"code": second}, token_from="/briefings/").status_code == 401
    refused = staff.post("/admin/unit-codes/issue", {"institution": "不存在的单位"}, token_from="/admin/unit-codes")
    assert refused.status_code == 303 and "不在数据中" in staff.get(refused.headers["Location"]).get_data(as_text=True)
    assert Client(app).post("/admin/unit-codes/issue", {"institution": JXNU}, token_from="/admin/login").status_code == 302


def test_unit_code_command(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["unit-code"]).exit_code != 0
    alias = runner.invoke(args=["unit-code", "北京继教网教育科技有限公司"])
    assert alias.exit_code != 0 and JJW in alias.output
    assert runner.invoke(args=["unit-code", "没有这个单位"]).exit_code != 0
    code = issue_code(app, JXNU)
    result = runner.invoke(args=["unit-code", "--all-missing"])
    lines = result.stdout.strip().splitlines()
    assert result.exit_code == 0 and [line.split("\t")[0] for line in lines] == [JJW]
    listed = runner.invoke(args=["unit-code", "--list"]).stdout
    assert code not in listed and f"{JXNU}\t已发放" in listed and f"{JJW}\t已发放" in listed
    sign_in(app, lines[0].split("\t")[1])
    assert runner.invoke(args=["unit-code", JXNU, "--revoke"]).exit_code == 0
    assert f"{JXNU}\t已停用" in runner.invoke(args=["unit-code", "--list"]).stdout
