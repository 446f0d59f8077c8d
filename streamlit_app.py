"""Streamlit entry point (`streamlit run streamlit_app.py`, or `cockpit serve`): decides who
is looking (signing in first, by the site's COCKPIT_AUTH mode) and routes to the pages that
role may open."""

import streamlit as st

from cockpit.app import routes
from cockpit.app.local_session import write_cookie
from cockpit.app.shell import view_state
from cockpit.app.signin import open_requested_page, render_sign_in, session_principal
from cockpit.pages import audit_page, briefing_page, catalog_page, indicator_page, ops_page
from cockpit.pages.screen_page import render_screen
from cockpit.session import AuthSettingError, SessionSettingError, auth_mode
from cockpit.session_cookie import SessionLifetimeError
from cockpit.site_secret import SiteSecretError
from indicators.settings import local_today

st.set_page_config(page_title="政务驾驶舱", page_icon="📊", layout="wide")
try:
    mode = auth_mode()
    principal = session_principal(mode)
    write_cookie()
except (SessionSettingError, AuthSettingError, SessionLifetimeError, SiteSecretError) as exc:
    st.error(str(exc))
    st.stop()
if principal is None:  # nothing but the sign-in page until signed in
    render_sign_in(mode)
    st.stop()
pages = routes.build_pages(
    principal,
    view_state(local_today()).lang,
    render_screen,
    indicator_page.render,
    catalog_page.render,
    ops_page.render,
    briefing_page.render,
    audit_page.render,
)
current = st.navigation(pages, position="hidden")
open_requested_page(current, pages)
current.run()
