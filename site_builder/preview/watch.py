"""Notice edits under the project and hand each to the preview the cheapest correct way.

Polling a few hundred files' modification times costs nothing next to a build and works the
same on every file system (network drives and editors that replace files included).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from site_builder.dataset import DESCRIPTOR

from .session import Preview

log = logging.getLogger("mkdocs.preview")
WATCHED = ("data", "content", "overrides", "mkdocs.yml")


def snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    out = {}
    for name in WATCHED:
        top = root / name
        for path in [top] if top.is_file() else top.rglob("*"):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.is_file():
                out[path] = (stat.st_mtime_ns, stat.st_size)
    return out


def apply(preview: Preview, root: Path, before: dict, after: dict) -> None:
    """Data edits update the changed pages, an edited notice or page is re-rendered, anything else rebuilds."""
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    if not changed:
        return
    # A changed descriptor can make any record newly valid or invalid: that is a full build.
    data = {p for p in changed if p.is_relative_to(root / "data") and p.name != DESCRIPTOR}
    docs_dir = root / "content"
    pages = {p for p in changed - data if p.suffix == ".md" and p.is_relative_to(docs_dir) and p in before and p in after}
    if changed - data - pages or not preview.built:
        preview.build()
        return
    if data:
        preview.update()
    if pages and preview.valid:
        preview.refresh({p.relative_to(docs_dir).as_posix() for p in pages})


def watch(preview: Preview, root: Path, stop: threading.Event, interval: float = 0.1) -> None:
    """Poll until `stop` is set; an edit is applied once its files have stopped changing."""
    seen = snapshot(root)
    while not stop.wait(interval):
        now = snapshot(root)
        if now == seen:
            continue
        while not stop.wait(interval / 2):  # an editor may write a file in several steps
            settled = snapshot(root)
            if settled == now:
                break
            now = settled
        try:
            apply(preview, root, seen, now)
        except Exception:  # the preview must outlive any one bad edit; the next edit builds afresh
            log.exception("预览更新失败：下一次保存时将完整重建")
            preview.built = False
        seen = now
