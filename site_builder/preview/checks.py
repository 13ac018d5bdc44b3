"""Validation after an edit, without running Frictionless over every record again.

The checks of `validate.CHECKS` other than the schema check run over the whole new dataset
as they do in a build (about a second nationally). The schema check — most of validation's
time — runs over the records the edit touched only; keys and foreign keys are then checked
across all records here (a duplicate id, a reference left dangling by a
renamed or removed record). Starting from data that passed, that finds what a full validation
finds; whenever it finds anything, or the previous data did not pass, the full checks run,
so what staff read is always the validator's own list.
"""

from __future__ import annotations

from site_builder.dataset import Dataset
from site_builder.problems import Problem, sort_key
from site_builder.schema_check import check_schema
from site_builder.validate import CHECKS, FATAL_CODES


def full_checks(dataset: Dataset, load_problems: list[Problem]) -> list[Problem]:
    """What `validate()` returns for data already loaded."""
    problems = list(load_problems)
    if not any(p.code in FATAL_CODES for p in problems):
        for check in CHECKS:
            problems.extend(check(dataset))
    return sorted(set(problems), key=sort_key)


def _foreign_keys(dataset: Dataset, name: str) -> list[dict]:
    return dataset.resource(name).get("schema", {}).get("foreignKeys", [])


def _key(record: dict, fields: list[str]) -> tuple:
    return tuple(record.get(f) for f in fields)


def _new(dataset: Dataset, touched: dict[str, list], name: str) -> list:
    """The touched records of `name` as they are now (touched lists hold old versions too)."""
    new = {id(r) for r in touched.get(name, [])}
    return [r for r in dataset.get(name) if id(r) in new]


def _keys_hold(dataset: Dataset, touched: dict[str, list]) -> bool:
    """No duplicate primary key among touched resources, no foreign key pointing nowhere."""
    for name in touched:
        schema = dataset.resource(name).get("schema", {})
        unique = [[f["name"]] for f in schema.get("fields", []) if (f.get("constraints") or {}).get("unique")]
        for fields in [schema.get("primaryKey") or []] + unique:
            keys = [_key(r, fields) for r in dataset.get(name)]
            keys = [k for k in keys if any(v is not None for v in k)]
            if fields and len(set(keys)) != len(keys):
                return False
    for resource in dataset.descriptor.get("resources", []):
        name = resource["name"]
        for fk in _foreign_keys(dataset, name):
            target = fk["reference"]["resource"]
            if target not in touched and name not in touched:
                continue  # both sides as they were when the data last passed
            present = {_key(r, fk["reference"]["fields"]) for r in dataset.get(target)}
            # The referring records that could now point nowhere: all of them when the target moved.
            for record in dataset.get(name) if target in touched else _new(dataset, touched, name):
                value = _key(record, fk["fields"])
                if all(v is not None for v in value) and value not in present:
                    return False
    return True


def quick_checks(dataset: Dataset, touched: dict[str, list]) -> list[Problem] | None:
    """The problems of an edit to valid data, or None when only the full checks can tell."""
    # Only the touched records go through Frictionless, their foreign keys left to `_keys_hold`:
    # its set-up per resource, not the rows, is what costs at this size.
    resources = []
    for resource in dataset.descriptor.get("resources", []):
        if resource["name"] in touched:
            schema = {k: v for k, v in resource.get("schema", {}).items() if k != "foreignKeys"}
            resources.append({**resource, "schema": schema})
    records = {r["name"]: _new(dataset, touched, r["name"]) for r in resources}
    mini = Dataset(root=dataset.root, descriptor={**dataset.descriptor, "resources": resources}, records=records)
    problems = check_schema(mini) if resources else []
    if problems or not _keys_hold(dataset, touched):
        return None
    for check in CHECKS:
        if check is not check_schema:
            problems.extend(check(dataset))
    if any(p.severity == "error" for p in problems):
        return None
    return sorted(set(problems), key=sort_key)
