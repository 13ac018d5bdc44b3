"""出彩 results as data: the call's stage on a given day, call_projects checks, the eligibility
lookup of the forms' catalog, and the pages generated for a given build day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from call_results_data import CALL, EARLIER, add_earlier_batch, add_results, set_call_fields
from click.testing import CliRunner

from forms_app.catalog import load_catalog
from site_builder.call_checks import check_call_dates, check_call_projects
from site_builder.call_results import call_stage, leader_key
from site_builder.cli import cli
from site_builder.pages import generate_pages, restore_html
from site_builder.site_model import SiteModel
from site_builder.validate import validate

D = dt.date.fromisoformat
CALL_DATES = {"opens": D("2024-04-15"), "deadline": D("2024-04-30"), "publicity_start": D("2024-06-03"), "publicity_end": D("2024-06-09")}


@pytest.mark.parametrize(
    ("day", "stage"),
    [
        ("2024-04-14", "未开始"),
        ("2024-04-15", "申报中"),
        ("2024-04-30", "申报中"),
        ("2024-05-01", "评审中"),
        ("2024-06-02", "评审中"),
        ("2024-06-03", "公示中"),
        ("2024-06-09", "公示中"),
        ("2024-06-10", "已立项"),
    ],
)
def test_stage_follows_the_dates(day, stage):
    assert call_stage(CALL_DATES, D(day), has_results=True) == stage


def test_stage_with_a_publication_date_or_no_dates_at_all():
    announced = {**CALL_DATES, "announced": D("2024-06-05")}
    assert call_stage(announced, D("2024-06-04")) == "公示中"
    assert call_stage(announced, D("2024-06-05")) == "已立项"
    bare = {"opens": D("2024-04-15"), "deadline": D("2024-04-30")}
    assert call_stage(bare, D("2030-01-01")) == "评审中"
    assert call_stage(bare, D("2030-01-01"), has_results=True) == "已立项"
    assert call_stage({**bare, "publicity_start": D("2024-06-03")}, D("2024-07-01")) == "公示中"  # open-ended 公示


def test_leader_key_ignores_width_case_spaces_and_invisible_characters():
    assert leader_key("赵\u200b六", "某甲县 教育局") == leader_key("赵　六", "某甲县教育局\u2060") == leader_key(" 赵六 ", "某甲县教育局")
    assert leader_key("ＡＢ", "Ｘ") == leader_key("ab", "x")
    assert leader_key("赵六", "某乙县教育局") != leader_key("赵六", "某甲县教育局")
    assert leader_key(None, None) == ("", "")


# --- eligibility (forms_app.catalog) -------------------------------------------------------------


@pytest.fixture
def earlier_data(minimal_data: Path) -> Path:
    add_earlier_batch(minimal_data)
    set_call_fields(
        minimal_data, CALL, "  rules: |-\n    每人限报1个项目。\n    第二批基础教育教师培训教育局局长、高校校长出彩项目未结项者不得申报。"
    )
    return minimal_data


def test_unfinished_earlier_leader_is_refused_with_the_rule(earlier_data):
    catalog = load_catalog(earlier_data)
    found = catalog.unfinished_earlier("赵\u200b六", "某甲县教育局 ")
    assert found is not None and found.record["id"] == f"{EARLIER}-001"
    assert found.record["state"] == "未按期结项"
    message = found.message
    assert "“第二批基础教育教师培训教育局局长、高校校长出彩项目未结项者不得申报。”" in message
    assert "第2批项目“县级教师发展中心实体化建设”逾期未结项（结项时间 2023-12-31）" in message
    assert "赵六（某甲县教育局）" in message
    assert "@" not in message and "电话" not in message


def test_finished_current_or_other_unit_leaders_may_apply(earlier_data):
    catalog = load_catalog(earlier_data)
    assert catalog.unfinished_earlier("钱七", "某乙县教育局") is None  # 已结项
    assert catalog.unfinished_earlier("赵六", "某乙县教育局") is None  # same name, another unit
    assert catalog.unfinished_earlier("", "") is None
    assert catalog.unfinished_earlier("<script>", "'; DROP TABLE") is None


def test_a_later_batch_is_not_earlier(earlier_data):
    """Projects of the current batch never bar anyone from the current call."""
    moved = f"call: {CALL}\n  direction: {CALL}-1\n  name: 县级"
    _edit(earlier_data, f"call: {EARLIER}\n  direction: {EARLIER}-1\n  name: 县级", moved)
    assert load_catalog(earlier_data).unfinished_earlier("赵六", "某甲县教育局") is None


def test_without_a_batch_number_nothing_is_earlier(minimal_data):
    add_earlier_batch(minimal_data)
    path = minimal_data / "calls.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  batch: 3\n", ""), encoding="utf-8")
    catalog = load_catalog(minimal_data)
    assert catalog.call.get("batch") is None
    assert catalog.unfinished_earlier("赵六", "某甲县教育局") is None


def test_message_without_the_rule_in_data_still_names_it(minimal_data):
    found = load_catalog(add_earlier_batch(minimal_data)).unfinished_earlier("赵六", "某甲县教育局")
    assert "较早批次出彩项目未结项者不得申报" in found.message


# --- checks --------------------------------------------------------------------------------------


@pytest.fixture
def results_data(minimal_data: Path) -> Path:
    return add_results(minimal_data)


def _edit(data: Path, old: str, new: str, file: str = "call_projects.yaml") -> None:
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _problems(data: Path, today: str = "2024-07-01"):
    dataset, problems = validate(data)
    return dataset, problems, check_call_projects(dataset, D(today)) + check_call_dates(dataset)


def test_fixture_results_are_valid(results_data):
    _, problems, checked = _problems(results_data)
    assert not [p for p in problems if p.severity == "error"], [p.text() for p in problems]
    assert not checked, [p.text() for p in checked]


@pytest.mark.parametrize(
    ("old", "new", "field", "message"),
    [
        (f"  direction: {CALL}-1\n  name: 县域", f"  direction: {EARLIER}-1\n  name: 县域", "direction", f"不属于申报通知 {CALL}"),
        ("  leader: 欧阳明月\n  leader_title: 副校长\n  unit: 某某师范学院", "  leader: 王\u200b建国\n  leader_title: 副校长\n  unit: 某丙县教育局", "leader", "在同一申报通知中已有立项项目（第"),
        ("  state: 已结项\n  finished: 2023-12-20", "  state: 已结项", "finished", "须填写结项日期"),
        ("  state: 未按期结项", "  state: 在研\n  finished: 2023-11-01", "finished", "不应有结项日期"),
        ("  state: 已结项\n  finished: 2023-12-20", "  state: 已结项\n  finished: 2022-04-01", "finished", "早于申报截止日期 2022-04-30"),
        ("  state: 已结项\n  finished: 2023-12-20", "  state: 已结项\n  finished: 2024-08-01", "finished", "晚于今天 2024-07-01"),
        ("  name: 县域教师智能研修体系建设\n  leader: 王建国\n  leader_title: 局长\n  unit: 某丙县教育局\n  funding: 30\n  due: 2025-12-31\n  state: 在研",
         "  name: 县域教师智能研修体系建设\n  leader: 王建国\n  leader_title: 局长\n  unit: 某丙县教育局\n  funding: 30\n  due: 2025-12-31\n  state: 未按期结项",
         "state", "结项时间 2025-12-31 尚未过去"),
        ("  leader_title: 副校长", "  leader_title: 副校长 13812345678", "leader_title", "含有电话号码或电子邮箱"),
        ("  leader_title: 副校长", "  leader_title: 副校长（ouyang@example.edu.cn）", "leader_title", "含有电话号码或电子邮箱"),
        ("  unit: 某某师范学院", "  unit: 某某师范学院 0371-69691770", "unit", "含有电话号码或电子邮箱"),
    ],
    ids=["direction-of-another-call", "leader-twice", "finished-missing", "finished-not-finished", "finished-too-early",
         "finished-in-future", "late-before-due", "phone", "email", "landline"],
)  # fmt: skip
def test_bad_records_are_errors(results_data, old, new, field, message):
    _edit(results_data, old, new)
    _, _, checked = _problems(results_data)
    found = [p for p in checked if p.field == field and message in p.message]
    assert found and found[0].severity == "error", [p.text() for p in checked]
    assert found[0].file.endswith("call_projects.yaml") and found[0].line


def test_still_in_progress_after_due_is_a_warning_on_that_day_only(results_data):
    _, _, before = _problems(results_data, "2025-12-31")
    assert not before
    _, _, after = _problems(results_data, "2026-01-01")
    late = [p for p in after if p.field == "state"]
    assert len(late) == 2 and all(p.severity == "warning" and "结项时间 2025-12-31 已过" in p.message for p in late)


def test_funding_or_due_other_than_the_direction_is_a_warning(results_data):
    _edit(results_data, "  funding: 30\n  due: 2025-12-31\n  state: 在研\n- id", "  funding: 25\n  due: 2026-06-30\n  state: 在研\n- id")
    _, _, checked = _problems(results_data)
    assert {(p.field, p.severity) for p in checked} == {("funding", "warning"), ("due", "warning")}
    assert any("与申报方向的经费资助 30 万元 不一致" in p.message for p in checked)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ("  publicity_start: 2024-04-30", "publicity_start", "公示应在申报截止日期 2024-04-30 之后开始"),
        ("  publicity_end: 2024-06-09", "publicity_end", "没有公示开始日期"),
        ("  publicity_start: 2024-06-09\n  publicity_end: 2024-06-03", "publicity_end", "早于公示开始日期 2024-06-09"),
        ("  announced: 2024-04-01", "announced", "应晚于申报截止日期"),
        ("  publicity_start: 2024-06-03\n  publicity_end: 2024-06-09\n  announced: 2024-06-05", "announced", "早于公示结束日期 2024-06-09"),
    ],
)
def test_bad_call_dates(minimal_data, fields, field, message):
    set_call_fields(minimal_data, CALL, fields)
    dataset, _ = validate(minimal_data)
    found = [p for p in check_call_dates(dataset) if p.field == field]
    assert found and message in found[0].message and found[0].severity == "error"


def test_results_without_any_date_are_a_warning(minimal_data):
    add_earlier_batch(minimal_data)
    _edit(minimal_data, "  announced: 2022-06-20\n", "", "calls.yaml")
    _, problems = validate(minimal_data)
    undated = [p for p in problems if p.field == "id" and "没有公示开始日期或立项公布日期" in p.message]
    assert len(undated) == 1 and undated[0].severity == "warning" and undated[0].file.endswith("calls.yaml")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("  state: 在研\n- id", "  state: 结题\n- id", "state"),
        ("  funding: 30\n  due: 2025-12-31\n  state: 在研\n- id", "  funding: 三十万\n  due: 2025-12-31\n  state: 在研\n- id", "funding"),
        ("  due: 2025-12-31\n  state: 在研\n- id", "  due: 2025年底\n  state: 在研\n- id", "due"),
        (f"  call: {CALL}\n  direction: {CALL}-1\n  name: 县域", f"  call: ha-2099-none\n  direction: {CALL}-1\n  name: 县域", "call"),
        ("  leader: 王建国\n", "  leader: [王建国]\n", "leader"),
        ("  leader: 王建国\n", "  phone: 13812345678\n  leader: 王建国\n", "phone"),
        ("  leader: 王建国\n", "  leader: 12345\n", "leader"),
        (f"  call: {CALL}\n  direction: {CALL}-1\n  name: 县域", f"  call: [{CALL}]\n  direction: {{id: x}}\n  name: 县域", "call"),
        ("  state: 在研\n- id", "  state: [在研]\n- id", "state"),
        ("  state: 已结项\n  finished: 2023-12-20", "  state: 已结项\n  finished: 明天", "finished"),
    ],
    ids=[
        "state-not-in-enum",
        "funding-text",
        "due-text",
        "unknown-call",
        "leader-list",
        "phone-field",
        "leader-number",
        "call-list",
        "state-list",
        "finished-text",
    ],
)
def test_schema_errors_reach_the_cli_in_chinese(results_data, old, new, expected):
    _edit(results_data, old, new)
    result = CliRunner().invoke(cli, ["validate", "--data", str(results_data)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if "call_projects.yaml:" in line and "警告" not in line]
    assert lines and expected in lines[0], result.output


# --- pages for a given build day -----------------------------------------------------------------


def _pages(data: Path, day: str) -> dict[str, str]:
    dataset, problems = validate(data)
    assert not [p for p in problems if p.severity == "error"]
    # Generated pages keep their HTML blocks out of Markdown; put them back to read the page.
    return {uri: restore_html(uri, page) for uri, page in generate_pages(SiteModel(dataset), dataset.version, {}, D(day))}


def test_results_appear_only_once_publicity_begins(results_data):
    review = _pages(results_data, "2024-06-02")
    call = review[f"calls/{CALL}.md"]
    assert '<p class="gp-stage-now">评审中' in call and "## 立项名单" not in call and "## 拟立项" not in call and "欧阳明月" not in call
    assert not [uri for uri in review if uri.startswith(f"calls/projects/{CALL}")]

    publicity = _pages(results_data, "2024-06-03")
    call = publicity[f"calls/{CALL}.md"]
    assert "## 拟立项项目公示（2 项）" in call and "公示期：2024-06-03 至 2024-06-09" in call
    assert sorted(uri for uri in publicity if uri.startswith(f"calls/projects/{CALL}")) == [
        f"calls/projects/{CALL}-00001.md",
        f"calls/projects/{CALL}-00002.md",
    ]
    assert "拟立项（公示中）" in publicity[f"calls/projects/{CALL}-00001.md"]

    done = _pages(results_data, "2024-06-10")
    assert "## 立项名单（2 项）" in done[f"calls/{CALL}.md"]
    earlier = done[f"calls/{EARLIER}.md"]  # the earlier batch: published, with its 结项 states
    assert "## 立项名单（2 项）" in earlier and "未按期结项" in earlier and "已结项" in earlier


def test_project_page_escapes_names_and_holds_no_contacts(results_data):
    page = _pages(results_data, "2024-06-10")[f"calls/projects/{CALL}-00002.md"]
    assert "&lt;b&gt;高校&lt;/b&gt;“AI+教研”研修共同体 &amp; 校本研修" in page and "<b>高校" not in page
    assert '"kind": "\\u9879\\u76ee"' in page  # 项目: found by the site search like other project pages
    for field in ("欧阳明月（副校长）", "某某师范学院", "30 万元", "2025-12-31 前", "在研"):
        assert field in page
    assert "@" not in page and "电话" not in page
