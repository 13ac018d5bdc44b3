"""MkDocs hooks: validate data, generate its pages, publish downloads and search.

Wired in through `hooks:` in mkdocs.yml, so `mkdocs build --strict` is the build
and `mkdocs serve` rebuilds when data/ changes.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import os
import time
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from site_builder.downloads import write_downloads
from site_builder.history import record_dates
from site_builder.notices import notice_markdown
from site_builder.pages import generate_pages, make_environment, restore_html
from site_builder.preview.scope import PROVINCE_ENV, restrict
from site_builder.problems import format_text
from site_builder.search import search_page, write_index
from site_builder.site_model import SiteModel, province_slug
from site_builder.validate import validate

log = logging.getLogger("mkdocs.hooks.portal")
_state: dict = {}


def _data_dir(config) -> Path:
    return Path(config.config_file_path).parent / "data"


def on_config(config):
    """Validate the data first: a build with bad data stops with file:line messages."""
    dataset, problems = validate(_data_dir(config))
    errors = [p for p in problems if p.severity == "error"]
    for warning in (p for p in problems if p.severity == "warning"):
        log.info(warning.text())
    if errors:
        raise PluginError("数据校验未通过，网站未构建：\n" + format_text(errors))
    _state["full_dataset"] = dataset
    if os.environ.get(PROVINCE_ENV):  # a preview of one province: every page of it, none of the others
        dataset = restrict(dataset, os.environ[PROVINCE_ENV])
    use_dataset(dataset)
    return config


def use_dataset(dataset) -> None:
    """Make `dataset` what the page hooks render from (the preview calls this after an edit)."""
    model = SiteModel(dataset)
    by_document: dict[str, list] = {}
    for project in dataset.get("projects"):  # in file order: the order of the notice's table
        by_document.setdefault(project["document"], []).append(project)
    _state.update(
        dataset=dataset,
        model=model,
        env=make_environment(model),
        projects_by_document=by_document,
        documents_by_page={d["page"]: d for d in dataset.get("documents")},
        search_pages=[],
        search_seconds=0.0,
    )


def on_files(files: Files, config) -> Files:
    """Add one generated page per record and listing; generated pages win over files."""
    dataset = _state["dataset"]
    updated = _state["updated"] = record_dates(dataset)
    for src_uri, markdown in generate_pages(_state["model"], dataset.version, updated, dt.date.today()):
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, src_uri, content=markdown))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Head each notice page with its facts from data and put in the projects made from it."""
    document = _state["documents_by_page"].get(page.file.src_uri)
    if document is None:
        return markdown
    page.meta["search"] = {
        "kind": "文件",
        "province": document.get("province"),
        "year": document.get("year"),
        "names": [document.get("doc_number"), document.get("title")],
    }
    page.meta.setdefault("hide", ["navigation"])  # the 文件 tab has no side navigation: give the text the width
    base = "../" * page.url.count("/")
    projects = _state["projects_by_document"].get(document["id"], [])
    markdown = notice_markdown(markdown, document, projects, _state["env"], base)
    return f'{markdown}\n\n<p class="gp-meta">数据版本 {_state["dataset"].version}</p>\n'


def on_page_content(html: str, page, config, files) -> str:
    """Put back the HTML blocks that generated pages kept out of Markdown; collect the page for search."""
    html = restore_html(page.file.src_uri, html)
    if page.meta.get("search") != "exclude":
        start = time.perf_counter()
        pages = _state["search_pages"]
        pages.append(search_page("/" + page.url, page.title or "", html, page.meta.get("search")))
        if len(pages) % 1000 == 0:
            # A national build holds ~20,000 pages in memory; every full garbage collection
            # walks all of them. Frozen objects are skipped (refcounting still frees them), which
            # halved the index's share of the build. Undone in on_post_build.
            gc.freeze()
        _state["search_seconds"] += time.perf_counter() - start
    return html


def on_nav(nav, config, files):
    """Keep what the preview needs to render single pages later with the same theme."""
    _state.update(nav=nav, files=files)
    return nav


def on_env(env, config, files):
    _state["theme_env"] = env
    return env


def on_serve(server, config, builder):
    """Rebuild when the data changes, not only the Markdown."""
    server.watch(str(_data_dir(config)))
    return server


def on_post_build(config) -> None:
    """Write the data downloads and the search index into the built site."""
    site = Path(config.site_dir)
    write_downloads(_state["dataset"], site / "downloads")
    catalogues = {p["province"]: province_slug(p["province"]) for p in _state["model"].projects}
    start = time.perf_counter()
    gc.freeze()
    try:
        stats = write_index(_state["search_pages"], site, catalogues)
    finally:
        gc.unfreeze()  # `mkdocs serve` rebuilds in the same process: let old builds be collected
    log.info(
        f"搜索索引：{stats.pages} 个页面，{stats.units} 个单元，{stats.shards} 个分片，{stats.bytes / 1e6:.1f} MB；"
        f"提取文本 {_state['search_seconds']:.1f} s，写入 {time.perf_counter() - start:.1f} s"
    )
