"""Where the cockpit keeps its data, from the environment (see CONVENTIONS: fixed interface)."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def cockpit_home() -> Path:
    """COCKPIT_HOME (default ./.cockpit): embedded store, sample sources, briefing archive."""
    return Path(os.environ.get("COCKPIT_HOME", ".cockpit")).resolve()


def database_url() -> str:
    """COCKPIT_DATABASE_URL, else the embedded SQLite file under COCKPIT_HOME."""
    url = os.environ.get("COCKPIT_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{cockpit_home() / 'cockpit.db'}"


class SettingsError(ValueError):
    """An environment setting that cannot be used."""


def display_timezone() -> ZoneInfo:
    """COCKPIT_TIMEZONE (default Asia/Shanghai): times are stored in UTC, shown in this zone."""
    name = os.environ.get("COCKPIT_TIMEZONE", "Asia/Shanghai")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"COCKPIT_TIMEZONE '{name}' is not a known time zone") from None


def local_today() -> date:
    """Today's date where the users are, which decides the latest complete period: at
    07:00 on 1 November in Beijing it is already November, though UTC still says October."""
    return datetime.now(display_timezone()).date()


def district_map_path() -> Path | None:
    """COCKPIT_DISTRICT_MAP: the site's own district GeoJSON (features named as in
    areas.yaml); unset, the cockpit draws the sample city's shipped map."""
    configured = os.environ.get("COCKPIT_DISTRICT_MAP")
    return Path(configured).resolve() if configured else None
