"""Re-read the data after an edit, parsing only the records whose text changed.

A data file is a list whose items start at column 0 with “- ”. Its text is cut there into
chunks, one record each; after an edit the chunks equal to the previous ones at the start
and the end are kept (those after the edit moved by the lines added or removed) and only
those in between are parsed, by the project's own loader at their own line numbers. Anything
this cannot vouch for (a file not cut cleanly, a chunk that is not one clean record, a BOM,
a changed descriptor) is read whole by the loader, as a build reads it.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from site_builder.dataset import DESCRIPTOR, Dataset, display_path, load_dataset
from site_builder.problems import Problem
from site_builder.yaml_records import MAX_FILE_BYTES, Record, load_records


@dataclass
class FileState:
    text: str
    starts: list[int] | None  # first line of each record's chunk; None when the file is not cut
    chunks: list[str]
    records: list[Record]


_ITEM = re.compile(r"^-(?: |$)", re.MULTILINE)
# A column-0 line that starts nothing we know (not an item, comment, indented or blank line).
_STRAY = re.compile(r"^(?!- |-$|#|[ \t]|$)", re.MULTILINE)
_HEAD_CONTENT = re.compile(r"^[ \t]*[^#\s]", re.MULTILINE)


def split(text: str) -> tuple[list[int], list[str]] | None:
    """(first line, text) of each item's chunk, or None when the text is not a plain list of items."""
    if _STRAY.search(text):
        return None
    offsets = [m.start() for m in _ITEM.finditer(text)]
    if not offsets or _HEAD_CONTENT.search(text, 0, offsets[0]):
        return None
    starts, line = [], 1
    previous = 0
    for offset in offsets:
        line += text.count("\n", previous, offset)
        starts.append(line)
        previous = offset
    ends = offsets[1:] + [len(text)]
    return starts, [text[a:b] for a, b in zip(offsets, ends, strict=True)]


def index(text: str, records: list[Record]) -> FileState:
    """The chunks of a file already loaded whole, if each holds exactly its record."""
    parts = split(text)
    if parts is None or len(parts[0]) != len(records) or any(r.line != n for r, n in zip(records, parts[0], strict=False)):
        return FileState(text, None, [], records)
    return FileState(text, parts[0], parts[1], records)


def _shifted(record: Record, delta: int) -> Record:
    if not delta:
        return record
    lines = {key: line + delta for key, line in record.lines.items()}
    return Record(record, file=record.file, line=record.line + delta, lines=lines)


class DataFiles:
    """The records of a data folder, kept between edits."""

    def __init__(self, dataset: Dataset):
        self.root = dataset.root
        self.descriptor_text = (self.root / DESCRIPTOR).read_text(encoding="utf-8-sig")
        self.dataset = dataset
        self.files = {name: index(self._path(name).read_text(encoding="utf-8"), records) for name, records in dataset.records.items()}
        self.parsed = 0  # records parsed by the last reload, for the bench and the log

    def _path(self, name: str) -> Path:
        return self.root / self.dataset.resource(name)["path"]

    def reload(self) -> tuple[Dataset, list[Problem]]:
        """The data as it is now on disk, and the loader's problems (the checks come later)."""
        descriptor = (self.root / DESCRIPTOR).read_text(encoding="utf-8-sig")
        if descriptor != self.descriptor_text:
            return self._whole()
        records, problems, self.parsed = {}, [], 0
        for name, state in self.files.items():
            path = self._path(name)
            raw = path.read_bytes() if path.exists() else b""
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text == state.text:
                records[name] = state.records
                continue
            new = self._update(state, text, path, name) if text and len(raw) <= MAX_FILE_BYTES else None
            if new is None:
                return self._whole()
            self.files[name] = new
            records[name] = new.records
        self.dataset = Dataset(root=self.root, descriptor=self.dataset.descriptor, records=records)
        return self.dataset, problems

    def _whole(self) -> tuple[Dataset, list[Problem]]:
        dataset, problems = load_dataset(self.root)
        self.parsed = sum(len(rs) for rs in dataset.records.values())
        if not problems or all(p.severity != "error" for p in problems):
            self.__init__(dataset)
            self.parsed = sum(len(rs) for rs in dataset.records.values())
        return dataset, problems

    def _update(self, state: FileState, text: str, path: Path, name: str) -> FileState | None:
        parts = split(text)
        if state.starts is None or parts is None or text.startswith("\ufeff"):
            return None
        starts, chunks = parts
        same_head = min(len(chunks), len(state.chunks))
        head = next((n for n in range(same_head) if chunks[n] != state.chunks[n] or starts[n] != state.starts[n]), same_head)
        tail = 0
        while tail < same_head - head and chunks[-1 - tail] == state.chunks[-1 - tail]:
            tail += 1
        middle = range(head, len(chunks) - tail)
        parsed: list[Record] = []
        if len(middle):
            padded = "\n" * (starts[middle[0]] - 1) + "".join(chunks[n] for n in middle)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".yaml") as tmp:
                tmp.write(padded)
                tmp.flush()
                parsed, problems = load_records(Path(tmp.name), display_path(path))
            if problems or len(parsed) != len(middle) or any(r.line != starts[n] for r, n in zip(parsed, middle, strict=False)):
                return None
        self.parsed += len(parsed)
        delta = starts[-tail] - state.starts[-tail] if tail else 0
        kept = state.records[len(state.records) - tail :] if tail else []
        records = state.records[:head] + parsed + [_shifted(r, delta) for r in kept]
        return FileState(text, starts, chunks, records)
