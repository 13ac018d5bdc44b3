"""Run every check over the data folder and return the problems found."""

from __future__ import annotations

import logging
from pathlib import Path

from . import call_checks, reference_checks, rule_checks
from .dataset import Dataset, load_dataset
from .problems import Problem, sort_key
from .schema_check import check_schema
from .yaml_records import MAX_FILE_BYTES

log = logging.getLogger(__name__)

# A file that could not be read at all would make every reference into it look
# broken; report only why it could not be read.
FATAL_CODES = {"file-missing", "file-too-large", "encoding", "tab", "yaml-syntax", "not-a-list", "alias", "descriptor"}

CHECKS = [
    check_schema,
    reference_checks.check_provinces,
    reference_checks.check_county_references,
    reference_checks.check_county_records,
    reference_checks.check_institution_aliases,
    rule_checks.check_project_scope,
    rule_checks.check_durations,
    rule_checks.check_years,
    rule_checks.check_dates,
    rule_checks.check_training_periods,
    rule_checks.check_county_lists,
    rule_checks.check_pages,
    rule_checks.check_text,
    call_checks.check_call_dates,
    call_checks.check_call_projects,
]


def validate(data_dir: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[Dataset, list[Problem]]:
    """Load and check the package in `data_dir`; problems come sorted by file and line."""
    dataset, problems = load_dataset(Path(data_dir), max_bytes)
    if not any(p.code in FATAL_CODES for p in problems):
        for check in CHECKS:
            problems.extend(check(dataset))
    log.debug("validated %s: %d problems", data_dir, len(problems))
    return dataset, sorted(set(problems), key=sort_key)


# Records written by `import` hold “【待填】…” where only a person can decide (importer/placeholders.py).
from .importer.placeholders import check_placeholders  # noqa: E402

CHECKS.append(check_placeholders)
