"""What a screen is showing, read from the URL so a wall's bookmark reproduces it:
`?area=xishan&asof=2026-09&lang=en&kiosk=1&rotate=30&map=ECO_GDP_GROWTH`.

`asof` is the look-back (the screens as they stood at the end of that month); `period` is
left to the indicator page, where it names the figure's own period, so a drill-down from the
live wall stays live.

Anything unreadable falls back to the default (live view of the whole city in Chinese)
instead of failing: a typo in a kiosk URL must still give a working wall.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from cockpit.i18n import LANGS, Lang
from indicators.model import Frequency
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog

MIN_ROTATE_SECONDS = 10
HISTORY_MONTHS = 24  # how far back the period selector reaches


@dataclass(frozen=True)
class ViewState:
    lang: Lang = "zh"
    area: str = ""  # "" = the city
    month: Period | None = None  # None = live: latest complete periods, rolling forward
    kiosk: bool = False
    rotate: int | None = None  # seconds per screen in kiosk mode
    map_code: str | None = None

    def with_(self, **changes: object) -> ViewState:
        return replace(self, **changes)  # type: ignore[arg-type]

    def query_params(self) -> dict[str, str]:
        """The URL parameters that reproduce this state (defaults left out)."""
        params: dict[str, str] = {}
        if self.lang != "zh":
            params["lang"] = self.lang
        if self.area:
            params["area"] = self.area
        if self.month is not None:
            params["asof"] = self.month.label
        if self.kiosk:
            params["kiosk"] = "1"
        if self.rotate:
            params["rotate"] = str(self.rotate)
        if self.map_code:
            params["map"] = self.map_code
        return params


def read_view_state(params: Mapping[str, str], catalog: Catalog, today: date) -> ViewState:
    lang: Lang = params.get("lang", "zh") if params.get("lang") in LANGS else "zh"  # type: ignore[assignment]
    found = catalog.deployment.find(params.get("area", ""))
    area = found.code if found and found != catalog.deployment.city else ""
    month = _month(params.get("asof"), today)
    kiosk = params.get("kiosk") in {"1", "true", "yes"}
    rotate = _seconds(params.get("rotate")) if kiosk else None
    map_code = params.get("map")
    if map_code not in catalog.indicators:
        map_code = None
    return ViewState(lang, area, month, kiosk, rotate, map_code)


def _month(text: str | None, today: date) -> Period | None:
    """A past complete month, or None (live) for anything else."""
    if not text:
        return None
    try:
        period = Period.parse(text)
    except PeriodError:
        return None
    latest = Period.latest_complete(Frequency.month, today)
    if period.frequency is not Frequency.month or not (latest - HISTORY_MONTHS < period < latest):
        return None  # the latest month itself is the live view, which rolls forward
    return period


def _seconds(text: str | None) -> int | None:
    try:
        seconds = int(text or "")
    except ValueError:
        return None
    return max(seconds, MIN_ROTATE_SECONDS) if seconds > 0 else None


def month_choices(today: date) -> list[Period]:
    """Past months a leader can look back at, newest first (the live view comes before)."""
    latest = Period.latest_complete(Frequency.month, today)
    return [latest - n for n in range(1, HISTORY_MONTHS)]
