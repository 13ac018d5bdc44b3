"""What a change does to the data: records added, removed and changed, by key.

Staff reviewing a pull request see “jx2022-004 participants: 300 → 320” instead
of a YAML diff.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset, load_dataset


@dataclass
class ResourceDiff:
    name: str
    title: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[tuple[str, object, object]]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def dataset_at(ref: str, data_dir: Path, workdir: Path) -> Dataset:
    """Load the data folder as it was at git `ref` (missing files read as empty)."""
    repo = Path(
        subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=data_dir, capture_output=True, text=True, check=True).stdout.strip()
    )
    subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=repo, capture_output=True, check=True)
    prefix = data_dir.resolve().relative_to(repo.resolve()).as_posix()
    for path in data_dir.glob("*.yaml"):
        shown = subprocess.run(["git", "show", f"{ref}:{prefix}/{path.name}"], cwd=repo, capture_output=True)
        (workdir / path.name).write_bytes(shown.stdout if shown.returncode == 0 else b"[]\n")
    dataset, _ = load_dataset(workdir)
    return dataset


def _label(record: dict, key: list[str]) -> str:
    ident = "/".join(str(record.get(k)) for k in key)
    name = record.get("name") or record.get("title")
    return f"{ident} {name}" if name and name != record.get(key[-1]) else ident


def diff_datasets(old: Dataset, new: Dataset) -> list[ResourceDiff]:
    """Compare two datasets resource by resource, matching records by primary key."""
    out = []
    for resource in new.descriptor.get("resources", []):
        name = resource["name"]
        key = resource.get("schema", {}).get("primaryKey", ["id"])
        before = {tuple(r.get(k) for k in key): r for r in old.get(name)}
        after = {tuple(r.get(k) for k in key): r for r in new.get(name)}
        diff = ResourceDiff(name, resource.get("title", name))
        diff.added = [_label(after[k], key) for k in after if k not in before]
        diff.removed = [_label(before[k], key) for k in before if k not in after]
        for k in after.keys() & before.keys():
            fields = sorted(set(before[k]) | set(after[k]))
            changes = [(f, before[k].get(f), after[k].get(f)) for f in fields if before[k].get(f) != after[k].get(f)]
            if changes:
                diff.changed.append((_label(after[k], key), changes))
        diff.changed.sort()
        out.append(diff)
    return out


def _show(value) -> str:
    if value is None:
        return "（空）"
    text = "、".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def format_markdown(diffs: list[ResourceDiff], ref: str) -> str:
    """A summary for a pull request: one section per resource that changed."""
    changed = [d for d in diffs if not d.empty]
    if not changed:
        return f"与 {ref} 相比，数据没有变化。"
    lines = [f"## 数据变更（与 {ref} 相比）", ""]
    for d in changed:
        lines.append(f"### {d.title}：新增 {len(d.added)}，删除 {len(d.removed)}，修改 {len(d.changed)}")
        lines += [f"- 新增 {label}" for label in d.added]
        lines += [f"- 删除 {label}" for label in d.removed]
        for label, changes in d.changed:
            detail = "；".join(f"{f}：{_show(a)} → {_show(b)}" for f, a, b in changes)
            lines.append(f"- 修改 {label}：{detail}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def diff_against(ref: str, data_dir: Path) -> list[ResourceDiff]:
    with tempfile.TemporaryDirectory() as tmp:
        old = dataset_at(ref, data_dir, Path(tmp))
    new, _ = load_dataset(data_dir)
    return diff_datasets(old, new)
