"""Target attainment, 序时进度 and the red/amber/green status of one value.

Three ways to judge an indicator, chosen by its target basis:
- annual_total: the 累计 value as a share of the annual target, compared with the share of
  the year that has elapsed (序时进度). Behind schedule by up to `amber_points` is amber.
- level / ytd_level: the value (or its 累计) against a level. Rates are read by their gap
  in 个百分点 only; other units also get completion as a ratio, where the target is
  positive (ratio completion breaks for zero or negative targets).
- band: inside the green band is green, inside the amber band amber, otherwise red.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from indicators.model import Direction, Indicator, Nature, RagRuleKind, TargetBasis
from indicators.periods import Period


class Status(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"
    none = "none"  # informational indicator: no rule
    unknown = "unknown"  # a rule exists but the value (or target) is missing


STATUS_ZH = {
    Status.green: "正常",
    Status.amber: "预警",
    Status.red: "落后",
    Status.none: "—",
    Status.unknown: "无数据",
}


@dataclass(frozen=True)
class Judgement:
    status: Status
    target: float | None = None  # the target in force for the period's year
    judged_value: float | None = None  # the value the rule looked at (period or 累计)
    attainment: float | None = None  # 完成率, % of target
    schedule: float | None = None  # 序时进度, % of the year elapsed
    gap: float | None = None  # attainment − schedule (points), or value − target
    gap_unit: str | None = None  # "个百分点" or the indicator's unit


def target_applies_to(indicator: Indicator, area: str, city: str) -> bool:
    """A target of an amount (a flow or a stock: GDP 2580 亿元, 20万 IoT devices) is the
    city's; a district is not judged against it. Rates and indices apply everywhere."""
    return area == city or indicator.nature is Nature.rate


def judge(
    indicator: Indicator, period: Period, value: float | None, ytd: float | None
) -> Judgement:
    """Judge `value` (the period's own) or `ytd` (its 累计) by the indicator's rule."""
    target = indicator.target.for_year(period.year) if indicator.target else None
    basis = indicator.target.basis if indicator.target else None
    judged = ytd if basis in (TargetBasis.annual_total, TargetBasis.ytd_level) else value
    rule = indicator.rag.rule
    if rule is RagRuleKind.none and target is None:
        return Judgement(Status.none)
    if judged is None or math.isnan(judged):
        return Judgement(Status.unknown, target=target)
    if basis is TargetBasis.annual_total:
        if target is None:  # no target set for this year: a rule without a yardstick
            return Judgement(Status.unknown if rule is RagRuleKind.schedule else Status.none)
        return _against_schedule(indicator, period, judged, target)
    return _against_level(indicator, judged, target)


def _against_schedule(indicator: Indicator, period: Period, ytd: float, target: float) -> Judgement:
    """完成率 of a positive annual target (checks refuse others) against 序时进度."""
    schedule = period.elapsed_share() * 100
    attainment = ytd / target * 100
    # For a cap (逆向, e.g. an energy-use ceiling) staying under the schedule is good.
    down = indicator.direction is Direction.down
    gap = schedule - attainment if down else attainment - schedule
    status = Status.none
    if indicator.rag.rule is RagRuleKind.schedule:
        if gap >= 0:
            status = Status.green
        elif gap >= -indicator.rag.amber_points:
            status = Status.amber
        else:
            status = Status.red
    return Judgement(status, target, ytd, attainment, schedule, gap, "个百分点")


def _against_level(indicator: Indicator, value: float, target: float | None) -> Judgement:
    attainment = gap = None
    if target is not None:
        gap = value - target
        # A rate against a rate target is read as a gap in 个百分点; "98.9% of 95%" says nothing.
        if target > 0 and value > 0 and not indicator.is_rate_unit:
            ratio = target / value if indicator.direction is Direction.down else value / target
            attainment = ratio * 100
    unit = "个百分点" if indicator.is_rate_unit else indicator.unit
    status = _status(indicator, value, target)
    return Judgement(status, target, value, attainment, None, gap, unit)


def _status(indicator: Indicator, value: float, target: float | None) -> Status:
    rag = indicator.rag
    if rag.rule is RagRuleKind.band:
        return _band_status(value, rag.green_band, rag.amber_band)
    if rag.rule is not RagRuleKind.threshold:
        return Status.none
    green = rag.green if rag.green is not None else target
    if green is None:
        return Status.unknown
    better = (lambda a, b: a >= b) if indicator.direction is Direction.up else (lambda a, b: a <= b)
    if better(value, green):
        return Status.green
    if rag.amber is not None and better(value, rag.amber):
        return Status.amber
    return Status.red


def _band_status(
    value: float, green: tuple[float, float] | None, amber: tuple[float, float] | None
) -> Status:
    if green and green[0] <= value <= green[1]:
        return Status.green
    if amber and amber[0] <= value <= amber[1]:
        return Status.amber
    return Status.red


def target_path(ind: Indicator, period: Period) -> float | None:
    """The target line at `period`: for an annual total the 序时目标 (target × elapsed share
    of the year), which the 累计 line should be on; for a level, the level itself."""
    if ind.target is None:
        return None
    level = ind.target.for_year(period.year)
    if level is None:
        return None
    if ind.target.basis is TargetBasis.annual_total:
        return level * period.elapsed_share()
    return level
