"""Numbers the Chinese way: fixed decimals, thousands separators, % and 个百分点."""

from __future__ import annotations

import math
from datetime import datetime

from indicators.settings import display_timezone

MISSING = "—"


def number(value: float | None, decimals: int) -> str:
    if value is None or math.isnan(value):
        return MISSING
    return f"{value:,.{decimals}f}"


def plain(value: float) -> str:
    """A set figure such as a target as people write it: 2,580 / 85 / 99.5 / 1,500,000 —
    no padding zeros, never an exponent."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def shown_as_zero(value: float, decimals: int) -> bool:
    """Whether the printed figure is 0 (-0.04 at one decimal): such a change carries no
    sign, no colour and no 增长/下降."""
    return float(f"{abs(value):.{decimals}f}") == 0


def change(value: float | None, unit: str, decimals: int = 1) -> str:
    """A 同比/环比: signed growth in % or difference in 个百分点; 0.0 unsigned, never -0.0."""
    if value is None or math.isnan(value):
        return MISSING
    if shown_as_zero(value, decimals):
        return f"{0:.{decimals}f}{unit}"
    return f"{value:+.{decimals}f}{unit}"


def percent(value: float | None, decimals: int = 1) -> str:
    if value is None or math.isnan(value):
        return MISSING
    return f"{value:.{decimals}f}%"


def local_time(moment: datetime | None) -> str:
    """An aware UTC timestamp as users read it: 2026-11-25 23:14 北京时间."""
    if moment is None:
        return MISSING
    zone = display_timezone()
    name = "北京时间" if zone.key == "Asia/Shanghai" else zone.key
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M} {name}"
