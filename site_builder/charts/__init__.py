"""Charts drawn at build time: bar charts as inline SVG and the county tile grid.

Hand-built markup, no charting library: see the “Charts” section of docs/ARCHITECTURE.md.
"""

from .bars import bar_chart, describe, places_note, places_value
from .figures import Tally, TileGrid, by_category, by_province_year, by_year, county_tiles, top, total
from .tiles import tile_grid

__all__ = [
    "Tally",
    "TileGrid",
    "bar_chart",
    "by_category",
    "by_province_year",
    "by_year",
    "county_tiles",
    "describe",
    "places_note",
    "places_value",
    "tile_grid",
    "top",
    "total",
]
