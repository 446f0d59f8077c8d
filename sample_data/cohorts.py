"""Counting rules for generating individual records whose aggregates are known in advance.

The sample databases hold work orders and events, one row each, and the model says how many
of them must have each property in each district and month. Two problems recur: a record is
counted in one month by one timestamp and in the next month by another (a feedback deadline
or a closure falls after the month it was accepted in), and a total (hours, days) has to be
split over records without any record exceeding what its timestamps allow. These helpers
solve both on whole numbers, so the SQL aggregates reproduce the targets exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def carry_over(
    supply: np.ndarray, targets: Sequence[np.ndarray], share: float
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Split each month's `supply` of records into those counted in the same month and those
    carried into the next (`carry`, the same records for every target), so that
    target[k] = same[k] + carry[k-1]. About `share` of a month's records are carried when the
    targets allow. Returns `carry` and each target's same-month count; where a target cannot
    be met (it asks for more than the supply) the same-month count is clipped, so compare
    same + carry with the target to find the months that were adjusted."""
    months = len(supply)
    carry = np.zeros(months, dtype=np.int64)
    same = [np.zeros(months, dtype=np.int64) for _ in targets]
    previous = 0
    for k in range(months):
        needs = [int(target[k]) - previous for target in targets]
        room = int(supply[k]) - max(0, *needs)
        following = min(int(target[k + 1]) for target in targets) if k + 1 < months else 0
        carry[k] = max(0, min(round(share * int(supply[k])), room, following))
        for counts, need in zip(same, needs, strict=True):
            counts[k] = min(max(need, 0), int(supply[k]) - carry[k])
        previous = int(carry[k])
    return carry, same


def spread_total(total: int, caps: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Whole numbers summing to `total` (or to sum(caps) if that is less), roughly in
    proportion to `weights`, none above its cap."""
    caps = caps.astype(np.int64)
    total = min(int(total), int(caps.sum()))
    shares = np.zeros(len(caps), dtype=np.int64)
    left = total
    while left > 0:
        open_ = shares < caps
        w = np.where(open_, weights, 0.0)
        if w.sum() <= 0:
            w = open_.astype(float)
        step = np.minimum(np.floor(left * w / w.sum()).astype(np.int64), caps - shares)
        if step.sum() == 0:  # fewer units left than open records: one each, largest first
            order = np.argsort(-w, kind="stable")[:left]
            step = np.zeros(len(caps), dtype=np.int64)
            step[order] = 1
        shares += step
        left -= int(step.sum())
    return shares


def pick(rng: np.random.Generator, among: np.ndarray, count: int) -> np.ndarray:
    """A mask over `among`'s length choosing `count` of the positions where `among` is True."""
    positions = np.flatnonzero(among)
    chosen = np.zeros(len(among), dtype=bool)
    chosen[rng.choice(positions, size=min(count, len(positions)), replace=False)] = True
    return chosen


def split_count(rng: np.random.Generator, total: int, weights: Sequence[float]) -> np.ndarray:
    """`total` records divided among parts in proportion to `weights` (multinomial)."""
    p = np.asarray(weights, dtype=float)
    return rng.multinomial(int(total), p / p.sum())


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """`total` divided in proportion to `weights` in whole numbers (largest remainder), so
    equal totals always split alike."""
    exact = int(total) * weights / weights.sum()
    parts = np.floor(exact).astype(np.int64)
    short = int(total) - int(parts.sum())
    parts[np.argsort(parts - exact, kind="stable")[:short]] += 1
    return parts


def contradictions(
    requested: dict[str, np.ndarray], planned: dict[str, np.ndarray]
) -> dict[str, int]:
    """Per indicator, how many values the plan had to change to make the model's numbers
    consistent (only indicators with changes)."""
    changed = {code: int((planned[code] != requested[code]).sum()) for code in requested}
    return {code: cells for code, cells in changed.items() if cells}


def next_month(values: np.ndarray, k: int, j: int) -> int:
    """values[k, j], or 0 when month k is past the last one (nothing is carried out of it)."""
    return int(values[k, j]) if k < len(values) else 0
