"""Write the static search index: posting shards, unit fragments, suggestions, a manifest.

Layout under `<site>/searchindex/`:

    manifest.json         small, fetched first: unit count, shard count, kind/province/year
                          of every unit as runs over ids, multi-unit pages, the folder below
    <v>/s/<n>.bin         posting shards; a key's shard is fnv1a(utf-8 key) % shards
    <v>/d/<id>.json       one unit: url, title, section heading, text, names
    <v>/suggest.json      entity names for the header box's suggestions

`<v>` is a digest of the content, so shard and fragment files never change under a
name and can be cached for good; only the manifest must be revalidated.

A shard holds entries `key, field, encoding, length, payload`: field 0 is a gram of
the text, 1 a gram of one of the page's names, 2 a whole name, 3 a link (key "@<unit id>"
of an entity page, listing the pages that link to it); the payload is the sorted unit ids as little-endian u16 (u32 past 65,535 units) or, when that is
larger, a bitmap of all units. The reader is `content/assets/search-engine.js`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from array import array
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .pages import KINDS, LINKED_KINDS, SUGGESTED_KINDS, SearchPage, Unit, units
from .text import fold, grams

FIELD_TEXT, FIELD_NAME, FIELD_EXACT, FIELD_LINK = 0, 1, 2, 3
SHARD_TARGET_BYTES = 6_000
FOLDER = "searchindex"


def fnv1a(key: str) -> int:
    h = 0x811C9DC5
    for byte in key.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _encode_ids(ids: list[int], total: int) -> tuple[int, bytes]:
    """(0, sorted ids) or (1, bitmap), whichever is smaller."""
    width = 2 if total <= 0xFFFF else 4
    if len(ids) * width <= (total + 7) // 8:
        packed = array("H" if width == 2 else "I", ids)
        if packed.itemsize != width:  # platforms where "I" is not 4 bytes
            packed = array("L", ids)
        return 0, packed.tobytes()
    bitmap = bytearray((total + 7) // 8)
    for i in ids:
        bitmap[i >> 3] |= 1 << (i & 7)
    return 1, bytes(bitmap)


@dataclass
class IndexStats:
    pages: int
    units: int
    keys: int
    shards: int
    bytes: int
    folder: str


def _postings(ordered: list[Unit], first_unit: dict[str, int]) -> dict[tuple[str, int], list[int]]:
    fields: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(4)]
    text, name, exact, link = (fields[f] for f in (FIELD_TEXT, FIELD_NAME, FIELD_EXACT, FIELD_LINK))
    linked = {url: uid for url, uid in first_unit.items() if ordered[uid].page.kind in LINKED_KINDS}
    for uid, unit in enumerate(ordered):
        # The hot loop at national scale (19,000 units, 6 million grams): grams are made in C
        # (set.update, map over str.__add__), one list append per gram and unit.
        found: set[str] = set()
        for block in unit.texts:
            folded = fold(block)
            found.update(folded)
            found.update(map(str.__add__, folded, folded[1:]))
        for gram in found:
            text[gram].append(uid)
        if unit.part == 0:
            in_names: set[str] = set()
            for full in {fold(n) for n in unit.page.all_names} - {""}:
                in_names.update(grams(full))
                exact[full].append(uid)
            for gram in in_names:
                name[gram].append(uid)
            for target in {linked.get(url) for url in unit.page.links} - {None, uid}:
                link[f"@{target}"].append(uid)
    return {(key, field): ids for field, postings in enumerate(fields) for key, ids in postings.items()}


def _runs(ordered: list[Unit], provinces: list[str]) -> list[list[int]]:
    """[first id, kind, province index (-1 none), year (0 none)] wherever one of them changes."""
    runs: list[list[int]] = []
    index = {p: i for i, p in enumerate(provinces)}
    for uid, unit in enumerate(ordered):
        page = unit.page
        attrs = [KINDS.index(page.kind), index.get(page.province or "", -1), page.year or 0]
        if not runs or runs[-1][1:] != attrs:
            runs.append([uid, *attrs])
    return runs


def _suggestions(pages: list[SearchPage], first_unit: dict[str, int], provinces: list[str]) -> list[list]:
    """[unit id, kind, province index, title, url, other names…] for the kinds the header box offers."""
    index = {p: i for i, p in enumerate(provinces)}
    rows = []
    for page in pages:
        if page.kind in SUGGESTED_KINDS:
            names = [n for n in page.all_names if n != page.title]
            rows.append([first_unit[page.url], KINDS.index(page.kind), index.get(page.province or "", -1), page.title, page.url, *names])
    return rows


def write_index(pages: list[SearchPage], site_dir: Path, province_slugs: dict[str, str]) -> IndexStats:
    """Write the index of `pages` into `site_dir/searchindex/` (replacing any earlier one)."""
    # 全国 (national notices) first: the programme's own documents come before each province's.
    provinces = sorted({p.province for p in pages if p.province}, key=lambda p: (p != "全国", province_slugs.get(p, "~"), p))
    order = {p: i for i, p in enumerate(provinces)}
    pages = sorted(pages, key=lambda p: p.rank_key(order))
    ordered: list[Unit] = []
    first_unit: dict[str, int] = {}
    multi: list[list[int]] = []
    for page in pages:
        first_unit[page.url] = len(ordered)
        parts = units(page)
        if len(parts) > 1:
            multi.append([len(ordered), len(parts)])
        ordered.extend(parts)
    total = len(ordered)
    postings = _postings(ordered, first_unit)
    encoded = {key: _encode_ids(ids, total) for key, ids in postings.items()}
    size = sum(len(payload) + len(key[0].encode()) + 4 for key, (_, payload) in encoded.items())
    shard_count = max(1, round(size / SHARD_TARGET_BYTES))
    shards: list[list] = [[] for _ in range(shard_count)]
    for (key, field), (encoding, payload) in sorted(encoded.items()):
        shards[fnv1a(key) % shard_count].append((key, field, encoding, payload))

    root = site_dir / FOLDER
    if root.exists():
        shutil.rmtree(root)
    staging = root / "staging"
    (staging / "s").mkdir(parents=True)
    (staging / "d").mkdir()
    digest = hashlib.sha1()
    written = 0

    def put(path: Path, data: bytes) -> None:
        nonlocal written
        path.write_bytes(data)
        digest.update(path.name.encode() + data)
        written += len(data)

    for n, entries in enumerate(shards):
        out = bytearray()
        for key, field, encoding, payload in entries:
            raw = key.encode("utf-8")
            out += bytes((len(raw),)) + raw + bytes((field, encoding)) + _varint(len(payload)) + payload
        put(staging / "s" / f"{n}.bin", bytes(out))
    for uid, unit in enumerate(ordered):
        fragment = {"u": unit.page.url + (f"#{unit.anchor}" if unit.anchor else ""), "t": unit.page.title, "x": "\n".join(unit.texts)}
        if unit.heading:
            fragment["h"] = unit.heading
        if unit.part == 0:
            fragment["n"] = [n for n in unit.page.all_names if n != unit.page.title]
        put(staging / "d" / f"{uid}.json", _json(fragment))
    put(staging / "suggest.json", _json(_suggestions(pages, first_unit, provinces)))
    version = digest.hexdigest()[:12]
    staging.rename(root / version)
    manifest = {
        "version": version,
        "units": total,
        "pages": len(pages),
        "shards": shard_count,
        "width": 2 if total <= 0xFFFF else 4,
        "kinds": list(KINDS),
        "linked": sorted(KINDS.index(k) for k in LINKED_KINDS),
        "provinces": [[p, province_slugs.get(p)] for p in provinces],
        "runs": _runs(ordered, provinces),
        "multi": multi,
    }
    put(root / "manifest.json", _json(manifest))
    return IndexStats(len(pages), total, len(encoded), shard_count, written, version)


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
