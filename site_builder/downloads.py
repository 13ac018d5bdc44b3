"""Publish the Data Package and each resource as CSV and JSON under downloads/."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from .dataset import Dataset


def _cell(value) -> str:
    if isinstance(value, list):
        return "；".join(map(str, value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _json_value(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def write_downloads(dataset: Dataset, out: Path) -> list[Path]:
    """Write datapackage.json plus <resource>.csv/.json; return the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    descriptor = json.loads(json.dumps(dataset.descriptor, default=str))
    for resource in descriptor["resources"]:
        name = resource["name"]
        fields = [f["name"] for f in resource["schema"]["fields"]]
        records = dataset.get(name)
        resource["path"] = f"{name}.csv"
        resource["format"] = "csv"
        resource["encoding"] = "utf-8-sig"
        # Lists become “；”-joined text in CSV; JSON keeps them as arrays.
        for field in resource["schema"]["fields"]:
            if field["type"] == "array":
                field.update(type="string", description=field["description"] + "（CSV 中多项以“；”分隔）")
                field.pop("arrayItem", None)
        with (out / f"{name}.csv").open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(fields)
            writer.writerows([_cell(r.get(f)) for f in fields] for r in records)
        rows = [{f: _json_value(r[f]) for f in fields if f in r} for r in records]
        (out / f"{name}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        written += [out / f"{name}.csv", out / f"{name}.json"]
    (out / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(out / "datapackage.json")
    return written
