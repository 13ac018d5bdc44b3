"""The county tile grid: one linked tile per county, grouped by 地级市, marked by list type.

Not a map: boundary maps published in China need map review (审图号); tiles do not.
The tiles are HTML links laid out by CSS grid, so long names such as 赣州市经济技术开发区
wrap inside their tile and a 360 px phone shows three tiles a row. Each list type has a
colour, a shape (a small inline SVG) and a short name in the tile, so colour is never
the only cue; screen readers hear the full type name.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .figures import TileGrid

# Short names shown in a tile; the legend and screen readers get the full type.
SHORT = {
    "示范县": "示范",
    "项目县": "项目县",
    "振兴帮扶县": "帮扶",
    "“一对一”精准帮扶县": "一对一",
    "送教下乡项目县": "送教",
    "数字素养提升项目县": "数字素养",
}
# One shape per legend position (10×10 viewBox): circle, square, triangle, diamond, pentagon, cross.
SHAPES = [
    '<circle cx="5" cy="5" r="4.5"/>',
    '<rect x="1" y="1" width="8" height="8"/>',
    '<path d="M5 0.5 9.6 9.3H0.4z"/>',
    '<path d="M5 0 10 5 5 10 0 5z"/>',
    '<path d="M5 0.3 9.8 3.8 8 9.6H2L0.2 3.8z"/>',
    '<path d="M3.5 0h3v3.5H10v3H6.5V10h-3V6.5H0v-3h3.5z"/>',
]
NONE = "未列入名单"


def _mark(index: int) -> str:
    shape = SHAPES[index % len(SHAPES)]
    return f'<svg class="gp-mark gp-t{index % len(SHAPES)}" viewBox="0 0 10 10" width="10" height="10" aria-hidden="true" focusable="false">{shape}</svg>'


def _legend(grid: TileGrid) -> str:
    items = [f"<li>{_mark(grid.palette[t])}{escape(t)}</li>" for t in grid.types]
    items.append(f'<li><span class="gp-mark-none" aria-hidden="true"></span>{NONE}</li>')
    return f'<ul class="gp-legend" aria-label="图例">{"".join(items)}</ul>'


def _tile(base: str, tile, index: dict[str, int]) -> str:
    primary = f"gp-t{index[tile.types[0]] % len(SHAPES)}" if tile.types else "gp-t-none"
    if tile.types:
        visible = "".join(f'{_mark(index[t])}<span aria-hidden="true">{escape(SHORT.get(t, t))}</span>' for t in tile.types)
        spoken = "、".join(tile.types)
    else:
        visible, spoken = '<span class="gp-mark-none" aria-hidden="true"></span><span aria-hidden="true">未列入</span>', NONE
    return (
        f'<li><a class="gp-tile {primary}" href="{escape(base)}counties/{escape(tile.slug)}/">'
        f'<span class="gp-tile-name">{escape(tile.name)}</span>'
        f'<span class="gp-tile-count"><strong>{tile.projects}</strong> 个项目</span>'
        f'<span class="gp-tile-types">{visible}<span class="gp-sr">，{escape(spoken)}</span></span></a></li>'
    )


def tile_grid(grid: TileGrid, base: str, grid_id: str = "gp-tiles") -> Markup:
    """The province's counties as tiles by city, with a legend and a caption saying what the numbers count.

    With no county records it says, once, what the data lacks and why.
    """
    province = escape(grid.province)
    unnamed = ""
    if grid.unnamed_lists:
        links = "、".join(
            f'<a href="{escape(base)}lists/{escape(cl["id"])}/">{cl["year"]} 年{escape(cl["type"])}（{cl["count"]} 个）</a>'
            for cl in grid.unnamed_lists
        )
        lead = "" if grid.counties else f"{province}暂无具名的项目县，无法按县作图："
        tail = "，因此不在图中" if grid.counties else ""
        unnamed = f'<p class="gp-tiles-missing">{lead}{links}，原文只公布了数量，具名名单未随正文公开，待补录{tail}。</p>'
    if not grid.counties:
        if not unnamed:
            unnamed = f'<p class="gp-tiles-missing">{province}的文件没有公布具名的项目县，暂无按县的数据。</p>'
        return Markup(f'<div class="gp-tiles gp-tiles-empty" id="{escape(grid_id)}">{unnamed}</div>')
    index = grid.palette
    wide = f"，其中全省实施的项目 {grid.province_wide} 个到达每个县" if grid.province_wide else ""
    parts = [
        f'<figure class="gp-tiles" id="{escape(grid_id)}" aria-labelledby="{escape(grid_id)}-cap">',
        f'<figcaption id="{escape(grid_id)}-cap">{province}项目县分布（{grid.counties} 个县，按地级市分组）</figcaption>',
        f'<p class="gp-tiles-help">每块代表一个县（市、区），点击进入该县页面。数字为到达该县的项目数（各年合计{wide}）；'
        f"颜色、形状和文字表示该县所在的名单类型，同在几类名单的县按图例中靠前的类型着色。</p>",
        _legend(grid),
    ]
    parts.append('<div class="gp-tiles-cities">')
    for n, city in enumerate(grid.cities):
        name = f'<a href="{escape(base)}cities/{escape(city.slug)}/">{escape(city.name)}</a>' if city.slug else escape(city.name)
        label = f"{escape(grid_id)}-city-{n}"
        parts.append(
            f'<div class="gp-tiles-city" role="group" aria-labelledby="{label}">'
            f'<p class="gp-tiles-city-name" id="{label}">{name}<span class="gp-muted">（{len(city.tiles)} 个）</span></p>'
            f'<ul class="gp-tiles-list">{"".join(_tile(base, t, index) for t in city.tiles)}</ul></div>'
        )
    parts.append("</div>")
    parts.append(unnamed)
    parts.append("</figure>")
    return Markup("".join(parts))
