"""Publish the data under downloads/: the Data Package, each resource as CSV and JSON, each record as JSON.

| file | for |
|---|---|
| `<resource>.zh.csv` | people: Excel-friendly, Chinese headers (schema titles), formulas neutralised |
| `<resource>.csv` | tools: English field names, the values as they are; described by datapackage.json |
| `<resource>.json` | tools: lists kept as arrays |
| `datapackage.json` | the Frictionless descriptor of the CSV files, with the notices as `sources` |
| `records/<resource>/<key>.json` | one record, linked from its page |

All CSV files are UTF-8 with a byte order mark. A host must serve `.csv` as
`text/csv; charset=utf-8` (the forms app does, see forms_app/web.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..dataset import Dataset
from .package import published_descriptor
from .records import RECORD_KEYS, record_path, write_records
from .tables import write_tables

__all__ = ["RECORD_KEYS", "published_descriptor", "record_path", "write_downloads", "write_records", "write_tables"]


def write_downloads(dataset: Dataset, out: Path) -> list[Path]:
    """Write the tables of every resource, datapackage.json and the record files; return the tables and descriptor written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in dataset.descriptor["resources"]:
        written += write_tables(out, resource["name"], resource["schema"]["fields"], dataset.get(resource["name"]))
    descriptor = published_descriptor(dataset)
    (out / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(out / "datapackage.json")
    write_records(dataset, out)
    return written
