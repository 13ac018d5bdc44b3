"""One call from draft to published 立项 page, in Chromium, on SQLite and PostgreSQL.

A county 局长 saves a draft and submits it; the confirmation arrives by real SMTP; the 鹤壁市
reviewer recommends within the quota; the province accepts and assigns two experts, who score;
the province decides 立项 from the ranking; the export validates and builds into the site.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml
from chromium import launch
from mailserver import smtp_server
from servers import demo, free_port, running, server_env

ROOT = Path(__file__).resolve().parents[2]
CALL = "ha-2024-chucai-3"
FLASK = str(Path(sys.executable).parent / "flask")


def with_publicity(project: Path) -> Path:
    """The call's 公示 dates filled in, so the build shows its 立项名单."""
    calls = project / "data" / "calls.yaml"
    calls.write_text(calls.read_text(encoding="utf-8") + "  publicity_start: 2024-06-03\n  publicity_end: 2024-06-09\n", encoding="utf-8")
    return project


def staff(env: dict, name: str, *options: str) -> None:
    made = subprocess.run([FLASK, "--app", "forms_app", "create-staff", name, "--password", "e2e-password-1", *options],
                          env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)  # fmt: skip
    assert made.returncode == 0, made.stderr


def login(browser, base: str, name: str):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
    page.goto(base + "/admin/login")
    page.fill("#username", name)
    page.fill("#password", "e2e-password-1")
    page.click("button.primary")
    return page


def link_in(inbox, subject_part: str) -> str:
    message = next(m for m in reversed(inbox.messages) if subject_part in m["Subject"])
    return re.search(r"https?://\S+", message.get_content()).group(0)


def fill_application(page) -> None:
    page.fill("#project_name", "淇县教师智能研修体系建设")
    page.check("input[name=direction_id][value='ha-2024-chucai-3-1']")
    page.fill("#leader_name", "赵县长")
    page.select_option("#leader_role", "县（市、区）教育局局长")
    page.select_option("#county", "淇县")
    page.fill("#leader_title", "局长")
    page.fill("#leader_phone", "13812345678")
    page.fill("#unit", "淇县教育局")
    for key, value in (("name", "甲一"), ("birth", "1980-01"), ("title", "高级教师"), ("expertise", "教师培训"), ("workplace", "淇县教研室")):
        page.fill(f"[name=p-0-{key}]", value)
    page.select_option("[name=p-0-gender]", "男")
    page.fill("#completion_date", "2025-06-30")
    page.fill("#goals", "建立县域智能研修体系。")
    page.check("input[name=key_work][value=是]")
    page.fill("#basis", "已列入县教育局重点工作。")
    page.fill("#plan", "分三阶段实施。")
    page.fill("[name=s-0-period]", "2024年5月")
    page.fill("[name=s-0-work]", "调研")


def test_one_call_from_draft_to_published_result(tmp_path, project, db_url):
    from playwright.sync_api import sync_playwright

    with_publicity(project)
    with smtp_server() as (inbox, smtp_url), sync_playwright() as pw:
        port = free_port()
        env = server_env(tmp_path, project / "data", db_url, FORMS_SMTP_URL=smtp_url, FORMS_MAIL_FROM="guopei@example.gov.cn")
        with running(demo(port), env, port):
            base = f"http://127.0.0.1:{port}"
            browser = launch(pw)
            applicant = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            # A draft first: only the address is needed; the link comes by mail.
            applicant.goto(base + "/apply/")
            applicant.fill("#project_name", "淇县教师智能研修体系建设")
            applicant.fill("#leader_email", "zhao@example.com")
            applicant.click("button[name=action][value=save]")
            assert "草稿已保存" in applicant.inner_text("main")
            inbox.wait_for(1)
            applicant = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # later, another device
            applicant.goto(link_in(inbox, "草稿"))
            assert applicant.input_value("#project_name") == "淇县教师智能研修体系建设"
            fill_application(applicant)
            applicant.click("button[name=action][value=submit]")
            assert applicant.inner_text(".app-status") == "待确认"
            inbox.wait_for(2)
            applicant.goto(link_in(inbox, "请确认"))
            applicant.click("button:has-text('确认提交')")
            assert applicant.inner_text(".app-status") == "待市级推荐"
            receipt_no = applicant.inner_text(".status-box .receipt-no")
            private = applicant.input_value("#private-link")

            staff(env, "hebi", "--role", "city", "--city", "鹤壁市")
            staff(env, "sheng", "--role", "province")
            staff(env, "expert1", "--role", "expert", "--unit", "河南大学")
            staff(env, "expert2", "--role", "expert", "--unit", "郑州大学")

            city = login(browser, base, "hebi")
            city.click(f"text={receipt_no}")
            assert "已用 0 / 2" in city.inner_text("main")  # 鹤壁市: five 县级 divisions
            city.check("input[name=status][value=已提交]")
            city.fill("#note", "同意推荐。")
            city.click("form.decision button.primary")
            assert "状态已改为“已提交”" in city.inner_text("main")

            province = login(browser, base, "sheng")
            province.goto(base + "/admin/applications")
            province.click(f"text={receipt_no}")
            province.check("input[name=status][value=受理]")
            province.click("form.decision button.primary")
            province.goto(base + "/admin/experts")
            for name in ("expert1", "expert2"):
                form = province.locator(f"form.expert:has(legend:has-text('{name}'))")
                form.locator("input[value='ha-2024-chucai-3-1']").check()
                form.locator("button.primary").click()

            for name, marks in (("expert1", ["18", "17", "22", "9", "8", "13"]), ("expert2", ["16", "15", "20", "8", "9", "12.5"])):
                expert = login(browser, base, name)
                expert.goto(base + "/admin/scoring")
                expert.click(f"a:has-text('{receipt_no}')")
                expert.wait_for_url("**/admin/scoring/*")
                assert expert.locator("form.score-form input[name^=m-]").count() == 6, expert.inner_text("main")
                for field, mark in zip(expert.locator("form.score-form input[name^=m-]").all(), marks, strict=True):
                    field.fill(mark)
                expert.fill("#comment", "方案可行，基础扎实。")
                expert.click("form.score-form button.primary")
                assert "已保存" in expert.inner_text("main")

            province.goto(base + "/admin/ranking")
            row = province.inner_text(f"tr:has-text('{receipt_no}')")
            assert "2 / 2\t83.75\t3.25\t6.5" in row  # totals 87 and 80.5: mean, spread (SD) and max−min
            province.click(f"button[aria-label='{receipt_no} 立项']")
            assert "立项" in province.inner_text("main")
            applicant.goto(private)
            assert applicant.inner_text(".app-status") == "立项"
            with province.expect_download() as download:
                province.click("text=导出立项项目（YAML）")
            exported = Path(download.value.path()).read_text(encoding="utf-8")
            browser.close()

    records = yaml.safe_load(exported)
    assert [(r["name"], r["leader"], r["unit"], r["state"]) for r in records] == [("淇县教师智能研修体系建设", "赵县长", "淇县教育局", "在研")]
    assert "13812345678" not in exported and "zhao@example.com" not in exported
    (project / "data" / "call_projects.yaml").write_text(exported, encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"}
    checked = subprocess.run([sys.executable, "-m", "site_builder", "validate", "--data", "data"], cwd=project, env=env,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = project / "out"
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)], cwd=project, env=env,
                           capture_output=True, text=True, timeout=600)  # fmt: skip
    assert built.returncode == 0, built.stderr
    listing = (out / "calls" / CALL / "index.html").read_text(encoding="utf-8")
    assert "立项名单（1 项）" in listing and "淇县教师智能研修体系建设" in listing
    [page] = (out / "calls" / "projects").glob("*/index.html")
    assert "赵县长（局长）" in page.read_text(encoding="utf-8")
