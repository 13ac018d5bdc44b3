"""What the 申报书 prints for each stored value: dates in Beijing time, empty for what a draft lacks."""

from __future__ import annotations

import datetime as dt

from ...catalog import CHINA
from .ooxml import xml_safe


def filled_on(a) -> dt.date | None:
    """填表日期: when the application was submitted (a draft: when it was begun), as a Beijing date.

    The database holds naive UTC; 02:40 in Beijing is 18:40 UTC the day before.
    """
    moment = getattr(a, "submitted_at", None) or getattr(a, "created_at", None)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA).date()


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def birth_month(value) -> str:
    """出生年月 as Chinese forms write it: 1982-03 → 1982.03."""
    return xml_safe(value).replace("-", ".")


def paragraphs(text) -> list[str]:
    """A typed text as its paragraphs: blank lines dropped, typed indents (also 　) dropped: the layout indents."""
    return [line.strip() for line in xml_safe(text).splitlines() if line.strip()]


def form_title(call: dict) -> str:
    return f"{call['province']}基础教育教师培训出彩项目"


def maker(call: dict) -> str:
    """The cover's 制 line: the province's 教育厅 issues the form (附件 2: “河南省教育厅 制”)."""
    return f"{call['province']}教育厅 制"


def issue_month(call: dict) -> str:
    """The cover's month: the month the call was issued (its `opens` date), as 附件 2 prints “2024 年 4 月”."""
    return f"{call['opens'].year} 年 {call['opens'].month} 月"
