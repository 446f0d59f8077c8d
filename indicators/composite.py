"""Composite indices (e.g. 无废城市 index): weighted scores of normalised children.

Each child is scored 0–100 against fixed goalposts (lower, upper) read with its
direction, so a new extreme never rewrites history. The index is Σ weight × score, and
each child's contribution (weight × score) is kept for drill-down. A missing child makes
the index unknown: re-weighting the present children would hide the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from indicators.model import CompositeChild, Direction


def normalise_frame(
    frame: pd.DataFrame, child: CompositeChild, direction: Direction
) -> pd.DataFrame:
    """Score every cell 0–100: 100 at the good goalpost, 0 at the bad one, clipped
    outside them (NaN stays NaN)."""
    share = (frame - child.lower) / (child.upper - child.lower)
    if direction is Direction.down:
        share = 1 - share
    return share.clip(0.0, 1.0) * 100


@dataclass(frozen=True)
class Contribution:
    code: str
    weight: float
    value: float
    score: float  # 0–100
    contribution: float  # weight × score: points of the index this child brings
