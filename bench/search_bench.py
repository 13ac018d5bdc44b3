"""Search at national scale: the portal's own index against today's Pagefind, in one run.

One national site is built (bench/synthetic.py: ~15,000 projects, ~18,700 pages). Then:
  index     our index as the build makes it (text extraction + writing, from the build's log),
            and re-made standalone from the built HTML in a fresh process, repeated, for wall
            time and peak RSS (an upper bound: it also reads and parses every page);
            Pagefind indexing the same pages (`data-pagefind-body`), repeated
  browser   Chromium, fresh context: bytes of search files fetched and in-page ms to the first
            visible result for a first query, then for following queries in the same page;
            each engine on its results page (ours: /search/, Pagefind: its stock UI)
  in page   our engine alone (no navigation): ms from query to 20 verified results, and
            ms from a keystroke to the suggestions list, once its file has loaded

Usage: python bench/search_bench.py [--projects 15000] [--repeat 3] [--site DIR (skip the build)]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.search_pagefind import (  # noqa: E402
    GNU_TIME,
    browser_figures,
    index_pagefind,
    link_copy,
    pagefind_results_page,
    serve,
    spread,
)
from bench.synthetic import generate  # noqa: E402

QUERIES = ["南康区", "乡村骨干教师", "瑞金市", "赣教师字〔2022〕14号", "数字素养", "培训"]
BUDGET = {"first_kib": 300, "next_kib": 100, "broad_ms": 300, "index_s": 20, "index_mb": 1024}

REINDEX = """
import json, re, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from site_builder.search import search_page, write_index
site = Path(sys.argv[1])
KIND = {{"projects": "项目", "counties": "县", "cities": "市", "lists": "名单", "institutions": "承训单位", "notices": "文件", "calls": "文件"}}
start = time.perf_counter()
pages = []
for f in site.rglob("index.html"):
    raw = f.read_text(encoding="utf-8")
    i = raw.find("<div data-pagefind-body>")
    if i < 0:
        continue
    body = raw[i + len("<div data-pagefind-body>"): raw.rfind("</article>")]
    url = "/" + f.parent.relative_to(site).as_posix() + "/"
    kicker = re.search(r'gp-kicker">([^<·]+)', body)
    year = re.search(r"(20\\d\\d) 年", body)
    meta = {{"kind": KIND.get(url.split("/")[1], "页面"), "province": kicker.group(1).strip() if kicker else None,
            "year": int(year.group(1)) if year else None}}
    title = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    pages.append(search_page(url, re.sub("<[^>]+>", "", title.group(1)) if title else url, body, meta))
extracted = time.perf_counter() - start
stats = write_index(pages, Path(sys.argv[2]), {{}})
print(json.dumps({{"extract": extracted, "total": time.perf_counter() - start, "bytes": stats.bytes, "units": stats.units}}))
"""


def build_national(out: Path, projects: int) -> tuple[Path, str]:
    counts = generate(out, projects, 3000)
    shutil.copy(ROOT / "mkdocs.yml", out)
    for folder in ("overrides", "site_builder"):
        shutil.copytree(ROOT / folder, out / folder)
    shutil.copytree(ROOT / "content" / "assets", out / "content" / "assets")
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=out, capture_output=True, text=True, check=True)
    line = next((line for line in result.stderr.splitlines() if "搜索索引" in line), "")
    print(f"dataset: {counts}; site built in {time.perf_counter() - start:.0f} s")
    return out / "site", line.split("-  ", 1)[-1]


def reindex(site: Path, out: Path, repeat: int) -> dict:
    script = out / "reindex.py"
    script.write_text(REINDEX.format(root=str(ROOT)), encoding="utf-8")
    seconds, peaks = [], []
    for _ in range(repeat):
        result = subprocess.run(
            [str(GNU_TIME), "-v", sys.executable, str(script), str(site), str(out / "idx")], capture_output=True, text=True, check=True
        )
        peaks.append(int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1)) / 1024)
        seconds.append(float(re.search(r'"total": ([\d.]+)', result.stdout).group(1)))
    size = sum(f.stat().st_size for f in (out / "idx" / "searchindex").rglob("*") if f.is_file())
    return {"seconds": spread(seconds), "peak_mb": max(peaks), "bytes": size}


SEARCH_FILES = re.compile(r"^/(searchindex/|assets/search-|pagefind/)")


def payload(run: dict) -> int:
    """Bytes of the engine's own files in one query (page HTML, theme CSS and JS left out)."""
    return sum(f["transfer"] for f in run["files"] if SEARCH_FILES.match(f["path"]))


IN_PAGE = """async (queries) => {
  const engine = window.GP_SEARCH.engine();
  await engine.load();
  const out = {search: {}, suggest: {}};
  for (const q of queries) {
    const t = performance.now();
    const result = await engine.search(q);
    const items = await result.take(20);
    out.search[q] = [performance.now() - t, result.ranked.length, items.length];
  }
  const input = document.querySelector('.gp-header-search input');
  input.focus();
  await engine.suggestions();
  for (const q of ['瑞', '瑞金', 'rjs', '乡村', '第1', 'zz']) {
    const t = performance.now();
    input.value = q;
    input.dispatchEvent(new Event('input'));
    out.suggest[q] = performance.now() - t;
  }
  return out;
}"""


def in_page(base_url: str, repeat: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.chromium import ARGS, CHROMIUM

    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        for _ in range(repeat):
            context = browser.new_context()
            page = context.new_page()
            page.goto(base_url + "/search/")
            runs.append(page.evaluate(IN_PAGE, QUERIES))
            context.close()
        browser.close()
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--projects", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--site", type=Path, help="an already built national site (skips generating and building)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        site, build_line = (args.site.resolve(), "(build skipped)") if args.site else build_national(tmp / "portal", args.projects)
        ours = reindex(site, tmp, args.repeat)
        copy = tmp / "pf-site"
        link_copy(site, copy, "pagefind")
        pf_index = index_pagefind(copy, copy / "pagefind", args.repeat)
        pf_page = pagefind_results_page(copy)
        with serve(copy) as base_url:
            pf = browser_figures(base_url, pf_page, QUERIES, ".pagefind-ui__result-link", args.repeat)
            mine = browser_figures(base_url, "/search/", QUERIES, ".gp-result-link", args.repeat)
            engine = in_page(base_url, args.repeat)
        pages = sum(1 for _ in site.rglob("index.html"))
    print(f"\nnational site: {pages} pages; in the build: {build_line}")
    print(f"\nindex ({args.repeat} runs, min / median)          ours (standalone)        Pagefind        ratio")
    o, p = ours["seconds"], pf_index["seconds"]
    print(
        f"  wall seconds                       {o['min']:7.1f} / {o['median']:5.1f}    {p['min']:7.1f} / {p['median']:5.1f}   {o['median'] / p['median']:5.2f}×"
    )
    print(
        f"  peak RSS MB                        {ours['peak_mb']:15.0f}    {pf_index['peak_mb']:15.0f}   {ours['peak_mb'] / pf_index['peak_mb']:5.2f}×"
    )
    print(f"  on disk MB                         {ours['bytes'] / 2**20:15.1f}    {pf_index['bundle_bytes'] / 2**20:15.1f}")
    print("\nin Chromium: search files fetched (KiB) and ms to the first visible result, min / median")
    print(f"  {'query':<22}{'cache':<7}{'ours KiB':>16}{'Pagefind KiB':>16}{'ours ms':>16}{'Pagefind ms':>16}")
    for q_ours, q_pf in zip(mine["queries"], pf["queries"], strict=True):
        kib = [spread([payload(r) / 1024 for r in q["runs"]]) for q in (q_ours, q_pf)]
        ms = [q["ms"] for q in (q_ours, q_pf)]
        pad = 22 - sum(2 if ord(c) > 0x2E7F else 1 for c in q_ours["query"])
        cells = [f"{k['min']:6.1f} /{k['median']:6.1f}" for k in kib] + [f"{m['min']:6.0f} /{m['median']:6.0f}" for m in ms]
        print(f"  {q_ours['query']}{' ' * max(pad, 1)}{q_ours['cache']:<7}" + "".join(f"{c:>16}" for c in cells))
    print("\nour engine in the page (no navigation), median over runs: ms to 20 verified results (candidates)")
    for q in QUERIES:
        values = [run["search"][q] for run in engine]
        print(f"  {q:<20} {statistics.median(v[0] for v in values):7.1f} ms  ({values[0][1]} pages)")
    print(
        "suggestions, ms from keystroke to list (median): "
        + ", ".join(f"{q} {statistics.median(run['suggest'][q] for run in engine):.1f}" for q in engine[0]["suggest"])
    )
    first = spread([payload(r) / 1024 for r in mine["queries"][0]["runs"]])["median"]
    following = max(spread([payload(r) / 1024 for r in q["runs"]])["median"] for q in mine["queries"][1:])
    broad = mine["queries"][1]["ms"]["median"]
    print(
        f"\nbudget: first query {first:.0f} KiB (≤ {BUDGET['first_kib']}), following ≤ {following:.0f} KiB (≤ {BUDGET['next_kib']}), "
        f"乡村骨干教师 first result {broad:.0f} ms after navigation (≤ {BUDGET['broad_ms']}), "
        f"index {o['median']:.1f} s standalone (≤ {BUDGET['index_s']}), peak {ours['peak_mb']:.0f} MB (≤ {BUDGET['index_mb']})"
    )


if __name__ == "__main__":
    main()
