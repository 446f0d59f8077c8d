"""The cockpit's surfaces: the `cockpit` command line and (later) the Streamlit pages.
Domain logic lives in `indicators`, `connectors` and `reports`; this package only calls it."""
