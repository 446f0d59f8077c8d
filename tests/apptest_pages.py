"""Opening the cockpit's pages under AppTest against a sample city.

The router registers callable pages under URL paths (st.navigation), which
`AppTest.switch_page` (file pages only) cannot reach; after a first run AppTest knows each
registered page's hash by URL path, and selecting that hash is what a browser's URL does.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).parent.parent / "streamlit_app.py")


def open_page(url_path: str, session: Mapping[str, Any] | None = None, **params: str) -> AppTest:
    """Run the app at `/url_path?params` and return it after that page rendered; `session`
    is put in st.session_state first (a signed-in principal, say)."""
    app = AppTest.from_file(APP, default_timeout=120)
    for name, value in (session or {}).items():
        app.session_state[name] = value
    app.run()
    pages = {info.get("url_pathname"): page for page, info in app._registered_pages.items()}
    app._page_hash = pages[url_path]
    for name, value in params.items():
        app.query_params[name] = value
    return app.run()
