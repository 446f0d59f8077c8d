"""The district map beside the district ranking (晾晒), both for one indicator; the area a
leader clicks on either is returned, for the page to open."""

from __future__ import annotations

import streamlit as st

from cockpit.app.charts import district_map_option, ranking_option
from cockpit.app.echarts import show_chart
from cockpit.i18n import Lang
from cockpit.screen_model import DistrictView


def district_charts(view: DistrictView, lang: Lang, key: str, height: str) -> str | None:
    """Draw map and ranking side by side; the clicked district's area code, if any."""
    map_col, rank_col = st.columns([1.25, 1], gap="small")
    with map_col:
        clicked = show_chart(
            district_map_option(view, lang), key=f"map_{key}", height=height, with_map=True
        )
    with rank_col:
        picked = show_chart(ranking_option(view), key=f"rank_{key}", height=height)
    # Both charts plot the districts with a value, in ranking order.
    shown = [f for f in view.figures if f.value is not None]
    index = clicked if clicked is not None else picked
    return shown[index].area if index is not None else None
