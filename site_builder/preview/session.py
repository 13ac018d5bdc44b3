"""A preview session: one full build, then each data edit re-renders only what it touches.

After an edit: the changed records are re-read (`chunks`), checked (`checks`), compared with
the records on screen (`affected`); the pages that can show them are generated again, and of
those only pages whose Markdown changed go through MkDocs. The search index and the data
downloads stay as the full build wrote them (the preview says so on every page).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError

from site_builder import history
from site_builder.dataset import DESCRIPTOR
from site_builder.history import DATED
from site_builder.pages import _stashed, generate_pages
from site_builder.problems import Problem

from .affected import affected_pages, primary_key, record_page, touched_records
from .checks import full_checks, quick_checks
from .chunks import DataFiles
from .mkdocs_site import MkDocsSite
from .scope import restrict

log = logging.getLogger("mkdocs.preview")


@dataclass
class Update:
    """What the last update did, for the log, the page banner and the bench."""

    generation: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    parsed: int = 0
    generated: int = 0
    rendered: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    full: bool = False

    def summary(self) -> str:
        if self.full:
            return f"已完整构建网站（{sum(self.seconds.values()):.1f} 秒）"
        steps = "，".join(f"{k} {v:.2f} 秒" for k, v in self.seconds.items())
        return f"已更新 {len(self.rendered)} 个页面、删除 {len(self.removed)} 个（重新读取 {self.parsed} 条记录，比较 {self.generated} 个页面；{steps}）"


def _digest(src_uri: str, content: str) -> str:
    blocks = "\0".join(_stashed.get(src_uri, [])) if src_uri.endswith(".md") else ""
    return hashlib.sha1(f"{content}\0{blocks}".encode()).hexdigest()


class Preview:
    def __init__(self, config_file: Path, site_dir: Path, province: str | None = None):
        self.root = config_file.parent
        self.site = MkDocsSite(config_file, site_dir, province)
        self.province = province
        self.lock = threading.Lock()
        self.problems: list[Problem] = []  # errors on screen instead of pages
        self.last = Update()
        self.built = False

    @property
    def valid(self) -> bool:
        return self.built and not any(p.severity == "error" for p in self.problems)

    def build(self) -> Update:
        """A full build; on bad data the validator's problems are shown until the data passes."""
        start = time.perf_counter()
        with self.lock:
            try:
                state = self.site.build()
            except (PluginError, Abort):
                from site_builder.validate import validate

                _, self.problems = validate(self.root / "data")
                self.built = False
                return self._done(Update(full=True, seconds={"构建": time.perf_counter() - start}))
            self.data = DataFiles(state["full_dataset"])
            self.checked = state["full_dataset"]
            self.dataset, self.model, self.updated = state["dataset"], state["model"], state["updated"]
            self.digests = {src: _digest(src, content) for src, content in self.site.generated().items()}
            self.problems, self.built = [], True
            return self._done(Update(full=True, seconds={"构建": time.perf_counter() - start}))

    def update(self) -> Update:
        """Bring the site in line with data/ after an edit."""
        if not self.built:
            return self.build()
        with self.lock:
            return self._done(self._update())

    def refresh(self, src_uris: set[str]) -> Update:
        """Re-render hand-written pages whose Markdown was edited."""
        with self.lock:
            start = time.perf_counter()
            rendered = self.site.refresh(src_uris)
            return self._done(Update(rendered=rendered, seconds={"渲染": time.perf_counter() - start}))

    def _done(self, update: Update) -> Update:
        update.generation = self.last.generation + 1
        self.last = update
        log.info(update.summary() if not self.problems else f"数据有 {len(self.problems)} 个问题，预览显示问题清单")
        return update

    def _update(self) -> Update:
        clock, update = time.perf_counter(), Update()

        def lap(step: str) -> None:
            nonlocal clock
            now = time.perf_counter()
            update.seconds[step] = now - clock
            clock = now

        full, load_problems = self.data.reload()
        update.parsed = self.data.parsed
        lap("读取")
        problems, touched = None, None
        if self.valid and not any(p.severity == "error" for p in load_problems):
            touched = touched_records(self.checked, full)
            problems = quick_checks(full, touched)
        if problems is None:
            problems = full_checks(full, load_problems)
        lap("校验")
        self.problems = [p for p in problems if p.severity == "error"]
        if self.problems:
            return update
        self.checked = full
        dataset = restrict(full, self.province) if self.province else full
        if touched is None or self.province:  # else the records on screen are those last checked
            touched = touched_records(self.dataset, dataset)
        self.site.hooks.use_dataset(dataset)
        model = self.site.state["model"]
        affected = affected_pages(self.model, model, touched)
        self.updated, redated = self._dates(dataset, touched)
        affected.local |= redated
        self.site.state["updated"] = self.updated
        pages = dict(generate_pages(model, dataset.version, self.updated, dt.date.today(), affected.wants))
        update.generated = len(pages)
        lap("生成")
        changed = {src: md for src, md in pages.items() if self.digests.get(src) != _digest(src, md)}
        removed = {src for src in self.digests if affected.wants(src) and src not in pages}
        self.site.put(changed)
        self.site.remove(removed)
        notices = self.site.refresh(affected.notices)
        for src in changed:
            self.digests[src] = _digest(src, changed[src])
        for src in removed:
            del self.digests[src]
        update.rendered, update.removed = sorted(changed) + notices, sorted(removed)
        self.dataset, self.model = dataset, model
        lap("渲染")
        return update

    def _dates(self, dataset, touched: dict[str, list]) -> tuple[dict[tuple[str, int], str], set[str]]:
        """Each record's last change as `history.record_dates` gives it, without git blame again:
        unchanged records keep theirs, edited ones are dated today (blame's date for lines not
        yet committed); outside git every record of an edited file gets the file's date.
        Also returns the pages of records whose date moved."""
        today = dt.datetime.now(dt.UTC).date().isoformat()
        out, moved = {}, set()
        for name in DATED:
            new = {id(r) for r in touched.get(name, [])}
            key = primary_key(dataset, name)
            before = {key(r): self.updated.get((r.file, r.line)) for r in self.dataset.get(name)}
            file_date = None
            if name in touched and not self.in_git:
                mtime = (dataset.root / dataset.resource(name)["path"]).stat().st_mtime
                file_date = dt.date.fromtimestamp(mtime).isoformat()
            for record in dataset.get(name):
                old = before.get(key(record))
                date = file_date or (today if id(record) in new else old)
                if date:
                    out[(record.file, record.line)] = date
                if id(record) not in new and date != old:
                    moved.add(record_page(name, record))
        return out, moved

    @functools.cached_property
    def in_git(self) -> bool:
        """Whether the build dates records by `git blame` (else by file dates, as history.py falls back)."""
        return history.line_dates(self.root / "data" / DESCRIPTOR) is not None
