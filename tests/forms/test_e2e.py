"""End to end in Chromium: fill the 申报书 in demo mode, download the .docx, upload a 简报, staff review."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from chromium import launch
from docx import Document
from form_inputs import PDF
from playwright.sync_api import expect
from servers import demo, free_port, running, server_env


@pytest.fixture
def site(tmp_path, data_dir):
    """`python -m forms_app` (the README's run command: demo mode) on a free port, SQLite default."""
    port = free_port()
    env = server_env(tmp_path, data_dir, "")
    with running(demo(port), env, port):
        yield f"http://127.0.0.1:{port}", env


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        context = browser.new_context(accept_downloads=True, viewport={"width": 390, "height": 844})
        outside = []
        context.on("request", lambda r: outside.append(r.url) if not r.url.startswith("http://127.0.0.1") else None)
        yield context.new_page()
        context.close()
        browser.close()
        assert outside == [], f"requests left the host: {outside}"


def test_apply_briefing_and_staff_review(site, page, tmp_path):
    base, env = site
    pdf = tmp_path / "盖章.pdf"
    pdf.write_bytes(PDF)
    page.goto(base + "/apply/")
    assert "演示模式" in page.inner_text(".demo-banner")
    page.fill("#project_name", "乡村教师智能研修")
    page.check("input[name=direction_id]")
    page.fill("#leader_name", "陈明")
    page.select_option("#leader_role", "高等学校校长")
    page.fill("#leader_title", "教授、校长")
    page.fill("#leader_phone", "13812345678")
    page.fill("#leader_email", "chen@example.edu.cn")
    page.fill("#unit", "河南大学")
    people = [("甲一", "男", "1980-01"), ("乙二", "女", "1985-06"), ("丙三", "男", "1990-12"), ("丁四", "女", "1975-03")]
    page.click("button[name=add_p]")  # JS adds a fourth row in the page
    assert page.locator("table[data-rows=p] tbody tr").count() == 4
    for i, (name, gender, birth) in enumerate(people):
        page.fill(f"[name=p-{i}-name]", name)
        page.select_option(f"[name=p-{i}-gender]", gender)
        page.fill(f"[name=p-{i}-birth]", birth)
        page.fill(f"[name=p-{i}-title]", "高级教师")
        page.fill(f"[name=p-{i}-expertise]", "教师培训")
        page.fill(f"[name=p-{i}-workplace]", "河南大学")
    page.fill("#completion_date", "2025-12-31")
    page.fill("#goals", "目标" * 10)
    assert "已输入 20 字" in page.inner_text("[data-counter-for=goals]")
    page.check("input[name=key_work][value=是]")
    page.fill("#basis", "已列入学校重点工作。")
    page.fill("#plan", "分三阶段实施。")
    page.fill("[name=s-0-period]", "2024年5月")
    page.fill("[name=s-0-work]", "调研")
    page.set_input_files("#pdf_file", str(pdf))
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/apply/r/**")
    assert page.inner_text(".app-status") == "待确认"  # counts only once the mailbox confirms
    page.click(".demo-banner a")  # demo mode without a mail server shows the mail's link
    page.click("button:has-text(\"确认提交\")")
    page.wait_for_url("**confirmed=1")
    receipt_no = page.inner_text(".status-box .receipt-no")
    assert receipt_no.startswith("CC2024-")
    with page.expect_download() as download:
        page.click("text=下载填好的申报书（Word）")
    doc = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = [row.cells[1].text for row in doc.tables[1].rows[4:8]]
    assert names == ["甲一", "乙二", "丙三", "丁四"] and receipt_no in doc.sections[1].header.paragraphs[0].text

    flask = str(Path(sys.executable).parent / "flask")
    issued = subprocess.run([flask, "--app", "forms_app", "unit-code", "北京继教网教育科技发展有限公司"],
                            env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])  # fmt: skip
    assert issued.returncode == 0, issued.stderr
    page.goto(base + "/briefings/")
    page.fill("#code", issued.stdout.strip().split("\t")[1].lower())
    page.click("button.primary[type=submit]")
    expect(page.locator("#project_id option")).to_have_count(2)  # only the unit's own project; CSP forbids eval-based waits
    page.select_option("#project_id", "jx2022-002")
    page.fill("#issue_no", "1")
    page.fill("#title", "第一期工作简报")
    page.fill("#issued_on", "2024-04-01")
    page.set_input_files("#file", str(pdf))
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/briefings/sent/**")
    assert "JB-000001" in page.inner_text(".receipt-no")

    created = subprocess.run([flask, "--app", "forms_app", "create-staff", "reviewer", "--password", "e2e-password-1"],
                             env=env, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2])  # fmt: skip
    assert created.returncode == 0, created.stderr
    page.goto(base + "/admin/applications")
    page.fill("#username", "reviewer")
    page.fill("#password", "e2e-password-1")
    page.click("button.primary")
    page.click(f"text={receipt_no}")
    page.check("input[name=status][value=受理]")
    page.click("form.decision button.primary")
    assert "状态已改为“受理”" in page.inner_text("main")
    assert "reviewer：已提交 → 受理" in page.inner_text("main")
    page.goto(base + "/admin/applications")
    with page.expect_download() as download:
        page.click("text=CSV")
    assert receipt_no in Path(download.value.path()).read_text(encoding="utf-8-sig")
    page.goto(base + "/admin/compliance")
    assert page.locator("tr.flag").count() == 0 and page.locator("tr[data-status=培训时间未公布]").count() == 3  # no dates in this data
