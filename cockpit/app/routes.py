"""The app's pages and who may see them; the router builds them each run for the current
role, and pages look others up here to link or switch to them."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from cockpit import i18n
from cockpit.i18n import Lang
from cockpit.session import Principal, Role
from indicators.model import Domain
from indicators.screens import OVERVIEW

# Screen keys in the order a kiosk rotates through them.
SCREEN_KEYS: tuple[str, ...] = (OVERVIEW, *(domain.value for domain in Domain))
INDICATOR = "indicator"
CATALOG = "catalog"
OPS = "ops"
BRIEFING = "briefing"
AUDIT = "audit"

# Every role reads the screens; the operators' console is the operators' (and admins') work
# page, and leaders may look at it (its actions are the operators' only, see
# session.may_operate); bureau heads assemble briefings, and leaders may too. Restricted
# indicators come with sign-in.
_READING = (*SCREEN_KEYS, INDICATOR, CATALOG)
ROLE_PAGES: dict[Role, tuple[str, ...]] = {
    Role.leader: (*_READING, BRIEFING, OPS),
    Role.bureau_head: (*_READING, BRIEFING),
    Role.operator: (*_READING, OPS),
    Role.admin: (*_READING, BRIEFING, OPS, AUDIT),
}

PAGES_KEY = "cockpit_pages"  # this session's pages (roles differ between sessions)


def page_title(key: str, lang: Lang) -> str:
    if key in (OVERVIEW, INDICATOR, CATALOG, OPS, BRIEFING, AUDIT):
        return i18n.text(key, lang)
    return i18n.domain_name(Domain(key), lang)


def build_pages(
    principal: Principal,
    lang: Lang,
    render_screen: Callable[[str], None],
    render_indicator: Callable[[], None],
    render_catalog: Callable[[], None],
    render_ops: Callable[[], None],
    render_briefing: Callable[[], None],
    render_audit: Callable[[], None],
) -> list[StreamlitPage]:
    """The pages this principal may open, in navigation order."""
    allowed = ROLE_PAGES[principal.role]
    pages: dict[str, StreamlitPage] = {}
    for key in SCREEN_KEYS:
        if key in allowed:
            pages[key] = st.Page(
                _named(lambda key=key: render_screen(key), f"screen_{key}"),
                title=page_title(key, lang),
                url_path="" if key == OVERVIEW else key,
                default=key == OVERVIEW,
            )
    if INDICATOR in allowed:
        pages[INDICATOR] = st.Page(
            render_indicator, title=page_title(INDICATOR, lang), url_path=INDICATOR
        )
    if CATALOG in allowed:
        pages[CATALOG] = st.Page(render_catalog, title=page_title(CATALOG, lang), url_path=CATALOG)
    if BRIEFING in allowed:
        pages[BRIEFING] = st.Page(
            render_briefing, title=page_title(BRIEFING, lang), url_path=BRIEFING
        )
    if OPS in allowed:
        pages[OPS] = st.Page(render_ops, title=page_title(OPS, lang), url_path=OPS)
    if AUDIT in allowed:
        pages[AUDIT] = st.Page(render_audit, title=page_title(AUDIT, lang), url_path=AUDIT)
    st.session_state[PAGES_KEY] = pages
    return list(pages.values())


def page(key: str) -> StreamlitPage | None:
    """A page of this run by key (None when the role may not open it)."""
    return _session_pages().get(key)


def next_screen(key: str) -> str:
    """The screen a kiosk shows after `key`."""
    keys = [k for k in SCREEN_KEYS if k in _session_pages()]
    return keys[(keys.index(key) + 1) % len(keys)] if key in keys else keys[0]


def _session_pages() -> dict[str, StreamlitPage]:
    return st.session_state.get(PAGES_KEY, {})


def _named(function: Callable[[], None], name: str) -> Callable[[], None]:
    function.__name__ = name  # Streamlit names callable pages after the function
    return function
