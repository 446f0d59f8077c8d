"""Streamlit entry point (`streamlit run streamlit_app.py`): routes to the cockpit's pages."""

import streamlit as st

from cockpit.pages import catalog_page

st.set_page_config(page_title="政务驾驶舱", page_icon="📊", layout="wide")
navigation = st.navigation(
    [st.Page(catalog_page.render, title="指标体系", url_path="catalog", default=True)]
)
navigation.run()
