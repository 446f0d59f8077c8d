"""A big screen: the overview (`/`) or one domain's screen (`/economic` …).

Left, the KPI tiles in rows; right, the district map and ranking for a chosen indicator,
and 今日关注. The body is a fragment that re-runs on a timer, so a wall left on overnight
picks up new loads and rolls forward to the new period by itself; in kiosk mode it also
moves on to the next screen every `rotate` seconds.
"""

from __future__ import annotations

from datetime import date
from html import escape

import streamlit as st

from cockpit import i18n
from cockpit.app import routes
from cockpit.app.district_panel import district_charts
from cockpit.app.shell import page_header, view_state
from cockpit.app.signin import follow_account_changes
from cockpit.app.tiles_html import attention_html, grid_html
from cockpit.data_access import (
    DataVersion,
    data_version,
    district_view,
    screen_view,
    session_visible,
    shipped_catalog,
    shipped_screens,
)
from cockpit.screen_model import as_of_today
from cockpit.tile_model import indicator_params
from cockpit.view_state import ViewState
from indicators.settings import local_today

REFRESH_SECONDS = 300  # a laptop left open
KIOSK_REFRESH_SECONDS = 60  # a wall
MAP_HEIGHT = "25rem"


def render_screen(key: str) -> None:
    state = view_state(local_today())
    if state.kiosk and state.rotate:
        _rotation(key, state)
    every = KIOSK_REFRESH_SECONDS if state.kiosk else REFRESH_SECONDS
    st.fragment(run_every=every)(_body)(key)


def _body(key: str) -> None:
    follow_account_changes()
    today = local_today()  # re-read on every tick: the live view rolls into a new period
    state = view_state(today)
    page_header(state, key, today)  # inside the tick: 数据更新 moves on a wall too
    version = data_version()
    area = state.area or shipped_catalog().deployment.city.code
    day = as_of_today(state.month, today)
    visible = session_visible()
    view = screen_view(version, key, area, day, state.month is None, state.lang, visible)
    tiles_col, side_col = st.columns([2.05, 1], gap="small")
    with tiles_col:
        st.html(grid_html(view.rows, state.lang))
    with side_col:
        _district_panel(key, state, version, day)
        st.html(attention_html(view.attention, view.attention_total, state.lang))


def _district_panel(key: str, state: ViewState, version: DataVersion, day: date) -> None:
    """The map and the ranking of one indicator; a click opens that district's figure."""
    screen = shipped_screens()[key]
    catalog = shipped_catalog()
    codes = [c for c in screen.map_codes if c in session_visible()]
    if not codes:  # nothing this viewer may see on the map
        return
    code = state.map_code if state.map_code in codes else codes[0]
    lang = state.lang
    if not state.kiosk:  # a wall has no mouse: it shows the screen's default or the URL's
        chosen = st.selectbox(
            i18n.text("map_by", lang),
            codes,
            index=codes.index(code),
            format_func=lambda c: i18n.indicator_name(catalog.get(c), lang),
            key=f"map_code_{key}",
            label_visibility="collapsed",
        )
        if chosen != code:
            st.query_params["map"] = chosen
            code = chosen
    districts = district_view(version, code, day, lang)
    if districts is None:
        st.html(f'<div class="panel att-none">{escape(i18n.text("no_data", lang))}</div>')
        return
    caption = f"{i18n.text('map', lang)} · {districts.name} · {districts.figure_label}"
    st.html(f'<div class="map-caption">{escape(caption)}（{escape(districts.unit)}）</div>')
    area = district_charts(districts, lang, key, MAP_HEIGHT)
    target = routes.page(routes.INDICATOR)
    if area is not None and target is not None:
        st.switch_page(target, query_params=indicator_params(code, area, None, lang, key))


def _rotation(key: str, state: ViewState) -> None:
    """Kiosk: after `rotate` seconds on this screen, switch to the next one."""

    @st.fragment(run_every=state.rotate)
    def tick() -> None:
        shown = st.session_state.get("kiosk_shown") == key
        st.session_state["kiosk_shown"] = key
        if shown:
            st.session_state.pop("kiosk_shown")
            target = routes.page(routes.next_screen(key))
            if target is not None:
                st.switch_page(target, query_params=state.query_params())

    tick()
