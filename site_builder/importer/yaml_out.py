"""Write built records as YAML in the style of data/*.yaml, with comments where a person must look."""

from __future__ import annotations

import yaml

from ..dataset import Dataset
from .outcome import Outcome


def render(outcome: Outcome, dataset: Dataset) -> str:
    """The output file: a heading comment, then each record in schema field order."""
    order = [f["name"] for f in dataset.schema_fields(outcome.resource)]
    title = dataset.resource(outcome.resource).get("title", outcome.resource)
    lines = [
        f"# {title}：由 python -m site_builder import 从“{outcome.source}”导入（{outcome.context_title}）。",
        "# 核对后把记录并入 data/" + dataset.resource(outcome.resource)["path"] + "，再运行 python -m site_builder validate；",
        "# 值为“【待填】…”的字段须人工填写，带“须人工核对”注释的记录须先核对原表。",
    ]
    for built in outcome.built:
        lines.append("")
        lines += [f"# {built.where}须人工核对：{_one_line(issue)}" for issue in built.issues]
        lines += _record_lines(built.record, order)
    return "\n".join(lines) + "\n"


def _record_lines(record: dict, order: list[str]) -> list[str]:
    keys = [k for k in order if k in record] + [k for k in record if k not in order]
    out = []
    for n, key in enumerate(keys):
        lead = "- " if n == 0 else "  "
        out.append(f"{lead}{key}: {scalar(record[key])}")
    return out


def scalar(value: object) -> str:
    """One value as YAML on one line: lists in flow style, text quoted only where YAML needs it."""
    if isinstance(value, list):
        return yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000).strip()
    dumped = yaml.safe_dump(value, allow_unicode=True, width=1_000_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def _one_line(text: str) -> str:
    return " ".join(text.split())
