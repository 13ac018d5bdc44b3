"""The preview's only contact with MkDocs: a full build, then single pages re-rendered.

Pages go through MkDocs' own page steps (`_populate_page`, `_build_page`: the hooks,
Markdown, the theme) with the files and navigation of the full build, so a re-rendered
page is the page a full build would write. Should the engine change, this module is what
changes with it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from .scope import PROVINCE_ENV

log = logging.getLogger("mkdocs.preview")


class MkDocsSite:
    """A built site that can take new, changed and removed pages one at a time."""

    def __init__(self, config_file: Path, site_dir: Path, province: str | None = None):
        self.config_file, self.site_dir, self.province = config_file, site_dir, province
        self.config = None
        self.hooks = None

    def build(self) -> dict:
        """A full build, as `mkdocs build` does it; returns the hooks' state (raises on bad data)."""
        before = os.environ.pop(PROVINCE_ENV, None)
        if self.province:
            os.environ[PROVINCE_ENV] = self.province
        try:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir), strict=False)
            mkdocs_build.build(config)
        finally:  # the scope is this build's, not the process's
            os.environ.pop(PROVINCE_ENV, None)
            if before is not None:
                os.environ[PROVINCE_ENV] = before
        self.config = config
        self.hooks = next(m for m in config["hooks"].values() if hasattr(m, "use_dataset"))
        self.state["search_pages"].clear()  # the preview leaves the search index as built
        return self.state

    @property
    def state(self) -> dict:
        return self.hooks._state

    def generated(self) -> dict[str, str]:
        """src_uri → content of every page and file the hooks generated."""
        return {f.src_uri: f.content_string for f in self.state["files"] if f.abs_src_path is None and f.generated_by}

    def put(self, pages: dict[str, str]) -> None:
        """Write new or changed generated pages (Markdown) and files (anything else)."""
        config, files = self.config, self.state["files"]
        fresh = []
        for src_uri, content in pages.items():
            file = files.get_file_from_path(src_uri)
            if file is None:
                file = File.generated(config, src_uri, content=content)
                files.append(file)
            else:  # the same File and Page: the navigation holds them (the section index pages)
                file.content_string = content
            fresh.append(file)
        for file in fresh:
            if file.is_documentation_page():
                if file.page is None:
                    Page(None, file, config)
                mkdocs_build._populate_page(file.page, config, files)
        self._write([f for f in fresh if f.is_documentation_page()])
        for file in fresh:
            if not file.is_documentation_page():
                file.copy_file()

    def refresh(self, src_uris: set[str]) -> list[str]:
        """Re-render hand-written pages (a notice shows its document's data); returns those found."""
        files = self.state["files"]
        pages = [f for f in (files.get_file_from_path(s) for s in sorted(src_uris)) if f is not None and f.page is not None]
        for file in pages:
            mkdocs_build._populate_page(file.page, self.config, files)
        self._write(pages)
        return [f.src_uri for f in pages]

    def remove(self, src_uris: set[str]) -> None:
        files = self.state["files"]
        for src_uri in src_uris:
            file = files.get_file_from_path(src_uri)
            if file is None:
                continue
            files.remove(file)
            target = Path(file.abs_dest_path)
            target.unlink(missing_ok=True)
            if file.is_documentation_page() and target.parent != self.site_dir and not any(target.parent.iterdir()):
                target.parent.rmdir()

    def _write(self, files: list) -> None:
        doc_files = self.state["files"].documentation_pages()
        for file in files:
            mkdocs_build._build_page(file.page, self.config, doc_files, self.state["nav"], self.state["theme_env"])
        self.state["search_pages"].clear()
