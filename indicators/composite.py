"""Composite indices (e.g. 无废城市 index): weighted scores of normalised children.

Each child is scored 0–100 against fixed goalposts (lower, upper) read with its
direction, so a new extreme never rewrites history. The index is Σ weight × score, and
each child's contribution (weight × score) is kept for drill-down. A missing child makes
the index unknown: re-weighting the present children would hide the gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.model import CompositeChild, Direction


def normalise(value: float, lower: float, upper: float, direction: Direction) -> float:
    """Score 0–100: 100 at the good goalpost, 0 at the bad one, clipped outside."""
    share = (value - lower) / (upper - lower)
    if direction is Direction.down:
        share = 1 - share
    return float(min(max(share, 0.0), 1.0) * 100)


def normalise_frame(
    frame: pd.DataFrame, child: CompositeChild, direction: Direction
) -> pd.DataFrame:
    """`normalise` applied to every cell (NaN stays NaN)."""
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


@dataclass(frozen=True)
class CompositeResult:
    score: float | None
    contributions: tuple[Contribution, ...]


def composite_score(
    children: list[tuple[CompositeChild, Direction, float | None]],
) -> CompositeResult:
    """Index of one period and area from (child, its direction, its value)."""
    parts = []
    complete = True
    for child, direction, value in children:
        if value is None or math.isnan(value):
            complete = False
            continue
        score = normalise(value, child.lower, child.upper, direction)
        parts.append(Contribution(child.code, child.weight, value, score, child.weight * score))
    total = float(np.sum([p.contribution for p in parts])) if complete else None
    return CompositeResult(total, tuple(parts))
