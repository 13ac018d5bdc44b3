"""County-list records (附件 2 style: type, city, names) from the rows of a table."""

from __future__ import annotations

import re

from . import resolve
from .context import Context
from .grid import Row, clean_text, match_key, parse_count
from .headers import Header
from .outcome import Built, Outcome, classify, note_text

# Ids of the existing lists: the type's pinyin initials (jx-2022-sfx, sx-2024-ydy).
ID_SUFFIXES = {
    "示范县": "sfx",
    "项目县": "xmx",
    "振兴帮扶县": "zxbfx",
    "“一对一”精准帮扶县": "ydy",
    "送教下乡项目县": "sjxx",
    "数字素养提升项目县": "szsy",
}
_COUNT = re.compile(r"(\d+)\s*个")


def build(rows: list[Row], header: Header, ctx: Context, source: str) -> Outcome:
    """One list per type, its counties in table order; a heading row (“三、振兴帮扶县（15 个）”) sets the type."""
    types = _types(ctx)
    out = Outcome("county_lists", source, header, f"{ctx.province} {ctx.year} 年，文件 {ctx.document.get('id')}")
    lists: dict[str, Built] = {}
    published: dict[str, int] = {}
    cities = {str(r.get("name")): str(r.get("city")) for r in ctx.counties()}
    current = None
    for row in rows[header.index + 1 :]:
        filled = list(dict.fromkeys(c.strip() for c in row.cells if c.strip()))
        heading = _type_of(filled[0], types) if len(filled) == 1 else None
        if heading:
            current = heading
            count = _COUNT.search(clean_text(filled[0]))
            if count:
                published[heading] = int(count.group(1))
            continue
        why = classify(row, header)
        if why:
            if why != "空行":
                out.skipped.append((row.where, why))
            continue
        written = _cell(row, header, "type")
        current = _type_of(written, types) if written else current
        if current is None:
            out.unmapped.append((row.where, f"名单类型“{written}”无法识别（可选：{'、'.join(types)}），该行未导入"))
            continue
        built = lists.setdefault(current, Built(_record(current, ctx), row.where))
        out.rows_read += 1
        names = resolve.county_names(_cell(row, header, "counties"), ctx)
        built.record["counties"] += names.value
        built.issues += [f"{row.where}：{issue}" for issue in names.issues]
        built.fixes += names.notes
        city = _cell(row, header, "city")
        wrong = [n for n in names.value if city and n in cities and cities[n] != city]
        built.issues += [f"{row.where}：{n}属于{cities[n]}，表中写在{city}下" for n in wrong]
        if "count" in header.columns and (n := parse_count(_cell(row, header, "count"))) is not None:
            published[current] = published.get(current, 0) + n
    out.built = list(lists.values())
    _finish(out.built, published, ctx, out.notices)
    return out


def _cell(row: Row, header: Header, field: str) -> str:
    i = header.columns.get(field)
    return clean_text(row.cells[i]) if i is not None and i < len(row.cells) else ""


def _types(ctx: Context) -> list[str]:
    spec = next(f for f in ctx.dataset.schema_fields("county_lists") if f["name"] == "type")
    return list(spec.get("constraints", {}).get("enum", []))


def _type_of(text: str, types: list[str]) -> str | None:
    """The longest list type the text names: “二、“国培计划”项目县（37 个）” → 项目县."""
    key = match_key(text)
    found = [t for t in types if match_key(t) in key]
    return max(found, key=len) if found else None


def _record(kind: str, ctx: Context) -> dict:
    return {"province": ctx.province, "year": ctx.year, "type": kind, "count": 0, "counties": [], "document": ctx.document.get("id")}


def _finish(built: list[Built], published: dict[str, int], ctx: Context, notices: list[str]) -> None:
    """Ids, counts and notes; a count the table states that differs from the names listed needs a person."""
    taken = ctx.ids_in_use("county_lists")
    for item in built:
        record = item.record
        base = f"{ctx.code}-{ctx.year}-{ID_SUFFIXES.get(record['type'], 'list')}"
        new_id, n = base, 2
        while new_id in taken:
            new_id, n = f"{base}-{n}", n + 1
        taken.add(new_id)
        if new_id != base:
            notices.append(
                f"{ctx.province} {ctx.year} 年已有{record['type']}名单 {base}，新名单编号为 {new_id}：若是同一份名单，只保留一份"
            )
        names = record["counties"]
        record["id"] = new_id
        record["count"] = published.get(record["type"], len(names))
        if record["count"] != len(names):
            item.issues.append(f"{record['type']}：表中公布数量为 {record['count']}，实际列出 {len(names)} 个县")
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            item.issues.append(f"{record['type']}名单中重复出现：{'、'.join(repeated)}")
        note = note_text(*dict.fromkeys(item.fixes))
        if note:
            record["note"] = note
