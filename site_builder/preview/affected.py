"""Which records an edit changed, and which generated pages can show them.

Pages of one province (its projects, counties, cities, lists, catalogue, county overview and
shared county rows) are made from that province's records and the few national ones. An
edited project re-renders the pages that show it, before and after the edit: its own page,
its catalogue and county overview, the counties it reaches by name, list or 全省 and their
cities, its lists, its institution (and the same for projects whose name hint it changes).
An edited county, county list, document or guidance re-renders every page of the provinces
concerned. Every other generated page (home, the indexes, calls, pages added later) is
national and always re-rendered. The preview then compares the new Markdown with the old
and runs only pages that changed through MkDocs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from site_builder.dataset import Dataset
from site_builder.site_model import PROVINCE_SCOPE, SiteModel, county_slug, institution_slug, province_slug

# Generated pages that belong to one record of a province or to an institution; the rest is national.
_LOCAL_PAGE = re.compile(
    r"^(?:(?:projects|counties|cities|lists|institutions)/(?!index\.md$)[^/]+\.md"
    r"|(?:projects|counties)/[^/]+/index\.md|counties/rows/.+)$"
)


def _keys(dataset: Dataset, name: str) -> list[str]:
    try:
        return dataset.resource(name).get("schema", {}).get("primaryKey") or ["id"]
    except StopIteration:
        return ["id"]


def primary_key(dataset: Dataset, name: str) -> Callable[[dict], tuple]:
    """A record's primary key as a tuple of text (what identifies it across edits)."""
    fields = _keys(dataset, name)
    return lambda record: tuple(str(record.get(f)) for f in fields)


def touched_records(old: Dataset, new: Dataset) -> dict[str, list]:
    """Per resource, the old and the new version of every record added, removed, changed or moved."""
    out: dict[str, list] = {}
    for name in set(old.records) | set(new.records):
        before, after = old.get(name), new.get(name)
        if before is after:
            continue
        key = primary_key(new if name in new.records else old, name)
        by_old = {key(r): r for r in before}
        by_new = {key(r): r for r in after}
        keys = {k for k in by_old.keys() | by_new.keys() if by_old.get(k) != by_new.get(k)}
        # File order shows on some pages (a notice's plan table): a moved record counts as changed.
        order_old = [k for k in by_old if k in by_new and k not in keys]
        order_new = [k for k in by_new if k in by_old and k not in keys]
        if order_old != order_new:
            matcher = difflib.SequenceMatcher(None, order_old, order_new, autojunk=False)
            for tag, i1, i2, j1, j2 in matcher.get_opcodes():
                if tag != "equal":
                    keys.update(order_old[i1:i2], order_new[j1:j2])
        records = [by_old[k] for k in keys if k in by_old] + [by_new[k] for k in keys if k in by_new]
        if records:
            out[name] = records
    return out


@dataclass
class Affected:
    provinces: set[str] = field(default_factory=set)
    local: set[str] = field(default_factory=set)  # src_uris of province and institution pages to re-render
    notices: set[str] = field(default_factory=set)  # content pages (notices) showing a touched document

    def wants(self, src_uri: str) -> bool:
        return src_uri in self.local or not _LOCAL_PAGE.match(src_uri)


def affected_pages(old: SiteModel, new: SiteModel, touched: dict[str, list]) -> Affected:
    """The pages an edit can change: see the module docstring for the rule."""
    out = Affected()
    institutions, documents = set(), set()
    for name, records in touched.items():
        for r in records:
            if name in ("counties", "county_lists") and r.get("province"):
                out.provinces.add(r["province"])
            institutions.add(r.get("name") if name == "institutions" else None)
            documents.add(r.get("document") if name in ("projects", "county_lists") else r.get("id") if name == "documents" else None)
    changed_documents = {r.get("id") for r in touched.get("documents", [])}
    changed_guidance = {r.get("id") for r in touched.get("guidance", [])}
    hints = {pid for pid in old.name_hints.keys() | new.name_hints.keys() if old.name_hints.get(pid) != new.name_hints.get(pid)}
    projects = list(touched.get("projects", []))
    for model in (old, new):
        projects.extend(p for p in model.projects if p["id"] in hints)
        for p in model.projects:
            if p.get("document") in changed_documents or p.get("guidance") in changed_guidance:
                out.provinces.add(p["province"])
        out.provinces.update(cl["province"] for cl in model.county_lists if cl.get("document") in changed_documents)
    for model in (old, new):
        _province_pages(model, out.provinces, out.local)
        for p in projects:
            _project_pages(model, p, out.local)
        institutions.update(p.get("institution") for p in projects)
        out.local.update(f"institutions/{institution_slug(i)}.md" for i in institutions if i)
        out.notices.update(d["page"] for d in (model.documents.get(i) for i in documents if i) if d and d.get("page"))
    return out


def record_page(resource: str, record: dict) -> str:
    """The page of one project, county or institution (the records that show their last change)."""
    if resource == "projects":
        return f"projects/{record['id']}.md"
    if resource == "counties":
        return f"counties/{county_slug(record)}.md"
    return f"institutions/{institution_slug(record['name'])}.md"


def _project_pages(model: SiteModel, p: dict, pages: set[str]) -> None:
    """Every page that shows project `p` (its row, its counts) in `model`."""
    slug = province_slug(p["province"])
    pages.update((f"projects/{p['id']}.md", f"projects/{slug}/index.md", f"counties/{slug}/index.md"))
    if p.get("scope") == PROVINCE_SCOPE:  # in the province-year's shared rows, counted on every county page
        pages.add(f"counties/rows/{slug}-{p['year']}.html")
        counties = [c for c in model.counties if c["province"] == p["province"]]
    else:
        counties = model.project_counties(p)
    for c in counties:
        pages.add(f"counties/{county_slug(c)}.md")
        city = model.city_of.get((c["province"], c["name"]))
        if city is not None:
            pages.add(f"cities/{city.slug}.md")
    for county_list in model.lists_by_scope.get((p["province"], p["year"], p.get("scope")), []):
        pages.update((f"lists/{county_list['id']}.md", f"counties/rows/list-{county_list['id']}.html"))


def _province_pages(model: SiteModel, provinces: set[str], pages: set[str]) -> None:
    """Every page of these provinces: an edit to their counties, lists or documents can reach any of them."""
    for p in model.projects:
        if p["province"] in provinces:
            pages.add(f"projects/{p['id']}.md")
            pages.add(f"counties/rows/{province_slug(p['province'])}-{p['year']}.html")
    pages.update(f"counties/{county_slug(c)}.md" for c in model.counties if c["province"] in provinces)
    pages.update(f"cities/{city.slug}.md" for city in model.cities if city.province in provinces)
    for county_list in model.county_lists:
        if county_list["province"] in provinces:
            pages.update((f"lists/{county_list['id']}.md", f"counties/rows/list-{county_list['id']}.html"))
    for province in provinces:
        pages.update((f"projects/{province_slug(province)}/index.md", f"counties/{province_slug(province)}/index.md"))
