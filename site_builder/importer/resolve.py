"""Turn cell text into canonical values: institutions, counties, scopes; say what was changed or is unknown."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..reference_checks import suggest_county
from .context import Context
from .grid import match_key

NAMED_SCOPE = "指定县"
_SPLIT = re.compile(r"[、，,；;/\s]+")
_CITY_PREFIX = re.compile(r"^[^：:]{2,12}[：:]")


@dataclass
class Resolved:
    """A value to write, notes for the record (what was corrected), and what a person must check."""

    value: object = None
    notes: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)


def institution(text: str, ctx: Context) -> Resolved:
    """The canonical name for a 中标单位 written as a name or an alias; the closest names if unknown."""
    if not text:
        return Resolved()
    names: dict[str, str] = {}
    for record in ctx.dataset.get("institutions"):
        canonical = str(record.get("name"))
        for written in [canonical, *(record.get("aliases") or [])]:
            names.setdefault(match_key(str(written)), canonical)
    canonical = names.get(match_key(text))
    if canonical == text:
        return Resolved(text)
    if canonical:
        return Resolved(canonical, [f"原表中标单位写作“{text}”，按规范名称“{canonical}”录入。"])
    close = difflib.get_close_matches(match_key(text), list(names), n=2, cutoff=0.6)
    proposal = "；最接近的是" + "、".join(f"“{names[c]}”" for c in close) if close else ""
    return Resolved(text, issues=[f"中标单位“{text}”不在承训单位（institutions.yaml）中{proposal}：请核对，或把它作为新单位或别名登记"])


def county_names(text: str, ctx: Context) -> Resolved:
    """Each named county at its current official name; former names corrected and noted."""
    text = _CITY_PREFIX.sub("", text)
    current: dict[str, str] = {}
    former: dict[str, str] = {}
    for record in ctx.counties():
        name = str(record.get("name"))
        current[match_key(name)] = name
        for old in record.get("former_names") or []:
            former[match_key(str(old))] = name
    out = Resolved([])
    for written in [w for w in _SPLIT.split(text) if w]:
        key = match_key(written)
        if key in current:
            out.value.append(current[key])
        elif key in former:
            now = former[key]
            out.value.append(now)
            out.notes.append(f"原表写作“{written}”，现为{now}，据现行区划更正。")
        else:
            out.value.append(written)
            hint = suggest_county(written, ctx.province, ctx.dataset)
            out.issues.append(f"县“{written}”不在 {ctx.province} 的县（counties.yaml）中" + (f"，{hint}" if hint else ""))
    return out


def scope(text: str, allowed: list[str], ctx: Context) -> tuple[Resolved, Resolved]:
    """(scope, counties): a scope the schema allows, else the counties a cell names as 指定县."""
    key = match_key(text)
    if not key:
        return Resolved(issues=["实施范围为空：请填写全省、某类项目县或具体县名"]), Resolved()
    for value in allowed:
        if value != NAMED_SCOPE and match_key(value) in (key, re.sub(r"[(（].*[)）]$", "", key)):
            return Resolved(value), Resolved()
    if key in ("全省各地", "全省范围", "全省各设区市", "各设区市"):
        return Resolved("全省"), Resolved()
    names = county_names(text, ctx)
    if len(names.issues) == len(names.value):
        return Resolved(text, issues=[f"实施范围“{text}”既不是可选的范围（{'、'.join(allowed)}），也不是已知县名：请核对"]), Resolved()
    return Resolved(NAMED_SCOPE), names
