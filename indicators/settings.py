"""Where the cockpit keeps its data, from the environment (see CONVENTIONS: fixed interface)."""

from __future__ import annotations

import os
from pathlib import Path


def cockpit_home() -> Path:
    """COCKPIT_HOME (default ./.cockpit): embedded store, sample sources, briefing archive."""
    return Path(os.environ.get("COCKPIT_HOME", ".cockpit")).resolve()


def database_url() -> str:
    """COCKPIT_DATABASE_URL, else the embedded SQLite file under COCKPIT_HOME."""
    url = os.environ.get("COCKPIT_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{cockpit_home() / 'cockpit.db'}"
