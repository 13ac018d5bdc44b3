"""Load the Data Package descriptor and every resource's records."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .problems import Problem
from .yaml_records import MAX_FILE_BYTES, Record, load_records

DESCRIPTOR = "datapackage.yaml"


@dataclass
class Dataset:
    """All records of the package, by resource name, with where they came from."""

    root: Path
    descriptor: dict
    records: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.descriptor.get("version", ""))

    def resource(self, name: str) -> dict:
        return next(r for r in self.descriptor.get("resources", []) if r.get("name") == name)

    def schema_fields(self, name: str) -> list[dict]:
        return self.resource(name).get("schema", {}).get("fields", [])

    def get(self, name: str) -> list[Record]:
        return self.records.get(name, [])

    def index(self, name: str, key: str = "id") -> dict:
        """Map each record of `name` by `key`; the first record wins on duplicates."""
        out: dict = {}
        for record in self.get(name):
            out.setdefault(record.get(key), record)
        return out


def display_path(path: Path) -> str:
    """Show paths relative to the working directory when possible, as staff see them."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_dataset(data_dir: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[Dataset, list[Problem]]:
    """Read the descriptor and each resource's YAML file; never raises on bad data."""
    data_dir = Path(data_dir)
    desc_path = data_dir / DESCRIPTOR
    label = display_path(desc_path)
    desc_records, problems = _load_descriptor(desc_path, label)
    dataset = Dataset(root=data_dir, descriptor=desc_records)
    if not desc_records:
        return dataset, problems
    for resource in desc_records.get("resources", []):
        path = data_dir / resource["path"]
        records, found = load_records(path, display_path(path), max_bytes)
        dataset.records[resource["name"]] = records
        problems.extend(found)
    return dataset, problems


def _load_descriptor(path: Path, label: str) -> tuple[dict, list[Problem]]:
    import yaml

    if not path.exists():
        return {}, [Problem(label, None, "数据包描述文件不存在", code="file-missing")]
    try:
        descriptor = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        return {}, [Problem(label, line + 1 if line is not None else None, f"数据包描述文件无法解析：{exc}", code="descriptor")]
    problems = []
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        return {}, [Problem(label, 1, "数据包描述文件应包含 resources 列表", code="descriptor")]
    if not descriptor.get("version"):
        problems.append(Problem(label, 1, "数据包缺少版本号 version", code="version"))
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict) or not resource.get("name") or not resource.get("path"):
            return {}, problems + [Problem(label, None, "每个资源都须有 name 与 path", code="descriptor")]
        if not resource.get("version"):
            problems.append(Problem(label, None, f"资源 {resource['name']} 缺少版本号 version", code="version"))
    return descriptor, problems
