"""Search quality: the query set of search_queries.yaml run through Pagefind in the browser.

Each query goes through Pagefind's own JS API in a page of the built site, exactly as the
search page runs it (same bundle, same index, the browser's own Intl.Segmenter for Chinese).
Per query:
  first  – the first result is one of the expected pages;
  all@5  – every expected page is among the first 5;
  P@5    – of the first min(5, n) results, the share that are expected or related ('also').
The table goes to test-output/search-report.txt.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from site_pages import call_url, county_url, document_url, institution_url, page_file, project_url

QUERIES = Path(__file__).with_name("search_queries.yaml")

# Thresholds. The set holds exact names, former names, aliases, fragments and 文号 whose
# expected pages are unambiguous, so a miss on “first” is a real ranking fault: allow at most
# one query in ten. all@5 is held to the same bar. P@5 counts related pages as good, so a
# mean below 0.8 means unrelated pages crowd the first five (the flooding the issue describes).
MIN_FIRST = 0.9
MIN_ALL_AT_5 = 0.9
MIN_MEAN_P5 = 0.8

RUN_QUERIES = """async (queries) => {
    const pf = await import('/pagefind/pagefind.js');
    await pf.init();
    const out = [];
    for (const q of queries) {
        const r = await pf.search(q);
        const top = await Promise.all(r.results.slice(0, 5).map(x => x.data()));
        out.push({q, count: r.results.length, urls: top.map(d => d.url), titles: top.map(d => d.meta.title)});
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

    def __call__(self, ref: str) -> set[str]:
        kind, _, name = ref.partition(":")
        table = {
            "county": self.counties,
            "institution": self.institutions,
            "notice": self.documents,
            "project": self.projects,
            "call": self.calls,
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
        out.append({"q": item["q"], "expect": expect, "relevant": expect | also})
    return out


def report(outcomes: list[Outcome], download: dict | None) -> str:
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
        "(✓ expected page, · related page, ✗ unrelated page)",
    ]
    if download:
        lines += ["", "First search download (bytes as served, uncompressed by this test server):"]
        lines += [f"  {name:<40} {size:>9,}" for name, size in download["files"]]
        lines.append(f"  {'total':<40} {download['total']:>9,}")
    return "\n".join(lines) + "\n"


def _first_search_download(browser, base_url: str) -> dict:
    """What a fresh browser fetches from /pagefind/ to answer its first query on the search page."""
    context = browser.new_context()
    page = context.new_page()
    sizes: dict[str, int] = {}

    def record(response):
        if "/pagefind/" in response.url and response.ok:
            sizes[response.url.split("/pagefind/", 1)[1]] = len(response.body())

    page.on("response", record)
    try:
        page.goto(base_url + "/search/?q=南康区", wait_until="networkidle")
        page.locator(".pagefind-ui__result-link").first.wait_for(timeout=10_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    files = sorted(sizes.items(), key=lambda kv: -kv[1])
    return {"files": files, "total": sum(sizes.values())}


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
        results = page.evaluate(RUN_QUERIES, [item["q"] for item in queries])
    finally:
        context.close()
    return [
        Outcome(r["q"], r["count"], r["urls"], r["titles"], item["expect"], item["relevant"])
        for r, item in zip(results, queries, strict=True)
    ]


def test_query_set_is_large_enough(dataset):
    assert len(load_queries(dataset)) >= 30


def test_search_quality(outcomes, browser, base_url, output_dir):
    download = _first_search_download(browser, base_url)
    text = report(outcomes, download)
    (output_dir / "search-report.txt").write_text(text, encoding="utf-8")
    print("\n" + text)
    n = len(outcomes)
    first = sum(o.first for o in outcomes) / n
    all_at_5 = sum(o.all_at_5 for o in outcomes) / n
    mean_p5 = sum(o.p_at_5 for o in outcomes) / n
    misses = "\n".join(f"  {o.q}: {o.urls}" for o in outcomes if not (o.first and o.all_at_5))
    assert first >= MIN_FIRST, f"first result expected for {first:.0%} of queries\n{misses}"
    assert all_at_5 >= MIN_ALL_AT_5, f"all expected pages in top 5 for {all_at_5:.0%}\n{misses}"
    assert mean_p5 >= MIN_MEAN_P5, f"mean P@5 {mean_p5:.2f}"
    # At national scale the first search must stay small (the issue: 4.3 MB for lunr's index).
    assert download["total"] < 400_000, download


@pytest.mark.parametrize("q, url", [("南康县", "/counties/360703/"), ("长春东师学思教育科技发展有限公司", None)])
def test_former_names_and_aliases_find_the_current_page(outcomes, q, url):
    outcome = next(o for o in outcomes if o.q == q)
    assert outcome.urls and outcome.urls[0] == (url or next(iter(outcome.expect)))
