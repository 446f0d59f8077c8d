"""Reading one cell of a bureau's table as a number, the way statistics tables write them.

Missing is explicit: blank, "—", "-", "…" and their full-width forms are None, never 0.
Full-width digits and separators are folded (NFKC), thousands separators dropped, and a
percent sign accepted for indicators whose unit is %. Anything else is a CellError naming
the text, so the caller can say which file, row and column it came from.
"""

from __future__ import annotations

import math
import re
import unicodedata

MISSING_MARKS = {"", "-", "--", "—", "——", "–", "…", "……", "...", "x", "X", "/", "NA", "N/A"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

# Multipliers to the base unit, for converting what a source reports into the catalog's unit.
UNIT_MULTIPLIERS = {
    "元": 1.0,
    "万元": 1e4,
    "亿元": 1e8,
    "人": 1.0,
    "万人": 1e4,
    "人次": 1.0,
    "万人次": 1e4,
    "件": 1.0,
    "万件": 1e4,
    "次": 1.0,
    "万次": 1e4,
    "户": 1.0,
    "万户": 1e4,
    "吨": 1.0,
    "万吨": 1e4,
}


class CellError(ValueError):
    """A cell that is neither a number nor a recognised missing mark."""


def parse_number(cell: object, *, allow_percent: bool = False) -> float | None:
    """The number in `cell`, or None where the table marks it missing."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise CellError(f"'{cell}' is not a number")
    if isinstance(cell, int | float):
        if math.isnan(cell):
            return None
        if math.isinf(cell):
            raise CellError(f"'{cell}' is not a finite number")
        return float(cell)
    text = unicodedata.normalize("NFKC", str(cell)).strip().replace(" ", "")
    if text in MISSING_MARKS:
        return None
    if text.endswith("%"):
        if not allow_percent:
            raise CellError(f"'{cell}' is a percentage where a plain number is expected")
        text = text[:-1]
    text = text.replace(",", "")
    if not _NUMBER.match(text):
        raise CellError(f"'{cell}' is not a number")
    return float(text)


def convert_unit(value: float, source_unit: str, target_unit: str) -> float:
    """`value` in `source_unit` expressed in `target_unit` (e.g. 万元 → 亿元 divides by 10⁴)."""
    if source_unit == target_unit:
        return value
    try:
        return value * UNIT_MULTIPLIERS[source_unit] / UNIT_MULTIPLIERS[target_unit]
    except KeyError as exc:
        raise CellError(
            f"cannot convert {source_unit} to {target_unit}: unknown unit {exc}"
        ) from None
