"""The one module that talks to streamlit-echarts (pinned; upstream is best-effort), so a
replacement touches one file. ECharts ships inside the wheel: nothing is fetched."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from cockpit.app.charts import MAP_NAME
from indicators.geo import district_geojson
from indicators.settings import district_map_path

# ECharts draws text in fixed pixels on a canvas; the page around it is sized in rem against
# the viewport. Sizes are evaluated in the browser with the same factor (1 at 1920×1080, 2 at
# 3840×2160) so a 4K wall's map labels are as legible as a 1080p one's.
VIEWPORT_SCALE = "Math.min(window.innerWidth / 1920, window.innerHeight / 1080)"
SCALED_KEYS = frozenset({"fontSize", "itemWidth", "itemHeight"})


def scaled(option: Any) -> Any:
    """`option` with every font and legend size as a browser-evaluated, viewport-scaled value."""
    from streamlit_echarts import JsCode

    if isinstance(option, dict):
        return {
            key: JsCode(f"{value} * {VIEWPORT_SCALE}")
            if key in SCALED_KEYS and isinstance(value, int | float)
            else scaled(value)
            for key, value in option.items()
        }
    if isinstance(option, list):
        return [scaled(item) for item in option]
    return option


@cache
def _geojson(path: Path | None) -> dict[str, Any]:
    return district_geojson(path)


def show_chart(
    option: dict[str, Any], *, key: str, height: str, with_map: bool = False
) -> int | None:
    """Draw `option`; return the index of the data point clicked, if any. A stable `key`
    keeps the chart mounted across reruns (no flicker on a wall's auto-refresh)."""
    from streamlit_echarts import Map, st_echarts  # needs a Streamlit runtime

    result = st_echarts(
        scaled(option),
        height=height,
        key=key,
        map=Map(MAP_NAME, _geojson(district_map_path())) if with_map else None,
        on_select="rerun",
        selection_mode="points",
        theme="dark",
    )
    selection = (result or {}).get("selection") or {}
    indices = selection.get("point_indices") or []
    return int(indices[0]) if indices else None
