"""Read and check the 申报书 form: every field's own rules, in Chinese, keyed by field name."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from ..review.quota import city_of
from ..review.states import COUNTY, level_of

GOALS_MAX = 500
MAX_ROWS = 30
BLANK_ROWS = 3
PARTICIPANT_COLUMNS = [("name", "姓名", 50), ("gender", "性别", 1), ("birth", "出生年月", 7), ("title", "职称", 50),
                       ("expertise", "研究专长", 100), ("workplace", "工作单位", 100)]  # fmt: skip
SCHEDULE_COLUMNS = [("period", "时间", 50), ("work", "工作内容", 1000)]
GENDERS = ["男", "女"]
KEY_WORK = {"是": True, "否": False}
# name: (label, max length, required, multi-line)
TEXT_FIELDS = {
    "project_name": ("项目名称", 100, True, False),
    "leader_name": ("负责人姓名", 50, True, False),
    "leader_title": ("职称职务", 100, True, False),
    "leader_phone": ("联系电话", 30, True, False),
    "leader_email": ("电子邮箱", 254, True, False),
    "unit": ("单位", 100, True, False),
    "goals": ("项目拟完成目标", 2000, True, True),
    "basis": ("实施基础和条件保障", 10000, True, True),
    "plan": ("项目建设方案", 30000, True, True),
    "unit_opinion": ("单位意见", 2000, False, True),
    "authority_opinion": ("上级教育行政部门意见", 2000, False, True),
}
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{9,11}")
PHONE_CHARACTERS = re.compile(r"[^\d\s+()\-－—]")
NON_DIGITS = re.compile(r"\D")
SPACES = re.compile(r"\s+")
ROW_KEY = re.compile(r"([a-z])-(\d{1,3})-\w+")
YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
# Unicode category Cc is exactly U+0000–U+001F and U+007F–U+009F; tab is always allowed, a line
# break only in multi-line fields. One regex search instead of a category lookup per character.
CONTROL = {False: re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]"), True: re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")}
# Unicode non-characters and lone surrogates: no text means them, and a Word file cannot hold them.
NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef\ud800-\udfff" + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]"
)
# Invisible characters that would make one address or name look like two different ones.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]")


@dataclass
class ApplicationInput:
    """What was typed (to show again), what it means (typed values) and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)
    participants: list[dict[str, str]] = field(default_factory=list)
    schedule: list[dict[str, str]] = field(default_factory=list)
    clean: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def blank(cls) -> ApplicationInput:
        return cls(participants=[_empty(PARTICIPANT_COLUMNS)] * BLANK_ROWS, schedule=[_empty(SCHEDULE_COLUMNS)] * BLANK_ROWS)


def _empty(columns) -> dict[str, str]:
    return {key: "" for key, _, _ in columns}


def goal_length(text: str) -> int:
    """字数 as the counter shows it: every character except white space."""
    return sum(1 for ch in text if not ch.isspace())


def normalise_phone(phone: str) -> str:
    digits = NON_DIGITS.sub("", phone)
    return digits[2:] if len(digits) == 13 and digits.startswith("86") else digits


def normalise_email(email: str) -> str:
    """One key per mailbox: full-width letters (ｗａｎｇ＠…) and invisible characters do not make a second one."""
    return INVISIBLE.sub("", unicodedata.normalize("NFKC", email)).strip().lower()


def normalise_name(name: str) -> str:
    return SPACES.sub("", INVISIBLE.sub("", unicodedata.normalize("NFKC", name)))


def bad_characters(text: str, multiline: bool) -> str | None:
    """Why `text` cannot be stored as typed (control characters), or None."""
    if NONCHARACTER.search(text):
        return "含有无法保存的字符（如 U+FFFE、U+FFFF），请删除后重新填写"
    found = CONTROL[multiline].search(text)
    if found is None:
        return None
    return "不能包含换行" if found.group() == "\n" else "含有不可见的控制字符，请删除后重新填写"


def text_problem(label: str, value: str, limit: int, required: bool = True, multiline: bool = False) -> str | None:
    """Why a typed text cannot be accepted (empty, control characters, too long), in Chinese, or None."""
    if not value:
        return f"请填写{label}。" if required else None
    if problem := bad_characters(value, multiline):
        return f"{label}{problem}。"
    if len(value) > limit:
        return f"{label}不能超过 {limit} 个字符（现有 {len(value)} 个）。"
    return None


def rows_from(form, prefix: str, columns) -> list[dict[str, str]]:
    """Rows named `<prefix>-<i>-<column>` in index order; more than MAX_ROWS is the checker's to refuse."""
    indices = sorted({int(m.group(2)) for key in form if (m := ROW_KEY.fullmatch(key)) and m.group(1) == prefix})
    return [{key: form.get(f"{prefix}-{i}-{key}", "").replace("\r\n", "\n").strip() for key, _, _ in columns} for i in indices]


def read_form(form, call: dict, directions: list[dict]) -> ApplicationInput:
    """Check every field on its own; the call's rules that need the database are the view's."""
    data = ApplicationInput()
    for name, (label, limit, required, multiline) in TEXT_FIELDS.items():
        value = form.get(name, "").replace("\r\n", "\n").strip()
        data.values[name] = value
        if problem := text_problem(label, value, limit, required, multiline):
            data.errors[name] = problem
        else:
            data.clean[name] = value
    _check_contacts(data)
    if "goals" in data.clean and goal_length(data.clean["goals"]) > GOALS_MAX:
        data.errors["goals"] = f"项目拟完成目标应在 {GOALS_MAX} 字以内（现有 {goal_length(data.clean['goals'])} 字）。"
    for name in ("direction_id", "leader_role", "county", "key_work", "completion_date"):
        data.values[name] = form.get(name, "").strip()
    _check_choices(data, call, directions)
    _check_county(data, call)
    data.participants = rows_from(form, "p", PARTICIPANT_COLUMNS)
    data.schedule = rows_from(form, "s", SCHEDULE_COLUMNS)
    data.clean["participants"] = _check_rows(data, "p", data.participants, PARTICIPANT_COLUMNS, "项目参与人", _check_participant)
    data.clean["schedule"] = _check_rows(data, "s", data.schedule, SCHEDULE_COLUMNS, "总体工作进度安排", None)
    return data


def _check_contacts(data: ApplicationInput) -> None:
    phone = data.clean.get("leader_phone")
    if phone is not None:
        digits = normalise_phone(phone)
        if PHONE_CHARACTERS.search(phone) or not (MOBILE.fullmatch(digits) or LANDLINE.fullmatch(digits)):
            data.errors["leader_phone"] = "联系电话格式不正确：请填写 11 位手机号或带区号的固定电话（如 0371-69691770）。"
            del data.clean["leader_phone"]
    email = data.clean.get("leader_email")
    if email is not None:
        # The address mail goes to: full-width letters and invisible characters typed by an IME are not part of it.
        email = data.clean["leader_email"] = INVISIBLE.sub("", unicodedata.normalize("NFKC", email)).strip()
    if email is not None and not EMAIL.fullmatch(email):
        data.errors["leader_email"] = "电子邮箱格式不正确，例如 name@example.com。"
        del data.clean["leader_email"]


def _check_choices(data: ApplicationInput, call: dict, directions: list[dict]) -> None:
    values, errors, clean = data.values, data.errors, data.clean
    direction = next((d for d in directions if d["id"] == values["direction_id"]), None)
    if direction is None:
        errors["direction_id"] = "请选择申报方向。" if not values["direction_id"] else "所选申报方向不在本次申报指南中。"
    else:
        clean["direction"] = direction
    if values["leader_role"] not in call["leader_roles"]:
        allowed = "、".join(call["leader_roles"])
        errors["leader_role"] = "请选择负责人身份。" if not values["leader_role"] else f"本次申报的项目负责人须为：{allowed}。"
    else:
        clean["leader_role"] = values["leader_role"]
    if values["key_work"] not in KEY_WORK:
        errors["key_work"] = "请选择是否列入单位重点工作。"
    else:
        clean["key_work"] = KEY_WORK[values["key_work"]]
    try:
        completion = dt.date.fromisoformat(values["completion_date"])
    except ValueError:
        errors["completion_date"] = (
            "请填写项目完成时间（年-月-日）。" if not values["completion_date"] else "项目完成时间不是有效日期，请按 年-月-日 填写。"
        )
        return
    if completion < call["opens"]:
        errors["completion_date"] = f"项目完成时间不能早于申报开始日期 {call['opens']:%Y年%m月%d日}。"
    elif direction and completion > direction["due"]:
        errors["completion_date"] = f"项目完成时间不得晚于该方向的结项时间 {direction['due']:%Y年%m月%d日}。"
    else:
        clean["completion_date"] = completion


def _check_county(data: ApplicationInput, call: dict) -> None:
    """A 县（区）教育局局长 names the county, which decides the 省辖市 that reviews the application."""
    level = level_of(data.clean["leader_role"]) if "leader_role" in data.clean else None
    county = data.values["county"]
    if level != COUNTY:
        data.clean["level"], data.clean["county"], data.clean["city"] = level, None, None
        return
    city = city_of(call["province"], county) if county else None
    if city is None:
        data.errors["county"] = (
            "县（区）教育局局长申报须选择所在县（市、区）。" if not county else f"“{county}”不是{call['province']}的县（市、区）。"
        )
        return
    data.clean["level"], data.clean["county"], data.clean["city"] = level, county, city


def _check_participant(row: dict[str, str]) -> dict[str, str]:
    problems = {}
    if row["gender"] and row["gender"] not in GENDERS:
        problems["gender"] = "性别请选择“男”或“女”。"
    if row["birth"]:
        match = YEAR_MONTH.fullmatch(row["birth"])
        if not match or not (1930 <= int(match.group(1)) <= 2010 and 1 <= int(match.group(2)) <= 12):
            problems["birth"] = "出生年月请按 年-月 填写，如 1980-05。"
    return problems


def _check_rows(data: ApplicationInput, prefix: str, rows, columns, label: str, check) -> list[dict[str, str]]:
    """Check non-blank rows (blank ones are ignored); at least one row must be filled."""
    filled = []
    for i, row in enumerate(rows):
        if not any(row.values()):
            continue
        problems = check(row) if check else {}
        for key, col_label, limit in columns:
            if problem := text_problem(col_label, row[key], limit, multiline=key == "work"):
                problems.setdefault(key, problem)
        for key, message in problems.items():
            data.errors[f"{prefix}-{i}-{key}"] = message
        filled.append(row)
    if not filled:
        data.errors[prefix] = f"请至少填写一行{label}。"
    elif len(filled) > MAX_ROWS:
        data.errors[prefix] = f"{label}最多填写 {MAX_ROWS} 行（现有 {len(filled)} 行），请删减后再提交。"
    return filled
