"""The call, its directions and the project list, read once from data/ through the validator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.call_results import refusal_message, unfinished_earlier
from site_builder.problems import format_text, has_errors
from site_builder.validate import validate

# Deadlines are “当日 24 时” in China; the server's own zone must not matter.
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class DataError(RuntimeError):
    """The data did not validate; the message holds the validator's report."""


@dataclass(frozen=True)
class Unfinished:
    """A leader's 立项 project of an earlier batch that has not been 结项, and the refusal to show."""

    record: dict
    message: str


@dataclass
class Catalog:
    """What the forms need from the data: one call, its directions and all projects."""

    version: str
    call: dict
    directions: list[dict]
    projects: list[dict]
    projects_by_id: dict[str, dict] = field(default_factory=dict)
    institutions: dict[str, list[str]] = field(default_factory=dict)  # canonical name → its aliases
    calls: list[dict] = field(default_factory=list)  # every call, earlier batches included
    call_projects: list[dict] = field(default_factory=list)  # 立项 projects of every call (call_projects.yaml)

    def direction(self, direction_id: str) -> dict | None:
        return next((d for d in self.directions if d["id"] == direction_id), None)

    def unfinished_earlier(self, leader_name: str, unit: str) -> Unfinished | None:
        """Whether the leader (name and unit, compared folded) has an earlier batch's project not yet 结项.

        Seed 004: “第二批…出彩项目未结项者不得申报”. Earlier means a lower `batch` among the
        same province's calls; 在研 and 未按期结项 both bar the leader.
        """
        record = unfinished_earlier(self.calls, self.call_projects, self.call, leader_name, unit)
        if record is None:
            return None
        earlier = next((c for c in self.calls if c["id"] == record["call"]), None)
        return Unfinished(record, refusal_message(self.call, record, earlier))

    def search_projects(self, query: str, limit: int = 50) -> list[dict]:
        """Projects whose name, id, institution or province contains every word of `query`."""
        words = query.split()
        found = []
        for project in self.projects:
            text = " ".join(str(project.get(k) or "") for k in ("id", "name", "institution", "province", "year"))
            if all(word in text for word in words):
                found.append(project)
                if len(found) >= limit:
                    break
        return found


def load_catalog(data_dir: Path) -> Catalog:
    """Validate `data_dir` and keep what the forms read; raise DataError on any error."""
    dataset, problems = validate(Path(data_dir))
    if has_errors(problems):
        raise DataError("数据校验未通过，表单服务无法启动：\n" + format_text(problems))
    calls = dataset.get("calls")
    if not calls:
        raise DataError(f"{data_dir}/calls.yaml 中没有申报通知，表单服务无法启动。")
    # The portal runs one call at a time: the most recent one by deadline.
    call = dict(max(calls, key=lambda c: c["deadline"]))
    directions = sorted((dict(d) for d in dataset.get("call_directions") if d["call"] == call["id"]), key=lambda d: d["number"])
    if not directions:
        raise DataError(f"申报通知 {call['id']} 没有申报方向（call_directions.yaml），表单服务无法启动。")
    projects = [_project(p) for p in dataset.get("projects")]
    projects.sort(key=lambda p: (-int(p["year"]), p["province"], p["id"]))
    institutions = {i["name"]: list(i.get("aliases") or []) for i in dataset.get("institutions")}
    catalog = Catalog(dataset.version, call, directions, projects, {p["id"]: p for p in projects}, institutions)
    catalog.calls = [dict(c) for c in calls]
    catalog.call_projects = [dict(r) for r in dataset.get("call_projects")]
    return catalog


def _project(record: dict) -> dict:
    keys = ("id", "year", "province", "name", "institution", "programme", "training_start", "training_end")
    return {k: record.get(k) for k in keys}


def china_today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def call_state(call: dict, today: dt.date) -> str:
    """'open', 'not-yet' or 'closed' for the call on `today` (the deadline day is still open)."""
    if today < call["opens"]:
        return "not-yet"
    if today > call["deadline"]:
        return "closed"
    return "open"
