"""What a data change means beyond its records: who gains or loses projects, how totals move.

A reviewer approving “县：+瑞金县” or a new county list needs to see which counties
now have which projects. Counties are resolved exactly as the site does it
(`SiteModel.project_counties`: named counties, or the province-year list of the
project's scope); 全省 projects are reported per province, not per county.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset
from .problems import Problem
from .site_model import PROVINCE_SCOPE, SiteModel


@dataclass
class CountyChange:
    province: str
    county: str
    gained: list[tuple[str, str]] = field(default_factory=list)  # (project id, name)
    lost: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Total:
    province: str
    year: int
    projects: tuple[int, int]  # before, after
    people: tuple[int, int]


@dataclass
class Effects:
    counties: list[CountyChange] = field(default_factory=list)
    province_wide: list[tuple[str, int, list[str], list[str]]] = field(default_factory=list)  # province, year, +ids, -ids
    totals: list[Total] = field(default_factory=list)
    institutions_gained: list[tuple[str, int]] = field(default_factory=list)  # (name, projects now)
    institutions_lost: list[tuple[str, int]] = field(default_factory=list)  # (name, projects before)
    new_problems: list[Problem] = field(default_factory=list)
    fixed_problems: int = 0
    counted: bool = True


def _usable(project: dict) -> bool:
    """Records the site could place: an invalid one is reported as a problem, not counted."""
    return (
        isinstance(project.get("id"), str)
        and isinstance(project.get("province"), str)
        and isinstance(project.get("year"), int)
        and not isinstance(project.get("year"), bool)
        and isinstance(project.get("scope"), str)
        and isinstance(project.get("institution"), str | None)
    )


def _model(dataset: Dataset) -> SiteModel:
    lists = [
        r
        for r in dataset.get("county_lists")
        if isinstance(r.get("year"), int) and isinstance(r.get("province"), str) and isinstance(r.get("type"), str)
    ]
    counties = [r for r in dataset.get("counties") if isinstance(r.get("province"), str) and isinstance(r.get("name"), str)]
    records = dict(dataset.records, projects=[p for p in dataset.get("projects") if _usable(p)], county_lists=lists, counties=counties)
    return SiteModel(Dataset(dataset.root, dataset.descriptor, records))


def _reach(model: SiteModel) -> dict[tuple[str, str], dict[str, str]]:
    """(province, county) → {project id: name} of the projects reaching it by name or list."""
    out: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for project in model.projects:
        for county in model.project_counties(project):
            out[(county["province"], county["name"])][project["id"]] = str(project.get("name") or "")
    return out


def _county_changes(old: SiteModel, new: SiteModel) -> list[CountyChange]:
    before, after = _reach(old), _reach(new)
    out = []
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key, {}), after.get(key, {})
        change = CountyChange(*key, gained=[(i, now[i]) for i in now if i not in was], lost=[(i, was[i]) for i in was if i not in now])
        if change.gained or change.lost:
            out.append(change)
    return out


def _province_wide(old: SiteModel, new: SiteModel) -> list[tuple[str, int, list[str], list[str]]]:
    def ids(model: SiteModel) -> dict[tuple[str, int], set[str]]:
        found: dict[tuple[str, int], set[str]] = defaultdict(set)
        for project in model.projects:
            if project["scope"] == PROVINCE_SCOPE:
                found[(project["province"], project["year"])].add(project["id"])
        return found

    before, after = ids(old), ids(new)
    rows = []
    for key in sorted(before.keys() | after.keys()):
        gained, lost = sorted(after[key] - before[key]), sorted(before[key] - after[key])
        if gained or lost:
            rows.append((*key, gained, lost))
    return rows


def _totals(old: SiteModel, new: SiteModel) -> list[Total]:
    def table(model: SiteModel) -> dict[tuple[str, int], tuple[int, int]]:
        cells: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        for project in model.projects:
            cell = cells[(project["province"], project["year"])]
            cell[0] += 1
            people = project.get("participants")
            cell[1] += people if isinstance(people, int) and not isinstance(people, bool) else 0
        return {k: (v[0], v[1]) for k, v in cells.items()}

    before, after = table(old), table(new)
    rows = []
    for key in sorted(before.keys() | after.keys(), key=lambda k: (k[0], -k[1])):
        was, now = before.get(key, (0, 0)), after.get(key, (0, 0))
        if was != now:
            rows.append(Total(*key, projects=(was[0], now[0]), people=(was[1], now[1])))
    return rows


_LINE_REF = re.compile(r"第 \d+ 行")


def _identity(problem: Problem) -> tuple:
    """A problem without where it sits: lines move when records are added above it."""
    return (Path(problem.file).name, problem.field, problem.value, _LINE_REF.sub("第 N 行", problem.message), problem.severity)


def _introduced(old: list[Problem], new: list[Problem]) -> tuple[list[Problem], int]:
    left = Counter(_identity(p) for p in old)
    introduced = []
    for problem in new:
        ident = _identity(problem)
        if left[ident]:
            left[ident] -= 1
        else:
            introduced.append(problem)
    return introduced, sum(left.values())


def effects_of(old: Dataset, new: Dataset, old_problems: list[Problem], new_problems: list[Problem], counted: bool = True) -> Effects:
    """The consequences; with `counted` false (a file unreadable on one side) only the problems."""
    introduced, fixed = _introduced(old_problems, new_problems)
    if not counted:
        return Effects(new_problems=introduced, fixed_problems=fixed, counted=False)
    before, after = _model(old), _model(new)
    was = {name: len(projects) for name, projects in before.projects_by_institution.items()}
    now = {name: len(projects) for name, projects in after.projects_by_institution.items()}
    return Effects(
        counties=_county_changes(before, after),
        province_wide=_province_wide(before, after),
        totals=_totals(before, after),
        institutions_gained=sorted((n, c) for n, c in now.items() if n not in was),
        institutions_lost=sorted((n, c) for n, c in was.items() if n not in now),
        new_problems=introduced,
        fixed_problems=fixed,
    )
