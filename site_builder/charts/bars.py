"""Bar charts as inline SVG: projects and 人数 side by side, one row per year or category.

Each row puts its label on a line of its own above two bars, so a phone 360 px wide
shows the whole label; the SVG scales with its viewBox (see charts.css for its width).
Every chart is a <figure> whose SVG is one image named by the caption and described in
words, followed by a <details> data table with every row and the total.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .figures import Tally, top

WIDTH = 360  # viewBox units: a 360 px phone draws them about 1:1; charts.css caps desktops at 20rem
COLUMN = 174  # each of the two bar columns
GAP = WIDTH - 2 * COLUMN
LABEL_SIZE = 16
VALUE_SIZE = 14
NOTE_SIZE = 14
HEADER = 30
ROW = 52
NOTE_ROW = 16
BAR = 16
MAX_ROWS = 12  # more categories than this: the smallest are summed as “其他 N 类”
COLOURS = {"projects": "#3949ab", "places": "#00796b"}  # both ≥ 4.5:1 on white


def text_width(text: str, size: float) -> float:
    """Estimated advance of `text` in a CJK system font: ideographs 1 em, ASCII about 0.6 em."""
    width = 0.0
    for ch in text:
        if ch in " ,.:;·'’()":
            width += 0.32
        elif ord(ch) < 0x2E80:
            width += 0.6
        else:
            width += 1.0
    return width * size


def fit(text: str, size: float, room: float) -> str:
    """`text`, cut with “…” so that it fits in `room` units."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def places_value(t: Tally) -> str:
    """The 人数 column's words for one row: a sum, or 未公布 when no project gives one."""
    if t.projects and not t.published:
        return "未公布"
    return f"{t.places:,} 人"


def places_note(t: Tally) -> str:
    """What the sum leaves out, when it leaves out some projects but not all."""
    return f"另有 {t.unpublished} 个项目未公布人数" if t.unpublished and t.published else ""


def _bar(kind: str, x: float, y: float, value: int, maximum: int, value_text: str, reserve: float) -> str:
    room = COLUMN - reserve
    length = 0.0 if maximum <= 0 or value <= 0 else max(2.0, room * value / maximum)
    parts = []
    if length:
        parts.append(f'<rect class="gp-bar-{kind}" x="{x:.1f}" y="{y:.1f}" width="{length:.1f}" height="{BAR}" fill="{COLOURS[kind]}"/>')
    tx = x + length + (5 if length else 0)
    parts.append(f'<text class="gp-chart-value" x="{tx:.1f}" y="{y + BAR - 3:.1f}" font-size="{VALUE_SIZE}">{escape(value_text)}</text>')
    return "".join(parts)


def _svg(chart_id: str, rows: list[Tally]) -> str:
    projects_texts = [f"{t.projects:,} 个" for t in rows]
    places_texts = [places_value(t) for t in rows]
    reserve_projects = max(text_width(s, VALUE_SIZE) for s in projects_texts) + 8
    reserve_places = max(text_width(s, VALUE_SIZE) for s in places_texts) + 8
    max_projects = max(t.projects for t in rows)
    max_places = max(t.places for t in rows)
    x2 = COLUMN + GAP
    out = [
        f'<rect x="0" y="4" width="12" height="12" fill="{COLOURS["projects"]}" class="gp-bar-projects"/>',
        f'<text class="gp-chart-head" x="17" y="15" font-size="{VALUE_SIZE}">项目数（个）</text>',
        f'<rect x="{x2}" y="4" width="12" height="12" fill="{COLOURS["places"]}" class="gp-bar-places"/>',
        f'<text class="gp-chart-head" x="{x2 + 17}" y="15" font-size="{VALUE_SIZE}">计划培训人数（人）</text>',
    ]
    y = HEADER
    for t, projects_text, places_text in zip(rows, projects_texts, places_texts, strict=True):
        label = fit(t.label, LABEL_SIZE, WIDTH)
        title = f"<title>{escape(t.label)}</title>" if label != t.label else ""
        out.append(
            f'<g class="gp-chart-row">{title}<text class="gp-chart-label" x="0" y="{y + LABEL_SIZE}" font-size="{LABEL_SIZE}">{escape(label)}</text>'
        )
        bar_y = y + LABEL_SIZE + 8
        out.append(_bar("projects", 0, bar_y, t.projects, max_projects, projects_text, reserve_projects))
        out.append(_bar("places", x2, bar_y, t.places, max_places, places_text, reserve_places))
        note = places_note(t)
        if note:
            out.append(
                f'<text class="gp-chart-note" x="{x2}" y="{bar_y + BAR + NOTE_SIZE + 3}" font-size="{NOTE_SIZE}">{escape(fit(note, NOTE_SIZE, COLUMN))}</text>'
            )
        out.append("</g>")
        y += ROW + (NOTE_ROW if note else 0)
    height = y - 8
    return (
        f'<svg class="gp-chart-svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-cap" aria-describedby="{chart_id}-desc" focusable="false">'
        f'<desc id="{chart_id}-desc">{escape(describe(rows))}</desc>' + "".join(out) + "</svg>"
    )


def describe(rows: list[Tally]) -> str:
    """The chart in one sentence, for screen readers."""
    parts = []
    for t in rows:
        places = "人数未公布" if t.projects and not t.published else f"计划培训 {t.places:,} 人"
        note = f"（另有 {t.unpublished} 个项目未公布人数）" if places_note(t) else ""
        parts.append(f"{t.label}：{t.projects} 个项目，{places}{note}")
    return "；".join(parts) + "。"


def _table(chart_id: str, caption: str, column: str, rows: list[Tally]) -> str:
    def cells(t: Tally) -> str:
        return (
            f'<th scope="row">{escape(t.label)}</th><td>{t.projects:,}</td>'
            f"<td>{escape(places_value(t))}</td><td>{t.unpublished or '—'}</td>"
        )

    body = "".join(f"<tr>{cells(t)}</tr>" for t in rows)
    return (
        f'<details class="gp-chart-data"><summary>查看数据表</summary><div class="gp-table-wrap">'
        f'<table class="gp-table" id="{chart_id}-table"><caption class="gp-sr">{escape(caption)}（数据表）</caption><thead><tr><th scope="col">{escape(column)}</th><th scope="col">项目数</th>'
        f'<th scope="col">计划培训人数</th><th scope="col">未公布人数的项目</th></tr></thead><tbody>{body}</tbody>'
        f"<tfoot><tr>{cells(total_of(rows))}</tr></tfoot></table></div></details>"
    )


def total_of(rows: list[Tally]) -> Tally:
    out = Tally("合计")
    for t in rows:
        out.projects += t.projects
        out.places += t.places
        out.unpublished += t.unpublished
    return out


def bar_chart(chart_id: str, caption: str, column: str, rows: list[Tally]) -> Markup:
    """A <figure>: the caption, the SVG (at most MAX_ROWS rows) and a table of every row.

    `chart_id` must be unique in the page (it prefixes the ids that label the image).
    """
    if not rows:
        return Markup("")
    chart_id = str(escape(chart_id))
    return Markup(
        f'<figure class="gp-chart" id="{chart_id}"><figcaption id="{chart_id}-cap">{escape(caption)}</figcaption>'
        f"{_svg(chart_id, top(rows, MAX_ROWS))}{_table(chart_id, caption, column, rows)}</figure>"
    )
