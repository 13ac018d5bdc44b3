"""Search quality: the query set of search_queries.yaml run through the results page's own search.

Each query goes through `window.portalSearch` on /search/ in Chromium — the function the results
page renders from — and its ranked pages are scored:
  first  – the first result is one of the expected pages;
  all@5  – every expected page is among the first 5;
  P@5    – of the first min(5, n) results, the share that are expected or related ('also').
Queries marked `entity: true` are an entity's exact name (name, alias, former name, short name,
pinyin, 文号 or title): their entity must come first, every time.
The table goes to test-output/search-report.txt.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from site_pages import call_url, city_url, county_url, document_url, institution_url, list_url, page_file, project_url

from site_builder.site_model import SiteModel

QUERIES = Path(__file__).with_name("search_queries.yaml")

MIN_QUERIES = 80
MIN_FIRST = 0.95
MIN_ALL_AT_5 = 0.9
MIN_MEAN_P5 = 0.9

RUN_QUERIES = """async (queries) => {
    const out = [];
    for (const q of queries) {
        const r = await window.portalSearch(q);
        out.push({q, count: r.length, urls: r.slice(0, 5).map(x => x.url.split('#')[0]), titles: r.slice(0, 5).map(x => x.title)});
    }
    return out;
}"""


class Resolver:
    """Named pages of the query set (county:南康区, project:jx2022-0*) → site paths."""

    def __init__(self, dataset):
        self.counties = {c["name"]: county_url(c) for c in dataset.get("counties")}
        self.institutions = {}
        for i in dataset.get("institutions"):
            for name in [i["name"], *(i.get("aliases") or [])]:
                self.institutions[name] = institution_url(i["name"])
        self.documents = {d["id"]: document_url(d) for d in dataset.get("documents")}
        self.projects = {p["id"]: project_url(p["id"]) for p in dataset.get("projects")}
        self.calls = {c["id"]: call_url(c["id"]) for c in dataset.get("calls")}
        self.cities = {c.name: city_url(c.slug) for c in SiteModel(dataset).cities}
        self.lists = {c["id"]: list_url(c["id"]) for c in dataset.get("county_lists")}

    def __call__(self, ref: str) -> set[str]:
        kind, _, name = ref.partition(":")
        table = {
            "county": self.counties,
            "institution": self.institutions,
            "notice": self.documents,
            "project": self.projects,
            "call": self.calls,
            "city": self.cities,
            "list": self.lists,
        }[kind]
        found = {url for key, url in table.items() if fnmatch.fnmatchcase(key, name)}
        assert found, f"search_queries.yaml: no page for {ref}"
        return found


@dataclass
class Outcome:
    q: str
    count: int
    urls: list[str]
    titles: list[str]
    expect: set[str]
    relevant: set[str]
    entity: bool

    @property
    def first(self) -> bool:
        return bool(self.urls) and self.urls[0] in self.expect

    @property
    def all_at_5(self) -> bool:
        return self.expect <= set(self.urls)

    @property
    def p_at_5(self) -> float:
        return sum(u in self.relevant for u in self.urls) / len(self.urls) if self.urls else 0.0


def load_queries(dataset) -> list[dict]:
    resolve = Resolver(dataset)
    queries = yaml.safe_load(QUERIES.read_text(encoding="utf-8"))
    out = []
    for item in queries:
        expect = set().union(*(resolve(r) for r in item["expect"]))
        also = set().union(*(resolve(r) for r in item.get("also") or []))
        assert 1 <= len(expect) <= 5, f"{item['q']}: between 1 and 5 expected pages"
        out.append({"q": item["q"], "expect": expect, "relevant": expect | also, "entity": bool(item.get("entity"))})
    return out


def report(outcomes: list[Outcome]) -> str:
    lines = [f"{'query':<24} {'n':>3}  first  all@5   P@5  top 5", "-" * 100]
    for o in outcomes:
        marks = [("✓" if u in o.expect else "·" if u in o.relevant else "✗") + t for u, t in zip(o.urls, o.titles, strict=True)]
        lines.append(
            f"{o.q:<24} {o.count:>3}  {'yes' if o.first else 'NO':>5}  {'yes' if o.all_at_5 else 'NO':>5}  {o.p_at_5:4.2f}  {' | '.join(marks)}"
        )
    n = len(outcomes)
    lines += [
        "-" * 100,
        f"queries: {n}",
        f"first result expected: {sum(o.first for o in outcomes)}/{n} = {sum(o.first for o in outcomes) / n:.1%}",
        f"all expected in top 5: {sum(o.all_at_5 for o in outcomes)}/{n} = {sum(o.all_at_5 for o in outcomes) / n:.1%}",
        f"mean P@5: {sum(o.p_at_5 for o in outcomes) / n:.3f}",
        f"entity queries with their entity first: {sum(o.first for o in outcomes if o.entity)}/{sum(o.entity for o in outcomes)}",
        "(✓ expected page, · related page, ✗ unrelated page)",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def outcomes(browser, base_url, dataset, site_dir):
    queries = load_queries(dataset)
    for item in queries:
        for url in item["relevant"]:
            assert page_file(site_dir, url).is_file(), f"{item['q']}: {url} not built"
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base_url + "/search/")
        page.wait_for_function("typeof window.portalSearch === 'function'")
        results = page.evaluate(RUN_QUERIES, [item["q"] for item in queries])
    finally:
        context.close()
    return [
        Outcome(r["q"], r["count"], r["urls"], r["titles"], item["expect"], item["relevant"], item["entity"])
        for r, item in zip(results, queries, strict=True)
    ]


def test_query_set_is_large_enough_and_covers_every_kind(dataset):
    queries = load_queries(dataset)
    assert len(queries) >= MIN_QUERIES
    kinds = {ref.partition(":")[0] for item in yaml.safe_load(QUERIES.read_text(encoding="utf-8")) for ref in item["expect"]}
    assert kinds >= {"county", "city", "institution", "notice", "list", "project", "call"}, kinds
    assert sum(item["entity"] for item in queries) >= 30


def test_search_quality(outcomes, output_dir):
    text = report(outcomes)
    (output_dir / "search-report.txt").write_text(text, encoding="utf-8")
    print("\n" + text)
    n = len(outcomes)
    first = sum(o.first for o in outcomes) / n
    all_at_5 = sum(o.all_at_5 for o in outcomes) / n
    mean_p5 = sum(o.p_at_5 for o in outcomes) / n
    misses = "\n".join(f"  {o.q}: {o.urls}" for o in outcomes if not (o.first and o.all_at_5))
    assert all(o.count for o in outcomes), [o.q for o in outcomes if not o.count]
    entity_misses = [f"{o.q}: {o.urls[:1]}" for o in outcomes if o.entity and not o.first]
    assert not entity_misses, f"entity queries whose entity is not first: {entity_misses}"
    assert first >= MIN_FIRST, f"first result expected for {first:.0%} of queries\n{misses}"
    assert all_at_5 >= MIN_ALL_AT_5, f"all expected pages in top 5 for {all_at_5:.0%}\n{misses}"
    assert mean_p5 >= MIN_MEAN_P5, f"mean P@5 {mean_p5:.2f}"
