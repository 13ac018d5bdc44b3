"""Checks across records that Table Schema cannot express: provinces, county lists."""

from __future__ import annotations

import difflib

from . import areas
from .dataset import Dataset
from .problems import Problem
from .yaml_records import Record

PROVINCE_RESOURCES = ("documents", "counties", "county_lists", "projects", "calls")


def check_provinces(dataset: Dataset) -> list[Problem]:
    """Every province is a full official name (or 全国 for national documents)."""
    valid = set(areas.provinces())
    out = []
    for name in PROVINCE_RESOURCES:
        allowed = valid | ({areas.NATIONAL} if name == "documents" else set())
        for record in dataset.get(name):
            value = record.get("province")
            if not isinstance(value, str) or value in allowed:
                continue
            out.append(_problem(record, "province", value, "不是省级行政区的规范全称", _closest_province(value, allowed)))
    return out


def _closest_province(value: str, allowed: set[str]) -> str | None:
    starts = [p for p in allowed if value and p.startswith(value)]
    close = starts or difflib.get_close_matches(value, sorted(allowed), n=1, cutoff=0.4)
    return f"是否为 “{close[0]}”？" if close else None


def _problem(record: Record, field: str, value, message: str, hint: str | None = None, severity: str = "error") -> Problem:
    return Problem(
        record.file, record.line_of(field), message, field=field, value=str(value), hint=hint, code="reference", severity=severity
    )


def county_index(dataset: Dataset) -> dict[tuple[str, str], Record]:
    return {(r.get("province"), r.get("name")): r for r in dataset.get("counties")}


def check_county_references(dataset: Dataset) -> list[Problem]:
    """Counties named by projects and county lists exist, in the record's province."""
    index = county_index(dataset)
    out = []
    for resource in ("projects", "county_lists"):
        for record in dataset.get(resource):
            names = record.get("counties")
            if not isinstance(names, list):
                continue
            seen = set()
            for name in names:
                if name in seen:
                    out.append(_problem(record, "counties", name, "在列表中重复出现"))
                seen.add(name)
                if not isinstance(name, str):
                    continue
                problem = _county_problem(record, name, index, dataset)
                if problem:
                    out.append(problem)
    return out


def _county_problem(record: Record, name: str, index, dataset: Dataset) -> Problem | None:
    province = record.get("province")
    if (province, name) in index:
        return None
    elsewhere = [r for (p, n), r in index.items() if n == name]
    if elsewhere:
        return _problem(record, "counties", name, f"属于 {elsewhere[0].get('province')}，与本记录的省份 {province} 不符")
    return _problem(record, "counties", name, "不在 counties 中", suggest_county(name, province, dataset))


def suggest_county(name: str, province, dataset: Dataset) -> str | None:
    """Current name for a former one, else the closest county of the province."""
    candidates = [r for r in dataset.get("counties") if r.get("province") == province]
    for record in candidates:
        if name in (record.get("former_names") or []):
            return f"是否为 “{record.get('name')}”？（“{name}” 是其曾用名）"
    official = areas.by_province().get(province, {})
    stem = name.rstrip("县市区")
    renamed = [a.name for a in official.values() if a.name.rstrip("县市区") == stem and a.name != name]
    names = [str(r.get("name")) for r in candidates]
    if renamed:
        known = "" if renamed[0] in names else "（尚未收入 counties，请先添加）"
        return f"是否为 “{renamed[0]}”？{known}"
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.5)
    if close:
        return f"是否为 “{close[0]}”？"
    if name in official:
        return "该县尚未收入 counties，请先在 counties.yaml 中添加"
    return None


def check_county_records(dataset: Dataset) -> list[Problem]:
    """County names and codes agree with the official division data."""
    out = []
    codes = areas.by_code()
    index = county_index(dataset)
    for record in dataset.get("counties"):
        name, province, code = record.get("name"), record.get("province"), record.get("code")
        if not isinstance(name, str) or not isinstance(province, str):
            continue
        official = areas.by_province().get(province, {})
        if isinstance(code, str) and code in codes:
            area = codes[code]
            if (area.name, area.province) != (name, province):
                out.append(_problem(record, "code", code, f"对应的是 {area.province}{area.city}{area.name}，与名称 {province}{name} 不符"))
            elif record.get("city") != area.city:
                out.append(_problem(record, "city", record.get("city"), "与行政区划数据不符", f"应为 “{area.city}”"))
        elif isinstance(code, str) and code.isdigit() and len(code) == 6:
            out.append(_problem(record, "code", code, "不是现行有效的行政区划代码", _code_hint(official.get(name))))
        elif code is None and record.get("level") != "功能区":
            if name in official:
                out.append(_problem(record, "code", name, "缺少行政区划代码", _code_hint(official[name]), severity="warning"))
            else:
                out.append(_problem(record, "name", name, "不是现行县级行政区名称", suggest_county(name, province, dataset)))
        for former in record.get("former_names") or []:
            if (province, former) in index:
                out.append(_problem(record, "former_names", former, "与另一条县记录的现名相同"))
    return out


def _code_hint(area) -> str | None:
    return f"应为 “{area.code}”" if area else None


def check_institution_aliases(dataset: Dataset) -> list[Problem]:
    """An alias belongs to one institution and is not itself a canonical name."""
    names = {r.get("name") for r in dataset.get("institutions")}
    owner: dict[str, str] = {}
    out = []
    for record in dataset.get("institutions"):
        for alias in record.get("aliases") or []:
            if alias in names:
                out.append(_problem(record, "aliases", alias, "同时是另一家承训单位的规范名称"))
            elif alias in owner and owner[alias] != record.get("name"):
                out.append(_problem(record, "aliases", alias, f"已是 “{owner[alias]}” 的别名"))
            owner[alias] = record.get("name")
    return out
