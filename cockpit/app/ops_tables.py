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
        return f"background-color: {colour}; color: #0b1630; font-weight: 600" if colour else ""

    return frame.style.map(paint, subset=[column])


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
