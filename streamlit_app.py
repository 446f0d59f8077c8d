"""Streamlit entry point (`streamlit run streamlit_app.py`, or `cockpit serve`): decides who
is looking and routes to the pages that role may open."""

import streamlit as st

from cockpit.app import routes
from cockpit.app.shell import view_state
from cockpit.pages import briefing_page, catalog_page, indicator_page, ops_page
from cockpit.pages.screen_page import render_screen
from cockpit.session import SessionSettingError, current_principal
from indicators.settings import local_today

st.set_page_config(page_title="政务驾驶舱", page_icon="📊", layout="wide")
try:
    principal = current_principal(st.session_state)
except SessionSettingError as exc:
    st.error(str(exc))
    st.stop()
pages = routes.build_pages(
    principal,
    view_state(local_today()).lang,
    render_screen,
    indicator_page.render,
    catalog_page.render,
    ops_page.render,
    briefing_page.render,
)
st.navigation(pages, position="hidden").run()
