"""What a staff account's role needs: a city reviewer its 省辖市, an expert its unit (for conflicts)."""

from __future__ import annotations

from ..apply.form import bad_characters
from . import policy
from .quota import counties_by_city

UNIT_MAX = 100


def account_problems(role: str, city: str | None, unit: str | None, province: str) -> list[str]:
    """Why this role, city and unit cannot make a staff account of the call's province (Chinese); [] if they can."""
    if role not in policy.ROLES:
        return [f"角色“{role[:20]}”不存在，可选：" + "、".join(f"{key}（{label}）" for key, label in policy.ROLES.items()) + "。"]
    problems = []
    cities = counties_by_city(province)
    if role == policy.CITY:
        if not city:
            problems.append("市级审核员须用 --city 指定所在省辖市，例如 --city 开封市。")
        elif city not in cities:
            problems.append(f"“{city[:20]}”不是{province}的省辖市。可选：{'、'.join(cities)}。")
    elif city:
        problems.append("--city 只用于市级审核员（--role city）。")
    if role == policy.EXPERT and not unit:
        problems.append("评审专家须用 --unit 填写所在单位全称：与申报单位相同时系统自动回避。")
    if unit:
        if problem := bad_characters(unit, multiline=False):
            problems.append(f"单位{problem}。")
        elif len(unit) > UNIT_MAX:
            problems.append(f"单位不能超过 {UNIT_MAX} 个字符。")
    return problems
