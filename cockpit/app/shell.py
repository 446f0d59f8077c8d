"""The frame around every page: theme, title, screen tabs, period and area selectors, the
language switch, who is signed in and when the data last changed.

The URL holds the view (see cockpit.view_state): selectors write query parameters, links
carry them, so a bookmark or a kiosk URL reproduces the screen exactly.
"""

from __future__ import annotations

from datetime import date
from html import escape

import streamlit as st

from cockpit import i18n
from cockpit.app import routes
from cockpit.app.signin import SIGNS_OUT, sign_out
from cockpit.app.theme import WALL_CSS
from cockpit.data_access import data_version, last_successful_load, shipped_catalog
from cockpit.i18n import Lang
from cockpit.session import DEFAULT_PRINCIPAL, auth_mode, current_principal
from cockpit.view_state import ViewState, month_choices, read_view_state
from indicators.settings import local_today

LIVE = "live"


def view_state(today: date) -> ViewState:
    return read_view_state(st.query_params.to_dict(), shipped_catalog(), today)


def _set_param(name: str, value: str | None) -> None:
    if value:
        st.query_params[name] = value
    elif name in st.query_params:
        del st.query_params[name]


def _on_period() -> None:
    chosen = st.session_state["view_period"]
    _set_param("asof", None if chosen == LIVE else chosen)


def _on_area() -> None:
    chosen = st.session_state["view_area"]
    city = shipped_catalog().deployment.city.code
    _set_param("area", None if chosen == city else chosen)


def _toggle_language(lang: Lang) -> None:
    _set_param("lang", "en" if lang == "zh" else None)


def page_header(
    state: ViewState, current: str, today: date | None = None, view_controls: bool = True
) -> None:
    """Title, tabs and selectors; in kiosk mode only what a wall without a mouse needs. A
    work page that shows no figures (the operators' console) has no period or area."""
    today = today or local_today()
    st.html(WALL_CSS)
    lang = state.lang
    catalog = shipped_catalog()
    principal = current_principal(st.session_state)
    city = catalog.deployment.city
    refreshed_at = last_successful_load(data_version())
    refreshed = (
        f"{i18n.text('refreshed', lang)} <b>{escape(i18n.local_time(refreshed_at, lang))}</b>"
        if refreshed_at
        else f'<span class="warn">{escape(i18n.text("never_refreshed", lang))}</span>'
    )
    name = (
        i18n.text("default_user", lang)
        if principal.user == DEFAULT_PRINCIPAL.user
        else principal.display_name
    )
    history = (
        f' · <span class="warn">{escape(i18n.text("history", lang))}'
        f" {escape(i18n.period_label(state.month, lang))}</span>"
        if state.month
        else ""
    )
    user = (
        f"{i18n.text('user', lang)} <b>{escape(name)}</b>"
        f"（{escape(i18n.role_name(principal.role.value, lang))}）"
    )
    place = city.name_zh if lang == "zh" else city.name_en
    title_col, nav_col, period_col, area_col, lang_col, user_col = st.columns(
        [3.1, 6.2, 1.35, 1.1, 0.55, 0.5], vertical_alignment="center"
    )
    title_col.html(
        f'<div class="wall-title">{escape(place)} · {escape(i18n.text("app_title", lang))}</div>'
        f'<div class="wall-sub">{refreshed}{history} · {user}</div>'
    )
    links = {k: v for k, v in state.query_params().items() if k != "map"}
    tabs = (*routes.SCREEN_KEYS, routes.CATALOG, routes.BRIEFING, routes.OPS, routes.AUDIT)
    shown = [(key, target) for key in tabs if (target := routes.page(key)) is not None]
    titles = [routes.page_title(key, lang) for key, _ in shown]
    widths = [len(title) + 2 for title in titles]  # a long name gets the room it needs
    for column, (_, target), title in zip(
        nav_col.columns(widths, gap="small"), shown, titles, strict=True
    ):
        column.page_link(target, label=title, query_params=links)
    if state.kiosk:
        return
    lang_col.button(
        i18n.text("language", lang),
        key="view_lang",
        on_click=_toggle_language,
        args=(lang,),
    )
    if auth_mode() in SIGNS_OUT and user_col.button(i18n.text("sign_out", lang), key="sign_out"):
        sign_out()
    if not view_controls:
        return
    months = month_choices(today)
    options = [LIVE, *(m.label for m in months)]
    st.session_state["view_period"] = state.month.label if state.month else LIVE
    period_col.selectbox(
        i18n.text("period", lang),
        options,
        format_func=lambda label: (
            i18n.text("latest", lang)
            if label == LIVE
            else i18n.period_label(next(m for m in months if m.label == label), lang)
        ),
        key="view_period",
        on_change=_on_period,
        label_visibility="collapsed",
    )
    areas = [a.code for a in catalog.deployment.areas]
    st.session_state["view_area"] = state.area or city.code
    area_col.selectbox(
        i18n.text("area", lang),
        areas,
        format_func=lambda code: i18n.area_name(catalog, code, lang),
        key="view_area",
        on_change=_on_area,
        label_visibility="collapsed",
    )
