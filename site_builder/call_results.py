"""The results of a call: its stage on a given day, its 立项 projects, who may not apply again, their pages.

The stage is computed from the dates in calls.yaml and a day passed in, never the clock,
so a build, a test and the forms app each say which day they mean.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator

NOT_OPEN, OPEN, REVIEW, PUBLICITY, APPROVED = "未开始", "申报中", "评审中", "公示中", "已立项"
STAGES = (NOT_OPEN, OPEN, REVIEW, PUBLICITY, APPROVED)
UNFINISHED = ("在研", "未按期结项")  # 结项 states that bar the leader from a later batch
PUBLISHED = (PUBLICITY, APPROVED)  # a 立项名单 appears only once its 公示 has begun
RULE_FALLBACK = "较早批次出彩项目未结项者不得申报。"


def call_stage(call: dict, today: dt.date, has_results: bool = False) -> str:
    """申报中 / 评审中 / 公示中 / 已立项 (or 未开始) for `call` on `today`.

    Results in the data with neither 公示 nor 公布 dates count as published: staff put them
    there, and a page saying 评审中 above a 立项名单 would contradict itself.
    """
    start, end, announced = call.get("publicity_start"), call.get("publicity_end"), call.get("announced")
    if today < call["opens"]:
        return NOT_OPEN
    if today <= call["deadline"]:
        return OPEN
    if announced and today >= announced:
        return APPROVED
    if start and today >= start:
        return PUBLICITY if end is None or today <= end else APPROVED
    if has_results and not start and not announced:
        return APPROVED
    return REVIEW


def leader_key(name: str | None, unit: str | None) -> tuple[str, str]:
    """A leader's identity as (name, unit), blind to width, case, spaces and invisible characters."""
    return _fold(name), _fold(unit)


def _fold(text) -> str:
    text = unicodedata.normalize("NFKC", text if isinstance(text, str) else "")
    # Zero-width and other format characters (Cf) and every kind of space vanish.
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf").casefold()


def unfinished_earlier(calls: list[dict], call_projects: list[dict], call: dict, name: str, unit: str) -> dict | None:
    """The leader's project from an earlier batch of the same province's calls that is not 已结项, if any."""
    batch = call.get("batch")
    if not isinstance(batch, int):
        return None
    earlier = {
        c["id"]: c for c in calls if c.get("province") == call.get("province") and isinstance(c.get("batch"), int) and c["batch"] < batch
    }
    key = leader_key(name, unit)
    for record in call_projects:
        if (
            record.get("call") in earlier
            and record.get("state") in UNFINISHED
            and leader_key(record.get("leader"), record.get("unit")) == key
        ):
            return record
    return None


def refusal_message(call: dict, record: dict, earlier_call: dict | None) -> str:
    """The Chinese refusal naming the call's rule and the unfinished project."""
    rule = next((line.strip() for line in (call.get("rules") or "").splitlines() if "未结项" in line), RULE_FALLBACK)
    batch = f"第{earlier_call['batch']}批" if earlier_call and earlier_call.get("batch") else "较早批次"
    state = "逾期未结项" if record.get("state") == "未按期结项" else "尚未结项"
    return (
        f"按申报要求“{rule}”，不能受理本次申报：项目负责人{record.get('leader')}（{record.get('unit')}）"
        f"负责的{batch}项目“{record.get('name')}”{state}（结项时间 {record.get('due')}）。"
        "如该项目已经结项，请联系省教育厅教师工作处更新结项状态。"
    )


def stage_steps(call: dict) -> list[tuple[str, str]]:
    """The four stages of a call with the dates the data gives for each, for the page's step list."""
    start, end, announced = call.get("publicity_start"), call.get("publicity_end"), call.get("announced")
    publicity = f"{start} 至 {end}" if start and end else f"{start} 起" if start else "日期待定"
    return [
        (OPEN, f"{call['opens']} 至 {call['deadline']}"),
        (REVIEW, "审核推荐、专家评审"),
        (PUBLICITY, publicity),
        (APPROVED, f"{announced} 公布" if announced else f"{end} 公示期满" if end else "待公布"),
    ]


def results_of(call_projects: list[dict], directions: list[dict]) -> list[dict]:
    """A call's 立项 projects in the order of the 申报指南's directions, then as listed."""
    order = {d["id"]: d["number"] for d in directions}
    return sorted(call_projects, key=lambda r: order.get(r["direction"], 0))


def call_pages(model, render, today: dt.date) -> Iterator[tuple[str, str]]:
    """Each call's page (stage, directions, 立项名单 once published) and a page per published 立项 project."""
    dataset = model.dataset
    by_call: dict[str, list] = {}
    for record in dataset.get("call_projects"):
        by_call.setdefault(record["call"], []).append(record)
    for call in dataset.get("calls"):
        directions = sorted((d for d in dataset.get("call_directions") if d["call"] == call["id"]), key=lambda d: d["number"])
        results = results_of(by_call.get(call["id"], []), directions)
        stage = call_stage(call, today, bool(results))
        published = results if stage in PUBLISHED else []
        context = {"call": call, "directions": directions, "stage": stage, "steps": stage_steps(call)}
        context["document"] = model.documents.get(call["document"])
        context["result_document"] = model.documents.get(call.get("result_document"))
        named = {d["id"]: d for d in directions}
        yield render(f"calls/{call['id']}.md", "call.md.j2", results=published, **context)
        for record in published:
            yield render(
                f"calls/projects/{record['id']}.md", "call_project.md.j2", r=record, direction=named.get(record["direction"]), **context
            )
