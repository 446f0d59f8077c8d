"""Tables of the operators' console: a frame with one status column painted in its traffic
light, shown as a Streamlit dataframe (sortable, searchable, downloadable as CSV)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from cockpit.app import palette as p


def painted(frame: pd.DataFrame, column: str, colours: Mapping[str, str]) -> Styler:
    """`frame` with each cell of `column` on the colour its text maps to."""

    def paint(text: object) -> str:
        colour = colours.get(str(text))
        if not colour:
            return ""
        return f"background-color: {colour}; color: {_ink_on(colour)}; font-weight: 600"

    return frame.style.map(paint, subset=[column]).format(precision=1)  # e.g. seconds


def _ink_on(colour: str) -> str:
    """Dark text on a light status colour, white on a dark one (failed, not judged)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#0b1630" if 0.299 * red + 0.587 * green + 0.114 * blue > 140 else "#ffffff"


def show_table(
    frame: pd.DataFrame,
    column: str,
    colours: Mapping[str, str],
    key: str,
    height: int | Literal["auto"] = "auto",
) -> None:
    st.dataframe(painted(frame, column, colours), hide_index=True, key=key, height=height)


def status_colours(names: Mapping[str, str]) -> dict[str, str]:
    """Displayed status name → colour, from status value → displayed name."""
    return {name: p.FRESHNESS_COLOURS[value] for value, name in names.items()}
