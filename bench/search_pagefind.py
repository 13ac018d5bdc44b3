"""Baseline search benchmark: Pagefind on a built site, measured in Chromium.

The functions return plain dicts so that a driver can run the same measurements on
another engine (give browser_figures that engine's results page and result selector):
  index_pagefind     wall seconds, peak RSS and bundle size of `python -m pagefind`
  serve              a quiet threaded static server on 127.0.0.1 (files sent as they are)
  browser_figures    bytes fetched and in-page ms to the first visible result, first query
                     in a fresh browser context, following queries in the same page

Run alone: python bench/search_pagefind.py --site /work/scratch/national/site
(the site is linked into a temporary copy; the given directory is never written).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, urlsplit

from playwright.sync_api import Error, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.chromium import ARGS, CHROMIUM  # noqa: E402

QUERIES = ["南康区", "乡村骨干教师", "瑞金市", "赣教师字〔2022〕14号", "数字素养"]
GNU_TIME = Path("/usr/bin/time")

# Records performance.now() (ms since this document's navigation start) when the first
# element matching the selector is in the layout; installed before any page script runs.
FIRST_RESULT_JS = """(selector) => {
  const seen = () => {
    const el = document.querySelector(selector);
    return el && (el.checkVisibility ? el.checkVisibility() : el.getClientRects().length > 0);
  };
  const observer = new MutationObserver(() => {
    if (window.__benchFirstResult === undefined && seen()) {
      window.__benchFirstResult = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, {childList: true, subtree: true, attributes: true, characterData: true});
}"""


def spread(values: list[float]) -> dict:
    return {"min": min(values), "median": statistics.median(values)}


def tree_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def index_pagefind(site_dir: Path, out_dir: Path, repeat: int = 3) -> dict:
    """Index site_dir into out_dir `repeat` times from scratch.

    The `pagefind` Python wrapper execv()s its binary, so the peak RSS that GNU time
    reports for the command (the largest process of the tree) is the binary's. Without
    /usr/bin/time the fallback is getrusage(RUSAGE_CHILDREN), the largest child so far.
    """
    seconds, peaks = [], []
    for _ in range(repeat):
        shutil.rmtree(out_dir, ignore_errors=True)
        command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(out_dir), "--silent"]
        with tempfile.NamedTemporaryFile(suffix=".time") as report:
            if GNU_TIME.exists():
                command = [str(GNU_TIME), "-v", "-o", report.name, *command]
            start = time.perf_counter()
            subprocess.run(command, check=True)
            seconds.append(time.perf_counter() - start)
            found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", Path(report.name).read_text())
        kbytes = int(found.group(1)) if found else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        peaks.append(kbytes / 1024)
    return {
        "seconds": spread(seconds),
        "peak_mb": max(peaks),
        "bundle_bytes": tree_bytes(out_dir),
        "bundle_files": sum(1 for f in out_dir.rglob("*") if f.is_file()),
    }


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve site_dir on a free port of 127.0.0.1, files as they are (no Content-Encoding)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site_dir)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def pagefind_results_page(site_dir: Path, bundle_dir_name: str = "pagefind") -> str:
    """Write a bare Pagefind UI results page searching for ?q=; return its URL path."""
    bundle = f"/{bundle_dir_name}/"
    page = site_dir / "_bench_pagefind" / "index.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(
        f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind bench</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{bundle}pagefind-ui.css">
<script src="{bundle}pagefind-ui.js"></script>
</head><body><div id="search"></div>
<script>
  const ui = new PagefindUI({{element: "#search", bundlePath: "{bundle}", showSubResults: false, showImages: false}});
  const q = new URLSearchParams(location.search).get("q");
  if (q) {{ ui.triggerSearch(q); }}
</script>
</body></html>
""",
        encoding="utf-8",
    )
    return "/_bench_pagefind/"


class Recorder:
    """Requests seen by a browser context since the last clear(), and which have ended."""

    def __init__(self, context) -> None:
        self.requests: list = []
        self.ended: set[int] = set()
        # Context-level, so that the Web Worker's fetches are counted as well.
        context.on("request", lambda r: self.requests.append(r))
        context.on("requestfinished", lambda r: self.ended.add(id(r)))
        context.on("requestfailed", lambda r: self.ended.add(id(r)))

    def clear(self) -> None:
        self.requests.clear()
        self.ended.clear()

    def settled(self) -> bool:
        return all(id(r) in self.ended for r in self.requests)


def resource_timing(page) -> dict[str, tuple[int, int]]:
    """(transferSize, encodedBodySize) by URL from the page's and its workers' Resource Timing."""
    script = "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]"
    script += ".map(e => [e.name, e.transferSize, e.encodedBodySize])"
    entries = page.evaluate(script)
    for worker in page.workers:
        with contextlib.suppress(Error):
            entries += worker.evaluate(script)
    return {name: (transfer, encoded) for name, transfer, encoded in entries}


def file_figures(request, timing: dict[str, tuple[int, int]]) -> dict:
    """Bytes one request brought in; zero when it was served from the cache or revalidated (304).

    responseBodySize is Chromium's encoded length minus the headers: negative for a cache hit,
    0 for a revalidation, but also 0 for a Web Worker's own script fetched over the network.
    That 0 (or no sizes at all) is settled by Resource Timing, whose transferSize is 0 from
    the cache, 300 for a revalidation and 300 + the encoded body for a fetch.
    """
    response = request.response()
    try:
        decoded = len(response.body())
    except Error:  # redirects have no body
        decoded = 0
    try:
        sizes = request.sizes()
        body_size, headers, source = sizes["responseBodySize"], max(sizes["responseHeadersSize"], 0), "sizes"
    except Error:
        body_size, headers, source = None, 0, "body"
    transfer = decoded if body_size is None else max(body_size, 0)
    if (body_size is None or body_size == 0) and decoded and request.url in timing:
        transfer_size, encoded = timing[request.url]
        transfer, source = (encoded if transfer_size > 300 else 0), "timing"
    if body_size is not None and body_size < 0:
        headers = 0  # the headers came from the cache too
    if transfer == 0:
        decoded = 0
    return {
        "path": urlsplit(request.url).path,
        "status": response.status,
        "decoded": decoded,
        "transfer": transfer,
        "headers": headers,
        "source": source,
    }


def one_query(page, url: str, log: Recorder, quiet_ms: int, timeout_ms: int) -> dict:
    """Navigate to url, wait for the first result and a quiet network; sum what came in."""
    log.clear()
    page.goto(url)
    page.wait_for_function("window.__benchFirstResult !== undefined", timeout=timeout_ms)
    ms = page.evaluate("window.__benchFirstResult")
    # Trailing fetches (the other results' fragments) belong to this query too.
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        seen = len(log.requests)
        page.wait_for_timeout(quiet_ms)
        if len(log.requests) == seen and log.settled():
            break
    timing = resource_timing(page)
    files = [file_figures(request, timing) for request in log.requests if request.response() is not None]
    files.sort(key=lambda f: (f["transfer"], f["decoded"]), reverse=True)
    return {
        "ms": ms,
        "decoded": sum(f["decoded"] for f in files),
        "transfer": sum(f["transfer"] for f in files),
        "headers": sum(f["headers"] for f in files),
        "requests": len(files),
        "fetched": sum(1 for f in files if f["transfer"] or f["decoded"]),
        "sources": sorted({f["source"] for f in files}),
        "largest": [f for f in files if f["transfer"]][:10],
        "files": files,
    }


def browser_figures(
    base_url: str,
    page_path: str,
    queries: list[str],
    result_selector: str,
    repeat: int = 3,
    quiet_ms: int = 1000,
    timeout_ms: int = 120_000,
) -> dict:
    """First query in a fresh context (empty cache), the others after it in the same page."""
    runs: list[list[dict]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        try:
            for _ in range(repeat):
                context = browser.new_context()
                log = Recorder(context)
                page = context.new_page()
                page.add_init_script(f"({FIRST_RESULT_JS})({result_selector!r})")
                runs.append([one_query(page, f"{base_url}{page_path}?q={quote(q)}", log, quiet_ms, timeout_ms) for q in queries])
                context.close()
        finally:
            browser.close()
    figures = []
    for n, query in enumerate(queries):
        per_run = [run[n] for run in runs]
        figures.append(
            {
                "query": query,
                "cache": "cold" if n == 0 else "warm",
                "ms": spread([r["ms"] for r in per_run]),
                "decoded": spread([r["decoded"] for r in per_run]),
                "transfer": spread([r["transfer"] for r in per_run]),
                "runs": per_run,
            }
        )
    return {"selector": result_selector, "repeat": repeat, "queries": figures}


def link_copy(site_dir: Path, copy_dir: Path, skip: str) -> None:
    """Hard-link the site's files into copy_dir (copy across file systems), minus its bundle."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(site_dir, copy_dir, copy_function=link, ignore=lambda d, names: [skip] if Path(d) == site_dir else [])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, required=True, help="a built site (its own pagefind/ is ignored)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site_dir = args.site.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "site"
        link_copy(site_dir, copy, "pagefind")
        pages = sum(1 for _ in copy.rglob("*.html"))
        index = index_pagefind(copy, copy / "pagefind", args.repeat)
        page_path = pagefind_results_page(copy)
        with serve(copy) as base_url:
            browser = browser_figures(base_url, page_path, QUERIES, ".pagefind-ui__result-link", args.repeat)
    mb = 1024 * 1024
    print(f"site: {site_dir} ({pages} HTML files)")
    seconds = index["seconds"]
    print(f"pagefind index   : {seconds['min']:6.2f} s min, {seconds['median']:6.2f} s median over {args.repeat} runs")
    print(f"peak RSS         : {index['peak_mb']:6.0f} MB")
    print(f"bundle           : {index['bundle_bytes'] / mb:6.1f} MB on disk in {index['bundle_files']} files")
    print(f"\nin Chromium, {args.repeat} runs (min / median); the first query cold, the rest in the same page")
    print(f"{'query':<24}{'cache':<7}{'decoded KiB':>20}{'transfer KiB':>20}{'first result ms':>22}")
    for q in browser["queries"]:
        kb = [f"{q[key]['min'] / 1024:8.1f} /{q[key]['median'] / 1024:8.1f}" for key in ("decoded", "transfer")]
        ms = f"{q['ms']['min']:9.0f} /{q['ms']['median']:9.0f}"
        # Pad by display width: CJK characters take two columns.
        pad = 24 - sum(2 if ord(c) > 0x2E7F else 1 for c in q["query"])
        print(f"{q['query']}{' ' * max(pad, 1)}{q['cache']:<7}{kb[0]:>20}{kb[1]:>20}{ms:>22}")
    sources = {s for q in browser["queries"] for r in q["runs"] for s in r["sources"]}
    if "timing" in sources:
        print("note: some sizes came from Resource Timing (responseBodySize 0 with a body, e.g. the worker script)")
    if "body" in sources:
        print("note: request.sizes() was unavailable for some requests; their transfer is the decoded body size")
    for q in browser["queries"]:
        first = q["runs"][0]
        print(f"\n{q['query']} (run 1): {first['fetched']} of {first['requests']} requests brought bytes; the largest:")
        for f in first["largest"]:
            print(f"  {f['transfer'] / 1024:8.1f} KiB  {f['decoded'] / 1024:8.1f} KiB decoded  {f['path']}")


if __name__ == "__main__":
    main()
