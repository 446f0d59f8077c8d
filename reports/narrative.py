"""The auto-written narrative of the monthly briefing (综述): one sentence per indicator in
the style of a government report, worded only from the stored figures a Snapshot carries —
the same figures `cockpit show`, the screens and the briefing tables print, so the prose can
never state a number the tables do not.

    1-10月，全市社会消费品零售总额911.60亿元，同比增长6.6%，完成年度目标的84.4%，
    高于序时进度1.1个百分点。
"""

from __future__ import annotations

from collections.abc import Sequence

from indicators import formatting as fmt
from indicators.model import Direction, Frequency, Indicator
from indicators.periods import QUARTER_ZH, Period
from indicators.registry import Catalog
from indicators.snapshot import Snapshot, SnapshotBuilder

# 同比 growth, 完成率 and 序时进度 are printed with one decimal everywhere else
# (fmt.change, fmt.percent); the prose must say the same figure.
SHARE_DECIMALS = 1
POINTS = "个百分点"


def narrative(
    builder: SnapshotBuilder, codes: Sequence[str], period: Period, area: str
) -> list[str]:
    """One paragraph per indicator, in the order given, for `area` at `period`."""
    catalog = builder.catalog
    return [indicator_sentence(builder.snapshot(code, period, area), catalog) for code in codes]


def indicator_sentence(s: Snapshot, catalog: Catalog) -> str:
    """What the snapshot says, as one sentence: window, place, figure, 同比, target.
    A missing figure is said to be missing; nothing is estimated or recomputed."""
    place = area_name(catalog, s.area)
    parent = growth_parent(catalog, s.indicator.code)
    if parent is not None:  # an official growth rate reads as the growth of its total
        total, is_ytd = parent
        window = period_words(s.period, is_ytd, total.merged_jan_feb)
        if s.value is None:
            return f"{window}，{place}{s.indicator.name_zh}暂无数据。"
        clauses = [
            f"{place}{total.name_zh}{_growth(s.value, '%', s.indicator.decimals)}",
            _target(s, annual=is_ytd),
        ]
        return _sentence(window, clauses)
    ind = s.indicator
    window = period_words(s.period, s.uses_ytd, ind.merged_jan_feb)
    if s.headline is None:
        return f"{window}，{place}{ind.name_zh}暂无数据。"
    clauses = [
        f"{place}{ind.name_zh}{fmt.number(s.headline, ind.decimals)}{ind.unit}",
        _yoy(s),
        _target(s, annual=s.uses_ytd),
    ]
    return _sentence(window, clauses)


def area_name(catalog: Catalog, area: str) -> str:
    """全市 for the city, the district's own name otherwise (a 区 report names itself)."""
    deployment = catalog.deployment
    if area == deployment.city.code:
        return "全市"
    for district in deployment.districts:
        if district.code == area:
            return district.name_zh
    raise ValueError(f"unknown area '{area}'")


def growth_parent(catalog: Catalog, code: str) -> tuple[Indicator, bool] | None:
    """The total whose official growth rate `code` publishes (supplied_growth), and whether
    that rate is 累计同比: GDP growth is said as 地区生产总值同比增长, over 前三季度."""
    for ind in catalog:
        supplied = ind.supplied_growth
        if supplied is not None and code in (supplied.yoy, supplied.ytd_yoy):
            return ind, code == supplied.ytd_yoy
    return None


def period_words(period: Period, ytd: bool, merged_jan_feb: bool = False) -> str:
    """How the sentence opens: 1-10月 / 前三季度 for a 累计, 10月 / 三季度 for the period's
    own value, 2025年 for a year (the briefing's heading already names the year)."""
    if period.frequency is Frequency.year:
        return f"{period.year}年"
    if ytd:
        return period.ytd_label_zh(merged_jan_feb)
    if period.frequency is Frequency.month:
        return f"{period.index}月"
    if period.frequency is Frequency.quarter:
        return f"{QUARTER_ZH[period.index]}季度"
    return f"{period.start.month}月{period.start.day}日"


def _sentence(window: str, clauses: list[str]) -> str:
    return f"{window}，" + "，".join(c for c in clauses if c) + "。"


def _yoy(s: Snapshot) -> str:
    """同比 of the headline: growth in % (one decimal), or for a rate the difference in
    个百分点 with the rate's own decimals. Absent (no base, no growth) is left unsaid."""
    change = s.headline_yoy
    if change is None:
        return ""
    if s.change_unit == POINTS:
        return _growth(change, POINTS, s.indicator.decimals)
    return _growth(change, "%", SHARE_DECIMALS)


def _growth(change: float, unit: str, decimals: int) -> str:
    """同比增长6.6% / 同比下降2.1% / 同比提高0.5个百分点 / 同比持平 (as rounded)."""
    if fmt.shown_as_zero(change, decimals):  # never 下降0.0%
        return "同比持平"
    shown = fmt.number(abs(change), decimals)
    rise = "提高" if unit == POINTS else "增长"  # a rate 提高 by points, a level 增长 by %
    verb = rise if change > 0 else "下降"
    return f"同比{verb}{shown}{unit}"


def _target(s: Snapshot, annual: bool) -> str:
    """The target clause, from the judgement only; empty without a target or a gap."""
    j = s.judgement
    if j.target is None or j.gap is None:
        return ""
    if j.schedule is not None and j.attainment is not None:  # 累计 against 序时进度
        # gap is oriented "good is positive"; the words say where attainment actually is.
        ahead = -j.gap if s.indicator.direction is Direction.down else j.gap
        done = f"完成年度目标的{fmt.percent(j.attainment, SHARE_DECIMALS)}"
        return f"{done}，{_relative(ahead, '序时进度', POINTS, SHARE_DECIMALS)}"
    name = "年度目标" if annual else "目标"
    if s.indicator.is_rate_unit:
        return _relative(j.gap, name, POINTS, s.indicator.decimals)
    return _relative(j.gap, name, s.indicator.unit, s.indicator.decimals)


def _relative(difference: float, yardstick: str, unit: str, decimals: int) -> str:
    """高于序时进度1.1个百分点 / 低于目标3.1个百分点 / 与序时进度持平 / 达到目标."""
    if fmt.shown_as_zero(difference, decimals):
        return "与序时进度持平" if yardstick == "序时进度" else f"达到{yardstick}"
    shown = fmt.number(abs(difference), decimals)
    side = "高于" if difference > 0 else "低于"
    return f"{side}{yardstick}{shown}{unit}"
