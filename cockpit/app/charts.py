"""ECharts option dicts for the screens (pure: tested as data, drawn by the adapter).

The district map registers the shipped GeoJSON under its own name and matches regions by
the property the language uses (`name` in Chinese, `name_en` in English); the ranking is a
horizontal bar chart, best at the top, coloured by each district's status.
"""

from __future__ import annotations

from html import escape
from typing import Any

from cockpit.app import palette
from cockpit.i18n import Lang
from cockpit.screen_model import DistrictView

MAP_NAME = "cockpit-districts"


def district_map_option(view: DistrictView, lang: Lang) -> dict[str, Any]:
    shown = [f for f in view.figures if f.value is not None]
    unit = escape(view.unit)
    values = [f.value for f in shown if f.value is not None]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if low == high:
        low, high = low - 1, high + 1
    # Legend ends as the figures are written (the indicator's decimals).
    ends = (
        [max(shown, key=lambda f: f.value).text, min(shown, key=lambda f: f.value).text]
        if shown
        else []
    )
    return {
        "backgroundColor": "transparent",
        "tooltip": {"trigger": "item", "confine": True},
        "visualMap": {
            "type": "continuous",
            "min": low,
            "max": high,
            "calculable": False,
            "orient": "vertical",
            "left": 4,
            "bottom": 4,
            "itemHeight": 90,
            "itemWidth": 10,
            "text": ends,
            "textStyle": {"color": palette.MUTED, "fontSize": 11},
            "inRange": {"color": palette.MAP_RAMP},
        },
        "series": [
            {
                "type": "map",
                "map": MAP_NAME,
                "nameProperty": "name" if lang == "zh" else "name_en",
                "roam": False,
                "selectedMode": "single",
                "label": {
                    "show": True,
                    "color": palette.TEXT,
                    "fontSize": 12,
                    "textBorderColor": palette.BACKGROUND,
                    "textBorderWidth": 2,
                },
                "itemStyle": {"borderColor": palette.BACKGROUND, "borderWidth": 1.2},
                "emphasis": {
                    "label": {"color": "#ffffff"},
                    "itemStyle": {"areaColor": palette.ACCENT},
                },
                "select": {"itemStyle": {"areaColor": palette.ACCENT}},
                "data": [
                    {
                        "name": f.name,
                        "value": f.value,
                        "area": f.area,
                        # The indicator's own decimals, not the float's digits.
                        "label": {"formatter": f"{short_name(f.name)}\n{f.text}"},
                        # ECharts writes tooltips as HTML: names and units are escaped.
                        "tooltip": {"formatter": f"{escape(f.name)}<br/>{f.text}{unit}"},
                    }
                    for f in view.figures
                    if f.value is not None
                ],
            }
        ],
    }


def short_name(name: str) -> str:
    """A district's name as it fits on the map: 'Xishan', not 'Xishan District'."""
    return name.removesuffix(" District")


def ranking_option(view: DistrictView) -> dict[str, Any]:
    """Best district at the top; bars coloured by the district's own status."""
    ranked = [f for f in view.figures if f.value is not None]
    return {
        "backgroundColor": "transparent",
        "grid": {"left": 4, "right": 48, "top": 6, "bottom": 4, "containLabel": True},
        "tooltip": {"trigger": "item", "confine": True},
        "xAxis": {"type": "value", "show": False},  # from zero: an honest length
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [f"{f.rank}  {short_name(f.name)}" for f in ranked],
            "axisLine": {"show": False},
            "axisTick": {"show": False},
            "axisLabel": {"color": palette.TEXT, "fontSize": 13},
        },
        "series": [
            {
                "type": "bar",
                "barWidth": "58%",
                "data": [
                    {
                        "value": f.value,
                        "area": f.area,
                        "itemStyle": {
                            "color": palette.STATUS_COLOURS[f.status]
                            if f.status.value in {"green", "amber", "red"}
                            else palette.ACCENT,
                            "borderRadius": [0, 3, 3, 0],
                        },
                        "label": {"formatter": f.text},
                    }
                    for f in ranked
                ],
                "label": {
                    "show": True,
                    "position": "right",
                    "color": palette.TEXT,
                    "fontSize": 12,
                },
            }
        ],
    }
