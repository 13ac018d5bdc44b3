"""The figures the charts draw: projects and 人数 per year or category, counties per city.

Plain data, computed from records, so the bar charts, their data tables, the page text
and the tests all read the same numbers. 人数 (`participants`) is often unpublished: every
total carries how many projects it leaves out, so no page shows a partial sum as a whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

UNCATEGORISED = "未分类"
NO_CITY = "未注明地级市"


@dataclass
class Tally:
    """Projects and their published 人数, with the count of projects that publish none."""

    label: str
    projects: int = 0
    places: int = 0
    unpublished: int = 0

    def add(self, project: dict) -> None:
        self.projects += 1
        if project.get("participants") is None:
            self.unpublished += 1
        else:
            self.places += project["participants"]

    @property
    def published(self) -> int:
        """Projects whose 人数 is known."""
        return self.projects - self.unpublished


def total(projects: Iterable[dict], label: str = "合计") -> Tally:
    tally = Tally(label)
    for project in projects:
        tally.add(project)
    return tally


def by_year(projects: Iterable[dict]) -> list[Tally]:
    """One Tally per year, oldest first (a bar chart read top to bottom is a timeline)."""
    tallies: dict[int, Tally] = {}
    for project in projects:
        tallies.setdefault(project["year"], Tally(f"{project['year']} 年")).add(project)
    return [tallies[year] for year in sorted(tallies)]


def by_category(projects: Iterable[dict]) -> list[Tally]:
    """One Tally per category, most projects first (then most 人数, then name)."""
    tallies: dict[str, Tally] = {}
    for project in projects:
        category = project.get("category") or UNCATEGORISED
        tallies.setdefault(category, Tally(category)).add(project)
    return sorted(tallies.values(), key=lambda t: (-t.projects, -t.places, t.label))


def top(tallies: list[Tally], limit: int) -> list[Tally]:
    """The first `limit - 1` tallies and the rest summed as “其他 N 类”, when there are more than `limit`."""
    if len(tallies) <= limit:
        return tallies
    head, rest = tallies[: limit - 1], tallies[limit - 1 :]
    other = Tally(f"其他 {len(rest)} 类")
    for t in rest:
        other.projects += t.projects
        other.places += t.places
        other.unpublished += t.unpublished
    return [*head, other]


@dataclass
class Tile:
    """One county of the tile grid: its page, the list types it is on, the projects reaching it."""

    name: str
    slug: str
    types: list[str]
    projects: int


@dataclass
class CityTiles:
    name: str
    slug: str | None  # the city page's slug; None for counties without a city
    tiles: list[Tile] = field(default_factory=list)


@dataclass
class TileGrid:
    """A province's counties grouped by city, and what its data does not name."""

    province: str
    cities: list[CityTiles]
    types: list[str]  # the list types its tiles show, in legend order
    palette: dict[str, int]  # list type → its colour and shape, the same on every page
    province_wide: int  # 全省 projects, counted in every tile
    unnamed_lists: list[dict]  # lists published as a count only

    @property
    def counties(self) -> int:
        return sum(len(c.tiles) for c in self.cities)


def type_order(model) -> list[str]:
    """List types in the schema's enum order, then any others the data uses."""
    types: list[str] = []
    for resource in model.dataset.descriptor.get("resources", []):
        if resource.get("name") == "county_lists":
            for f in resource.get("schema", {}).get("fields", []):
                if f.get("name") == "type":
                    types = list(f.get("constraints", {}).get("enum", []))
    return types + sorted({cl["type"] for cl in model.county_lists} - set(types))


def county_tiles(model, province: str) -> TileGrid:
    """The tile grid of `province`: every county record of it, grouped by its 地级市."""
    from ..site_model import county_slug

    order = type_order(model)
    cities: dict[str, CityTiles] = {}
    for county in sorted((c for c in model.counties if c["province"] == province), key=lambda c: (str(c.get("code") or ""), c["name"])):
        key = (province, county["name"])
        city = model.city_of.get(key)
        group = cities.setdefault(city.name if city else NO_CITY, CityTiles(city.name if city else NO_CITY, city.slug if city else None))
        types = {cl["type"] for cl in model.lists_by_county.get(key, [])}
        group.tiles.append(Tile(county["name"], county_slug(county), [t for t in order if t in types], model.reach(county).total))
    ordered = sorted(cities.values(), key=lambda c: (c.slug is None, c.slug or "", c.name))
    used = {t for c in ordered for tile in c.tiles for t in tile.types}
    lists = [cl for cl in model.county_lists if cl["province"] == province]
    return TileGrid(
        province=province,
        cities=ordered,
        types=[t for t in order if t in used],
        palette={t: i for i, t in enumerate(order)},
        province_wide=len(model.province_wide(province)),
        unnamed_lists=sorted((cl for cl in lists if not cl.get("counties")), key=lambda cl: (-cl["year"], order.index(cl["type"]))),
    )


def by_province_year(projects: Iterable[dict]) -> dict[tuple[str, int], Tally]:
    """(province, year) → Tally, for the home page's overview table."""
    tallies: dict[tuple[str, int], Tally] = {}
    for project in projects:
        key = (project["province"], project["year"])
        tallies.setdefault(key, Tally(f"{project['province']} {project['year']} 年")).add(project)
    return tallies
