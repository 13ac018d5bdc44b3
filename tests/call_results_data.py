"""Made-up 出彩 results for the tests: a second batch with unfinished and finished projects,
and 立项 projects of the third batch with its 公示 dates. The seeds name no such people."""

from __future__ import annotations

from pathlib import Path

CALL = "ha-2024-chucai-3"
EARLIER = "ha-2022-chucai-2"
PUBLICITY = ("2024-06-03", "2024-06-09")

EARLIER_CALL = f"""
- id: {EARLIER}
  title: 第二批基础教育教师培训教育局局长、高校校长出彩项目
  province: 河南省
  opens: 2022-04-01
  deadline: 2022-04-30
  leader_roles: [县（市、区）教育局局长]
  per_leader: 1
  document: ha-2024-107
  batch: 2
  announced: 2022-06-20
"""

EARLIER_DIRECTION = f"""
- id: {EARLIER}-1
  call: {EARLIER}
  number: 1
  name: 县级教师发展中心建设
  goal: 建设县级教师发展中心。
  content: 整合县域教师培训资源。
  outcomes: 建设方案。
  due: 2023-12-31
  funding: 10
"""

# 赵六 appears with a zero-width space and a full-width space in the tests' queries.
EARLIER_PROJECTS = f"""
- id: {EARLIER}-001
  call: {EARLIER}
  direction: {EARLIER}-1
  name: 县级教师发展中心实体化建设
  leader: 赵六
  leader_title: 局长
  unit: 某甲县教育局
  funding: 10
  due: 2023-12-31
  state: 未按期结项
- id: {EARLIER}-002
  call: {EARLIER}
  direction: {EARLIER}-1
  name: 县域教师培训学分银行建设
  leader: 钱七
  leader_title: 局长
  unit: 某乙县教育局
  funding: 10
  due: 2023-12-31
  state: 已结项
  finished: 2023-12-20
"""

CURRENT_PROJECTS = f"""
- id: {CALL}-00001
  call: {CALL}
  direction: {CALL}-1
  name: 县域教师智能研修体系建设
  leader: 王建国
  leader_title: 局长
  unit: 某丙县教育局
  funding: 30
  due: 2025-12-31
  state: 在研
- id: {CALL}-00002
  call: {CALL}
  direction: {CALL}-1
  name: <b>高校</b>“AI+教研”研修共同体 & 校本研修
  leader: 欧阳明月
  leader_title: 副校长
  unit: 某某师范学院
  funding: 30
  due: 2025-12-31
  state: 在研
"""


def append(path: Path, text: str) -> None:
    current = path.read_text(encoding="utf-8")
    current = "" if current.strip().splitlines()[-1:] == ["[]"] else current
    path.write_text(current.rstrip("\n") + "\n" + text.lstrip("\n"), encoding="utf-8")


def set_call_fields(data_dir: Path, call_id: str, fields: str) -> None:
    """Add `fields` (YAML lines, indented two spaces) to the call `call_id` of calls.yaml."""
    path = data_dir / "calls.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"- id: {call_id}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("- ")), len(lines))
    lines[end:end] = fields.strip("\n").splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def add_earlier_batch(data_dir: Path) -> Path:
    """The second batch's call, direction and two projects; the current call becomes batch 3."""
    append(data_dir / "calls.yaml", EARLIER_CALL)
    append(data_dir / "call_directions.yaml", EARLIER_DIRECTION)
    append(data_dir / "call_projects.yaml", EARLIER_PROJECTS)
    if "  batch: 3" not in (data_dir / "calls.yaml").read_text(encoding="utf-8"):
        set_call_fields(data_dir, CALL, "  batch: 3")
    return data_dir


def add_results(data_dir: Path) -> Path:
    """add_earlier_batch, plus two 立项 projects of the current call and its 公示 dates."""
    add_earlier_batch(data_dir)
    append(data_dir / "call_projects.yaml", CURRENT_PROJECTS)
    set_call_fields(data_dir, CALL, f"  publicity_start: {PUBLICITY[0]}\n  publicity_end: {PUBLICITY[1]}")
    return data_dir
