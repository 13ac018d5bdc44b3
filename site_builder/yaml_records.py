"""Read a YAML list of flat mappings, keeping the line of every record and field.

Staff edit these files by hand, so every way a file can be malformed becomes a
Problem with a line number instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .problems import Problem
from .yaml_syntax import syntax_problem

MAX_FILE_BYTES = 50 * 1024 * 1024
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()
_SCALAR_TYPES = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}


class Record(dict):
    """A record's fields, plus where it and each field sit in its file."""

    def __init__(self, *args, file: str = "", line: int = 0, lines: dict | None = None):
        super().__init__(*args)
        self.file = file
        self.line = line
        self.lines = lines or {}

    def line_of(self, field: str | None) -> int:
        return self.lines.get(field, self.line) if field else self.line


class _Stop(Exception):
    """A problem that makes the rest of the file unreadable."""

    def __init__(self, problem: Problem):
        self.problem = problem


def load_records(path: Path, label: str, max_bytes: int = MAX_FILE_BYTES) -> tuple[list[Record], list[Problem]]:
    """Load `path` as a list of records; `label` is the file name shown in problems."""
    problems: list[Problem] = []
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return [], [Problem(label, None, "文件不存在", code="file-missing")]
    if size > max_bytes:
        mb = max_bytes / 1024 / 1024
        return [], [
            Problem(
                label,
                None,
                f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {mb:.0f} MB），请拆分或检查是否误存了其他内容",
                code="file-too-large",
            )
        ]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return [], [Problem(label, line, "文件不是 UTF-8 编码，请以 UTF-8 保存", code="encoding")]
    if text.startswith("\ufeff"):
        text = text[1:]
        problems.append(
            Problem(label, 1, "文件以 BOM（字节顺序标记）开头，已忽略；建议以无 BOM 的 UTF-8 保存", code="bom", severity="warning")
        )
    tab_problems = _tab_indents(text, label)
    if tab_problems:
        return [], problems + tab_problems
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        return [], problems + [syntax_problem(exc, text, label)]
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a mark
        return [], problems + [Problem(label, None, f"YAML 无法解析：{exc}", code="yaml-syntax")]
    try:
        records = _records(root, label, problems)
    except _Stop as stop:
        return [], problems + [stop.problem]
    return records, problems


def _tab_indents(text: str, label: str) -> list[Problem]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            found.append(Problem(label, number, "行首缩进含有制表符（Tab），YAML 只能用空格缩进", code="tab"))
            if len(found) >= 20:
                break
    return found


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _records(root: yaml.Node | None, label: str, problems: list[Problem]) -> list[Record]:
    if root is None:
        raise _Stop(Problem(label, 1, "文件为空，应为记录列表（没有记录时写 []）", code="not-a-list"))
    if not isinstance(root, yaml.SequenceNode):
        kind = "映射（字段: 值）" if isinstance(root, yaml.MappingNode) else "单个值"
        raise _Stop(Problem(label, _line(root), f"文件顶层应为记录列表（每条记录以“- ”开头），实际是{kind}", code="not-a-list"))
    seen: set[int] = set()
    records = []
    for item in root.value:
        _mark_seen(item, seen, label)
        if not isinstance(item, yaml.MappingNode):
            problems.append(
                Problem(label, _line(item), "列表项应为一条记录（字段: 值 的映射）", value=_preview(item), code="not-a-mapping")
            )
            continue
        records.append(_record(item, label, problems, seen))
    return records


def _mark_seen(node: yaml.Node, seen: set[int], label: str) -> None:
    # The composer shares one node object for an anchor and all its aliases;
    # meeting a node twice means an alias, which would also let a "billion
    # laughs" file expand exponentially. Staff data never needs aliases.
    if id(node) in seen:
        message = f"不支持 YAML 锚点与别名（& 与 *）：第 {_line(node)} 行的内容被别名再次引用，请直接写出每个值"
        raise _Stop(Problem(label, _line(node), message, code="alias"))
    seen.add(id(node))


def _record(node: yaml.MappingNode, label: str, problems: list[Problem], seen: set[int]) -> Record:
    record = Record(file=label, line=_line(node))
    for key_node, value_node in node.value:
        _mark_seen(key_node, seen, label)
        _mark_seen(value_node, seen, label)
        key = str(_scalar(key_node, label, problems)) if isinstance(key_node, yaml.ScalarNode) else None
        line = _line(key_node)
        if key is None:
            problems.append(Problem(label, line, "字段名应为简单文本", code="bad-key"))
            continue
        if key in record:
            problems.append(
                Problem(label, line, f"字段重复（首次出现在第 {record.lines[key]} 行），请删除其中一个", field=key, code="duplicate-key")
            )
            continue
        record.lines[key] = line
        record[key] = _value(value_node, key, label, problems, seen)
    return record


def _value(node: yaml.Node, key: str, label: str, problems: list[Problem], seen: set[int]):
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, label, problems)
    if isinstance(node, yaml.SequenceNode):
        items = []
        for item in node.value:
            _mark_seen(item, seen, label)
            if isinstance(item, yaml.ScalarNode):
                items.append(_scalar(item, label, problems))
            else:
                problems.append(Problem(label, _line(item), "列表中的每一项应为单个值，不能再嵌套列表或映射", field=key, code="nested"))
        return items
    problems.append(Problem(label, _line(node), "应为单个值或列表，不能是嵌套的映射（记录应保持扁平）", field=key, code="nested"))
    return None


def _scalar(node: yaml.ScalarNode, label: str, problems: list[Problem]):
    if node.tag not in _SCALAR_TYPES:
        problems.append(Problem(label, _line(node), f"不支持的 YAML 标签 {node.tag}，已按文本处理", value=node.value, code="tag"))
        return node.value
    try:
        value = _constructor.construct_object(node)
    except (ValueError, yaml.YAMLError, OverflowError):
        # e.g. 2024-13-45 looks like a date but is not one: keep the text so the
        # schema check reports it against the field's type.
        return node.value
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    return value


def _preview(node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return node.value
    return re.sub(r"\s+", " ", str(node.start_mark.buffer or "")[node.start_mark.index : node.end_mark.index])[:60] or "…"
