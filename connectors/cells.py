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

# What each unit measures and its multiplier to that measure's base unit: 万元 → 亿元 converts,
# 人 → 人次 or 件 → 户 does not (different things, though both are plain counts).
UNITS: dict[str, tuple[str, float]] = {
    "元": ("元", 1.0),
    "万元": ("元", 1e4),
    "亿元": ("元", 1e8),
    "人": ("人", 1.0),
    "万人": ("人", 1e4),
    "人次": ("人次", 1.0),
    "万人次": ("人次", 1e4),
    "件": ("件", 1.0),
    "万件": ("件", 1e4),
    "次": ("次", 1.0),
    "万次": ("次", 1e4),
    "户": ("户", 1.0),
    "万户": ("户", 1e4),
    "吨": ("吨", 1.0),
    "万吨": ("吨", 1e4),
    "辆": ("辆", 1.0),
    "万辆": ("辆", 1e4),
    "个": ("个", 1.0),
    "万个": ("个", 1e4),
    "千瓦时": ("千瓦时", 1.0),
    "万千瓦时": ("千瓦时", 1e4),
    "亿千瓦时": ("千瓦时", 1e8),
    "平方米": ("平方米", 1.0),
    "万平方米": ("平方米", 1e4),
    "立方米": ("立方米", 1.0),
    "万立方米": ("立方米", 1e4),
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


def same_measure(unit: str, other: str) -> bool:
    """万元 and 亿元 measure the same thing; 人 and 人次, or 万元 and 个, do not. Units this
    module does not know measure the same thing only as the same text."""
    if unit == other:
        return True
    return unit in UNITS and other in UNITS and UNITS[unit][0] == UNITS[other][0]


def convert_unit(value: float, source_unit: str, target_unit: str) -> float:
    """`value` in `source_unit` expressed in `target_unit` (e.g. 万元 → 亿元 divides by 10⁴)."""
    if source_unit == target_unit:
        return value
    for unit in (source_unit, target_unit):
        if unit not in UNITS:
            raise CellError(f"cannot convert {source_unit} to {target_unit}: unknown unit '{unit}'")
    (source_measure, source_factor), (target_measure, target_factor) = (
        UNITS[source_unit],
        UNITS[target_unit],
    )
    if source_measure != target_measure:
        raise CellError(
            f"cannot convert {source_unit} to {target_unit}: they measure different things"
        )
    return value * source_factor / target_factor
