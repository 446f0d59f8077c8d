"""Streamlit pages: each renders one screen and calls the library for every number."""
