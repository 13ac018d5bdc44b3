"""Render every generated page of the site as Markdown, from a SiteModel.

Returns (src_uri, markdown) pairs; the MkDocs hooks turn them into files, so the
pages go through the same Markdown and theme pipeline as hand-written ones.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader
from jinja2.bccache import Bucket
from markupsafe import Markup

from . import charts
from .call_results import call_pages
from .site_model import City, SiteModel, county_slug, institution_slug, province_slug

TEMPLATES = Path(__file__).parent / "templates"


def _duration_short(project: dict) -> str:
    """“线下7天＋线上50学时”: how and how long, from the parsed durations."""
    parts = []
    if project.get("offline_days"):
        parts.append(f"线下{project['offline_days']}天")
    if project.get("online_hours"):
        parts.append(f"线上{project['online_hours']}学时")
    return "＋".join(parts) or "—"


def groupby_year(projects: list) -> list[tuple[int, list]]:
    """Projects by year, newest first, keeping their order within a year."""
    grouped: dict[int, list] = defaultdict(list)
    for p in projects:
        grouped[p["year"]].append(p)
    return sorted(grouped.items(), key=lambda kv: -kv[0])


def _distinct(records: list[dict], key: str) -> list:
    return sorted({r.get(key) for r in records if r.get(key) is not None}, key=lambda v: (-v, "") if isinstance(v, int) else (0, str(v)))


class _MemoryBytecodeCache(BytecodeCache):
    """Templates compiled once per process: the build makes two environments, the preview one per edit."""

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _MemoryBytecodeCache()


def make_environment(model: SiteModel) -> Environment:
    """The site's one Jinja environment: autoescaped, since pages carry HTML.

    Undefined stays lenient because optional fields are simply absent from records.
    """
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True, bytecode_cache=_COMPILED)
    env.globals.update(
        county_slug=county_slug,
        inst_slug=institution_slug,
        prov_slug=province_slug,
        duration_short=_duration_short,
        distinct=_distinct,
        hint=model.name_hints.get,
        places_of=model.places_of,
    )
    return env


# Top-level <div> and <form> blocks and one-line <p> paragraphs of generated pages (record
# fields, project tables, filters, data links) are already HTML. Python-Markdown would re-parse them with its HTML parser, which
# cost more than the rest of the build at national scale, so they are swapped for
# placeholders here and put back after Markdown by `restore_html`.
_BLOCK = re.compile(
    r"^<(div|form)\b[^>]*>.*?^</\1>$"  # a block of lines, up to its closing tag alone on a line
    r"|^<p\b[^>\n]*>[^\n]*</p>$",  # a one-line paragraph (links to data, the 简报 form, meta)
    re.MULTILINE | re.DOTALL,
)
_PLACEHOLDER = re.compile(r"<!--gp-block-(\d+)-->")
_stashed: dict[str, list[str]] = {}


def stash_html(src_uri: str, page: str) -> tuple[str, str]:
    blocks: list[str] = []

    def stash(match: re.Match) -> str:
        blocks.append(match.group(0))
        return f"\n<!--gp-block-{len(blocks) - 1}-->\n"

    markdown = _BLOCK.sub(stash, page)
    _stashed[src_uri] = blocks
    return src_uri, markdown


def restore_html(src_uri: str, html: str) -> str:
    """Put the stashed HTML blocks of a generated page back into its rendered HTML."""
    blocks = _stashed.get(src_uri)
    if not blocks:
        return html
    return _PLACEHOLDER.sub(lambda m: blocks[int(m.group(1))], html)


def _base(src_uri: str) -> str:
    """Relative prefix from the page's URL to the site root (directory URLs)."""
    parts = src_uri[:-3].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return "../" * depth


def _everything(src_uri: str) -> bool:
    return True


def generate_pages(
    model: SiteModel,
    version: str,
    updated: dict[tuple[str, int], str],
    today: dt.date,
    wanted: Callable[[str], bool] = _everything,
) -> Iterator[tuple[str, str]]:
    """Yield (src_uri, markdown) for every page made from data, or only those `wanted` accepts.

    The preview passes `wanted` to re-render only the pages an edit can touch; the loops
    skip unwanted records before computing anything for them.
    """
    pages = _generate(model, version, updated, today, wanted)
    return (page for page in pages if page is not None)


def _generate(model: SiteModel, version: str, updated: dict, today: dt.date, wanted: Callable[[str], bool]) -> Iterator:
    env = make_environment(model)

    def render(src_uri: str, template: str, **context) -> tuple[str, str] | None:
        if not wanted(src_uri):
            return None

        def rel(target: str) -> str:  # a Markdown link MkDocs can check under --strict
            return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")

        page = env.get_template(template).render(base=_base(src_uri), rel=rel, version=version, today=today, **context)
        return stash_html(src_uri, page)

    guidance = model.dataset.index("guidance")
    for p in model.projects:
        if not wanted(f"projects/{p['id']}.md"):
            continue
        yield render(
            f"projects/{p['id']}.md",
            "project.md.j2",
            p=p,
            guidance=guidance.get(p.get("guidance")),
            document=model.documents.get(p["document"]),
            counties=model.project_counties(p),
            date=updated.get((p.file, p.line)),
        )
    yield from _project_catalogue(model, render, wanted)
    macros = env.get_template("_macros.j2").make_module({"base": _base("counties/x.md")})
    yield from _county_pages(model, render, updated, macros, wanted)
    yield from _institution_pages(model, render, updated, wanted)
    yield from _place_pages(model, render, wanted)
    documents = sorted(model.documents.values(), key=lambda d: str(d.get("date") or d.get("published") or ""), reverse=True)
    yield render("notices/index.md", "notices_index.md.j2", documents=documents)
    calls = model.dataset.get("calls")
    yield from call_pages(model, render, today)  # each call, its stage and 立项名单, a page per 立项 project
    resources = [{**r, "count": len(model.dataset.get(r["name"]))} for r in model.dataset.descriptor["resources"]]
    yield render("downloads.md", "downloads.md.j2", resources=resources)
    yield render("search.md", "search.md.j2")
    yield render(
        "index.md",
        "home.md.j2",
        h=model.headline(),
        calls=calls,
        latest=documents[:5],
        charts=charts,
        projects=model.projects,
        tallies=charts.by_province_year(model.projects),
        tile_provinces=sorted({c["province"] for c in model.counties} & {p["province"] for p in model.projects}),
    )


def _project_catalogue(model: SiteModel, render, wanted) -> Iterator[tuple[str, str]]:
    by_province: dict[str, list] = defaultdict(list)
    for p in model.projects:
        by_province[p["province"]].append(p)
    years = sorted({p["year"] for p in model.projects}, reverse=True)
    grid = [(prov, Counter(p["year"] for p in projects)) for prov, projects in sorted(by_province.items(), key=lambda kv: -len(kv[1]))]
    categories = Counter(p.get("category") or "未分类" for p in model.projects).most_common()
    yield render("projects/index.md", "projects_index.md.j2", total=len(model.projects), years=years, grid=grid, categories=categories)
    for province, projects in by_province.items():
        if not wanted(f"projects/{province_slug(province)}/index.md"):
            continue
        yield render(
            f"projects/{province_slug(province)}/index.md",
            "province_projects.md.j2",
            province=province,
            projects=projects,
            charts=charts,
            tiles=charts.county_tiles(model, province),
        )


def _county_pages(model: SiteModel, render, updated: dict[tuple[str, int], str], macros, wanted) -> Iterator[tuple[str, str]]:
    # A county page lists every project reaching it, one row each. Those reaching it through
    # a list or as 全省 are the same rows on every county page of that list or province; they
    # go once into a shared fragment (counties/rows/…) that portal.js puts in place, so county
    # pages stay small (nationally ~240 such rows a county: 172 MB of HTML inline) and a
    # reader going from county to county downloads them once. Without JavaScript the
    # placeholder row links to the same projects on the list or catalogue page.
    cache: dict[tuple, str] = {}
    fragments: dict[str, str] = {}

    def rows(key: tuple, projects: list, reason: str) -> str:
        if key not in cache:
            cache[key] = Markup("\n").join(macros.project_row(p, False, reason) for p in projects)
        return cache[key]

    def shared(name: str, projects: list, reason: str, label: str, href: str) -> str:
        src = f"counties/rows/{name}.html"
        if src not in fragments:
            fragments[src] = rows(("shared", name), projects, reason)
        return macros.shared_rows(f"../rows/{name}.html", len(projects), reason, label, href)

    reaches = {}
    for c in model.counties:
        if not wanted(f"counties/{county_slug(c)}.md"):
            continue
        reach = reaches[(c["province"], c["name"])] = model.reach(c)
        years: dict[int, dict] = defaultdict(lambda: {"named": 0, "lists": Counter(), "province": 0, "rows": []})
        for p in reach.named:
            group = years[p["year"]]
            group["named"] += 1
            group["rows"].append(rows(("named", p["id"]), [p], "点名"))
        listed: dict[str, tuple] = {}
        for county_list, p in reach.by_list:
            listed.setdefault(county_list["id"], (county_list, []))[1].append(p)
        for county_list, projects in listed.values():
            group = years[county_list["year"]]
            group["lists"][county_list["type"]] += len(projects)
            label = f"{county_list['year']} 年{county_list['type']}名单上的项目"
            group["rows"].append(
                shared(f"list-{county_list['id']}", projects, f"名单：{county_list['type']}", label, f"../../lists/{county_list['id']}/")
            )
        for y, projects in groupby_year(reach.province_wide):
            group = years[y]
            group["province"] = len(projects)
            slug = province_slug(c["province"])
            label = f"{c['province']} {y} 年全省项目"
            group["rows"].append(shared(f"{slug}-{y}", projects, "全省", label, f"../../projects/{slug}/#year={y}&scope=全省"))
        for y, group in years.items():
            group["year"] = y
            group["total"] = group["named"] + sum(group["lists"].values()) + group["province"]
            group["rows"] = Markup("\n").join(group["rows"])
        yield render(
            f"counties/{county_slug(c)}.md",
            "county.md.j2",
            c=c,
            reach=reach,
            years=sorted(years.values(), key=lambda g: -g["year"]),
            reasons=["点名"] * bool(reach.named)
            + sorted({f"名单：{cl['type']}" for cl, _ in listed.values()})
            + ["全省"] * bool(reach.province_wide),
            lists=model.lists_by_county.get((c["province"], c["name"]), []),
            city=model.city_of.get((c["province"], c["name"])),
            date=updated.get((c.file, c.line)),
        )
    yield from fragments.items()  # static files: MkDocs copies what is not Markdown
    lists = sorted(model.county_lists, key=lambda r: (r["province"], -r["year"], r["type"]))
    cities_by_province: dict[str, list] = defaultdict(list)
    for city in model.cities:
        cities_by_province[city.province].append(city)
    yield render("counties/index.md", "counties_index.md.j2", lists=lists, documents=model.documents, cities=cities_by_province)
    # Provinces whose lists give counts only (Shanxi 2024) still get a page.
    provinces = sorted({c["province"] for c in model.counties} | {cl["province"] for cl in model.county_lists})
    for province in provinces:
        counties = [c for c in model.counties if c["province"] == province]
        if not wanted(f"counties/{province_slug(province)}/index.md"):
            continue
        rows = [
            (c, model.lists_by_county.get((province, c["name"]), []), (reaches.get((province, c["name"])) or model.reach(c)).total)
            for c in counties
        ]

        def by_city(county_list, province=province):
            cities: dict[str, list] = defaultdict(list)
            for name in county_list["counties"]:
                county = model.county_by_key[(province, name)]
                cities[county["city"]].append(county)
            return list(cities.items())

        yield render(
            f"counties/{province_slug(province)}/index.md",
            "province_counties.md.j2",
            province=province,
            city_of=model.city_of,
            counties=counties,
            rows=rows,
            lists=[cl for cl in lists if cl["province"] == province],
            by_city=by_city,
        )


def _institution_pages(model: SiteModel, render, updated: dict[tuple[str, int], str], wanted) -> Iterator[tuple[str, str]]:
    rows = []
    for i in model.institutions:
        projects = model.projects_by_institution.get(i["name"], [])
        places = sum(p.get("participants") or 0 for p in projects)
        rows.append((i, len(projects), places))
        if not wanted(f"institutions/{institution_slug(i['name'])}.md"):
            continue
        yield render(
            f"institutions/{institution_slug(i['name'])}.md",
            "institution.md.j2",
            i=i,
            projects=projects,
            places=places,
            date=updated.get((i.file, i.line)),
        )
    rows.sort(key=lambda r: -r[1])
    yield render("institutions/index.md", "institutions_index.md.j2", rows=rows)


def _place_pages(model: SiteModel, render, wanted) -> Iterator[tuple[str, str]]:
    """A page per city (地级市) and per published county list (province × year × type)."""
    city_of = model.city_of
    for city in model.cities:
        if not wanted(f"cities/{city.slug}.md"):
            continue
        keys = {(c["province"], c["name"]) for c in city.counties}
        reaches = {key: model.reach(model.county_by_key[key]) for key in keys}
        groups: dict[str, dict] = {}
        for county in city.counties:
            for county_list in model.lists_by_county.get((county["province"], county["name"]), []):
                group = groups.setdefault(
                    county_list["id"], {"list": county_list, "counties": [], "projects": model.list_projects(county_list)}
                )
                group["counties"].append(county)
        named = {p["id"]: p for r in reaches.values() for p in r.named}
        by_list = {p["id"] for g in groups.values() for p in g["projects"]}
        province_wide = model.province_wide(city.province)
        rows = [
            (c, model.lists_by_county.get((c["province"], c["name"]), []), reaches[(c["province"], c["name"])].total) for c in city.counties
        ]
        yield render(
            f"cities/{city.slug}.md",
            "city.md.j2",
            city=city,
            rows=rows,
            list_groups=sorted(groups.values(), key=lambda g: (-g["list"]["year"], g["list"]["type"])),
            named=list(named.values()),
            by_list_count=len(by_list - set(named)),
            province_wide=province_wide,
            reach_total=len(set(named) | by_list) + len(province_wide),
        )
    for county_list in model.county_lists:
        if not wanted(f"lists/{county_list['id']}.md"):
            continue
        grouped: dict[City | None, list] = defaultdict(list)
        for name in county_list.get("counties") or []:
            key = (county_list["province"], name)
            grouped[city_of.get(key)].append(model.county_by_key[key])
        yield render(
            f"lists/{county_list['id']}.md",
            "county_list.md.j2",
            l=county_list,
            cities=list(grouped.items()),
            projects=model.list_projects(county_list),
            document=model.documents.get(county_list["document"]),
        )
