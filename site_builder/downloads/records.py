"""One small JSON file per record that has a page: records/<resource>/<key>.json.

The key is the one in the page's URL (project id, institution and county slugs), so a
page links its own data as `{{ base }}downloads/records/<resource>/<key>.json`
(macro `record_json_link` in templates/_data_links.j2).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from ..dataset import Dataset
from ..site_model import county_slug, institution_slug
from .tables import json_record

RECORDS_DIR = "records"


def _id(record: dict) -> str:
    return str(record["id"])


RECORD_KEYS: dict[str, Callable[[dict], str]] = {
    "projects": _id,
    "documents": _id,
    "calls": _id,
    "call_projects": _id,
    "county_lists": _id,
    "institutions": lambda r: institution_slug(r["name"]),
    "counties": county_slug,
}
_SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def record_path(resource: str, key: str) -> str:
    """The record's file under downloads/ (a URL path as well)."""
    if not _SAFE_KEY.fullmatch(key):
        raise ValueError(f"unsafe record file name for {resource}: {key!r}")
    return f"{RECORDS_DIR}/{resource}/{key}.json"


def write_records(dataset: Dataset, out: Path) -> int:
    """Write every record of RECORD_KEYS' resources under out/records/; return the file count."""
    root = out / RECORDS_DIR
    if root.exists():
        shutil.rmtree(root)  # records deleted since the last build must not stay downloadable
    count = 0
    for resource, key_of in RECORD_KEYS.items():
        fields = [f["name"] for f in dataset.schema_fields(resource)]
        folder = root / resource
        folder.mkdir(parents=True)
        # ~19,000 files at national scale: creating them is most of the cost, and opening
        # each relative to its folder's descriptor spares the path walk (about a quarter).
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            for record in dataset.get(resource):
                name = record_path(resource, key_of(record)).rsplit("/", 1)[1]
                data = json.dumps(json_record(record, fields), ensure_ascii=False, indent=1).encode("utf-8")
                fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644, dir_fd=dir_fd)
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view) :]
                finally:
                    os.close(fd)
                count += 1
        finally:
            os.close(dir_fd)
    return count
