"""What the site shows, derived from validated records: slugs, reach, figures.

Pure functions over a Dataset so pages, downloads and tests share one answer to
questions such as “which projects reach this county, and why?”.
"""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from . import areas
from .dataset import Dataset
from .rule_checks import NAMED_SCOPE
from .yaml_records import Record

PROVINCE_SCOPE = "全省"


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def county_slug(county: dict) -> str:
    """The 行政区划代码 when the county has one; a stable hash for 功能区."""
    code = county.get("code")
    return str(code) if code else f"{areas.province_code(county['province']) or 'x'}-{_short_hash(county['name'])}"


def institution_slug(name: str) -> str:
    return f"i-{_short_hash(name)}"


def province_slug(province: str) -> str:
    return areas.province_code(province) or _short_hash(province)


def list_slug(county_list: dict) -> str:
    return str(county_list["id"])


@dataclass(eq=False)
class City:
    """A 地级市 (设区市 / 省辖市) as the data knows it: the counties that name it as their city."""

    province: str
    name: str
    slug: str
    counties: list[Record]


@dataclass
class Reach:
    """The projects reaching one county, grouped by why they reach it."""

    named: list[Record] = field(default_factory=list)
    by_list: list[tuple[Record, Record]] = field(default_factory=list)  # (county list, project)
    province_wide: list[Record] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.named) + len(self.by_list) + len(self.province_wide)


class SiteModel:
    """Indexes over a Dataset built once per site build."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.projects = sorted(dataset.get("projects"), key=lambda r: (r["province"], -r["year"], r["id"]))
        self.counties = dataset.get("counties")
        self.county_lists = dataset.get("county_lists")
        self.institutions = dataset.get("institutions")
        self.documents = dataset.index("documents")
        self.county_by_key = {(c["province"], c["name"]): c for c in self.counties}
        self._projects_by_scope: dict[tuple, list[Record]] = defaultdict(list)
        self._projects_by_county: dict[tuple, list[Record]] = defaultdict(list)
        self._province_wide: dict[str, list[Record]] = defaultdict(list)
        self.projects_by_institution: dict[str, list[Record]] = defaultdict(list)
        for project in self.projects:
            scope = project["scope"]
            if scope == NAMED_SCOPE:
                for name in project.get("counties") or []:
                    self._projects_by_county[(project["province"], name)].append(project)
            elif scope == PROVINCE_SCOPE:
                self._province_wide[project["province"]].append(project)
            else:
                self._projects_by_scope[(project["province"], project["year"], scope)].append(project)
            if project.get("institution"):
                self.projects_by_institution[project["institution"]].append(project)
        self.lists_by_county: dict[tuple, list[Record]] = defaultdict(list)
        self.lists_by_scope: dict[tuple, list[Record]] = defaultdict(list)
        for county_list in self.county_lists:
            self.lists_by_scope[(county_list["province"], county_list["year"], county_list["type"])].append(county_list)
            for name in county_list.get("counties") or []:
                self.lists_by_county[(county_list["province"], name)].append(county_list)

    @functools.cached_property
    def city_of(self) -> dict[tuple[str, str], City]:
        """(province, county name) → the county's City."""
        return {(c["province"], c["name"]): city for city in self.cities for c in city.counties}

    @functools.cached_property
    def cities(self) -> list[City]:
        """Every city named by a county record, slugged by its 行政区划代码 (county code → xxxx00)."""
        grouped: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for county in self.counties:
            if county.get("city"):
                grouped[(county["province"], county["city"])].append(county)
        out = []
        for (province, name), counties in grouped.items():
            codes = sorted(str(c["code"])[:4] + "00" for c in counties if c.get("code"))
            slug = codes[0] if codes else f"{province_slug(province)}-{_short_hash(name)}"
            out.append(City(province, name, slug, counties))
        return sorted(out, key=lambda c: c.slug)

    def province_wide(self, province: str) -> list[Record]:
        """Projects whose scope is the whole province."""
        return list(self._province_wide.get(province, []))

    def list_projects(self, county_list: dict) -> list[Record]:
        """Projects whose scope is this list's type, in its province and year."""
        return list(self._projects_by_scope.get((county_list["province"], county_list["year"], county_list["type"]), []))

    def reach(self, county: dict) -> Reach:
        """Every project that reaches `county`: named, through a list it is on, or 全省."""
        key = (county["province"], county["name"])
        reach = Reach(named=list(self._projects_by_county.get(key, [])))
        for county_list in sorted(self.lists_by_county.get(key, []), key=lambda r: (-r["year"], r["type"])):
            for project in self._projects_by_scope.get((county_list["province"], county_list["year"], county_list["type"]), []):
                reach.by_list.append((county_list, project))
        reach.province_wide = list(self._province_wide.get(county["province"], []))
        return reach

    def project_counties(self, project: dict) -> list[dict]:
        """The county records a project reaches by name or through its scope's list."""
        if project["scope"] == NAMED_SCOPE:
            names = project.get("counties") or []
        else:
            lists = self.lists_by_scope.get((project["province"], project["year"], project["scope"]), [])
            names = [name for county_list in lists for name in county_list.get("counties") or []]
        return [self.county_by_key[(project["province"], n)] for n in names if (project["province"], n) in self.county_by_key]

    @functools.cached_property
    def name_hints(self) -> dict[str, str]:
        """project id → what tells it apart from projects of the same name, province and year.

        Jiangxi 2022 has five “…信息技术应用能力提升培训(1)” run by five institutions; a list of
        names alone shows five identical links.
        """
        groups: dict[tuple, list[Record]] = defaultdict(list)
        for project in self.projects:
            groups[(project["province"], project["year"], project["name"])].append(project)
        hints = {}
        for same in (g for g in groups.values() if len(g) > 1):
            for key, label in (("institution", "承训："), ("target", "对象："), ("participants", "人数：")):
                values = [p.get(key) for p in same]
                if len(set(map(str, values))) == len(values):
                    hints.update((p["id"], f"{label}{p.get(key) or '未列'}") for p in same)
                    break
            else:
                hints.update((p["id"], f"编号 {p['id']}") for p in same)
        return hints

    def places_of(self, project: dict) -> str:
        """The counties and cities a project reaches by name or list, as text a filter can match."""
        counties = self.project_counties(project)
        return " ".join(sorted({c["name"] for c in counties} | {c.get("city") or "" for c in counties}))

    def headline(self) -> dict:
        """Totals and a province × year breakdown for the home page."""
        table: dict[tuple, dict] = defaultdict(lambda: {"projects": 0, "places": 0})
        for project in self.projects:
            cell = table[(project["province"], project["year"])]
            cell["projects"] += 1
            cell["places"] += project.get("participants") or 0
        named: dict[tuple, set] = defaultdict(set)
        counted: dict[tuple, int] = defaultdict(int)
        for county_list in self.county_lists:
            key = (county_list["province"], county_list["year"])
            if county_list.get("counties"):
                named[key].update(county_list["counties"])
            else:  # published as a count only (e.g. Shanxi 2024)
                counted[key] += county_list["count"]
        rows = [
            {"province": province, "year": year, **cell, "counties": len(named[(province, year)]) + counted[(province, year)]}
            for (province, year), cell in sorted(table.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
        ]
        return {
            "projects": len(self.projects),
            "places": sum(p.get("participants") or 0 for p in self.projects),
            "counties": len(self.counties),
            "provinces": len({p["province"] for p in self.projects}),
            "rows": rows,
        }
