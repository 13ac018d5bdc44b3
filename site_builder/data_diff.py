"""What a change does to the data: records added, removed and changed, by key.

Staff reviewing a pull request see “jx2022-004 人数：300 → 320” and
“县：+瑞金县 −瑞金市” instead of a YAML diff; `diff_effects` adds what follows from
it (counties gaining or losing projects, totals, problems introduced).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .dataset import Dataset
from .diff_effects import Effects, effects_of
from .diff_markdown import render
from .validate import FATAL_CODES, validate


@dataclass(frozen=True)
class FieldChange:
    name: str
    title: str
    before: object
    after: object

    @property
    def is_list(self) -> bool:
        return isinstance(self.before, list) or isinstance(self.after, list)

    def items_added(self) -> list:
        before = self.before if isinstance(self.before, list) else []
        return [item for item in (self.after if isinstance(self.after, list) else []) if item not in before]

    def items_removed(self) -> list:
        after = self.after if isinstance(self.after, list) else []
        return [item for item in (self.before if isinstance(self.before, list) else []) if item not in after]


@dataclass
class ResourceDiff:
    name: str
    title: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Review:
    """Everything the pull-request summary says."""

    ref: str
    resources: list[ResourceDiff]
    effects: Effects
    unreadable: list[str] = field(default_factory=list)  # titles of resources a side could not read


def _repo_root(path: Path) -> Path:
    out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=path, capture_output=True, text=True, check=True)
    return Path(out.stdout.strip())


def checkout_at(ref: str, data_dir: Path, workdir: Path) -> Path:
    """Write data/ and content/ as they were at git `ref` under `workdir`; return the data folder there."""
    data_dir = data_dir.resolve()
    repo = _repo_root(data_dir).resolve()
    subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd=repo, capture_output=True, check=True)
    # content/ holds the notice pages the documents check looks for.
    wanted = [p.relative_to(repo).as_posix() for p in (data_dir, data_dir.parent / "content")]
    listed = subprocess.run(["git", "ls-tree", "--name-only", ref, "--", *wanted], cwd=repo, capture_output=True, text=True, check=True)
    present = listed.stdout.split()
    if present:
        archive = subprocess.run(["git", "archive", "--format=tar", ref, "--", *present], cwd=repo, capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(workdir, filter="data")
    target = workdir / wanted[0]
    target.mkdir(parents=True, exist_ok=True)
    return target


def _key_of(record: dict, key: list[str]) -> tuple:
    return tuple(str(record.get(k)) for k in key)


def _label(record: dict, key: list[str]) -> str:
    ident = "/".join(str(record.get(k)) for k in key)
    name = record.get("name") or record.get("title")
    return f"{ident} {name}" if name and name != record.get(key[-1]) else ident


def unreadable(dataset: Dataset, problems: list) -> set[str]:
    """Resources whose file exists but could not be read: comparing them would show every record removed."""
    broken = {Path(p.file).name for p in problems if p.code in FATAL_CODES and p.code != "file-missing"}
    return {r["name"] for r in dataset.descriptor.get("resources", []) if r.get("path") in broken}


def diff_datasets(old: Dataset, new: Dataset, skip: set[str] = frozenset()) -> list[ResourceDiff]:
    """Compare two datasets resource by resource, matching records by primary key."""
    out = []
    for resource in new.descriptor.get("resources", []):
        name = resource["name"]
        if name in skip:
            continue
        schema = resource.get("schema", {})
        key = schema.get("primaryKey", ["id"])
        titles = {f["name"]: f.get("title") or f["name"] for f in schema.get("fields", [])}
        order = {f: i for i, f in enumerate(titles)}
        before = {_key_of(r, key): r for r in old.get(name)}
        after = {_key_of(r, key): r for r in new.get(name)}
        diff = ResourceDiff(name, resource.get("title", name))
        diff.added = [_label(after[k], key) for k in after if k not in before]
        diff.removed = [_label(before[k], key) for k in before if k not in after]
        for k in (k for k in after if k in before):
            fields = sorted(set(before[k]) | set(after[k]), key=lambda f: (order.get(f, len(order)), f))
            changes = [
                FieldChange(f, titles.get(f, f), before[k].get(f), after[k].get(f)) for f in fields if before[k].get(f) != after[k].get(f)
            ]
            if changes:
                diff.changed.append((_label(after[k], key), changes))
        out.append(diff)
    return out


def diff_against(ref: str, data_dir: Path) -> Review:
    """Compare the data folder with the same folder at git `ref`, validating both."""
    with tempfile.TemporaryDirectory(prefix="gp-diff-") as tmp:
        old, old_problems = validate(checkout_at(ref, Path(data_dir), Path(tmp)))
    new, new_problems = validate(Path(data_dir))
    skip = unreadable(old, old_problems) | unreadable(new, new_problems)
    titles = [r.get("title", r["name"]) for r in new.descriptor.get("resources", []) if r["name"] in skip]
    effects = effects_of(old, new, old_problems, new_problems, counted=not skip)
    return Review(ref, diff_datasets(old, new, skip), effects, titles)


def format_markdown(review: Review, ref: str) -> str:
    """The pull-request comment; `ref` is already in `review` (kept for the CLI's call)."""
    return render(review)
