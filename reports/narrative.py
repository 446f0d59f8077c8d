"""The auto-written narrative of the monthly briefing (综述): one sentence per indicator in
the style of a government report, worded only from the stored figures a Snapshot carries —
the same figures `cockpit show`, the screens and the briefing tables print, so the prose can
never state a number the tables do not.

    1-10月，全市社会消费品零售总额911.60亿元，同比增长6.6%，完成年度目标的84.4%，
    高于序时进度1.1个百分点。
"""

from __future__ import annotations

from indicators import formatting as fmt
from indicators.model import Direction, Frequency, Indicator
from indicators.periods import QUARTER_ZH, Period
from indicators.reading import change_decimals, covers_ytd
from indicators.registry import Catalog
from indicators.snapshot import Snapshot

# 完成率 and 序时进度 are printed with one decimal everywhere else (fmt.percent); the prose
# must say the same figure.
SHARE_DECIMALS = 1
POINTS = "个百分点"


def indicator_sentence(s: Snapshot, catalog: Catalog) -> str:
    """What the snapshot says, as one sentence: window, place, figure, 同比, target.
    A missing figure is said to be missing; nothing is estimated or recomputed."""
    ind = s.indicator
    place = area_name(catalog, s.area)
    if s.headline is None:
        return f"{window(s)}，{place}{ind.name_zh}暂无数据。"
    total = growth_total(catalog, ind)
    if total is not None:  # an official growth rate reads as the growth of its total
        return _sentence(s, [f"{place}{total}{_growth(s.headline, '%', ind.decimals)}"])
    figure = f"{place}{ind.name_zh}{fmt.number(s.headline, ind.decimals)}{ind.unit}"
    return _sentence(s, [figure, _yoy(s)])


def area_name(catalog: Catalog, area: str) -> str:
    """全市 for the city, the district's own name otherwise (a 区 report names itself)."""
    deployment = catalog.deployment
    if area == deployment.city.code:
        return "全市"
    for district in deployment.districts:
        if district.code == area:
            return district.name_zh
    raise ValueError(f"unknown area '{area}'")


def growth_total(catalog: Catalog, ind: Indicator) -> str | None:
    """The total whose official growth rate `ind` is: the indicator naming it in its
    supplied_growth, else the catalog's `growth_of`. GDP growth is said as
    地区生产总值同比增长5.2%, not 地区生产总值增速5.2%."""
    for total in catalog:
        supplied = total.supplied_growth
        if supplied is not None and ind.code in (supplied.yoy, supplied.ytd_yoy):
            return total.name_zh
    return ind.growth_of


def window(s: Snapshot, with_year: bool = False) -> str:
    """The months the snapshot's headline covers, as every table and sentence of the
    briefing names them: 1-10月 / 前三季度 for a 累计 or a 1–N月 rate, 10月 / 三季度 for
    the period's own value. `with_year` for a note standing alone: 2026年1-10月."""
    words = period_words(s.period, covers_ytd(s), s.indicator.merged_jan_feb)
    if with_year and s.period.frequency is not Frequency.year:
        return f"{s.period.year}年{words}"
    return words


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


def gap_words(s: Snapshot) -> str:
    """Where the judged figure stands against its yardstick, in words that carry the sign:
    低于序时进度3.1个百分点, 高于目标0.02倍, 达到年度目标; empty without a target or a gap."""
    j, ind = s.judgement, s.indicator
    if j.target is None or j.gap is None:
        return ""
    if j.schedule is not None and j.attainment is not None:  # 累计 against 序时进度
        # gap is oriented "good is positive"; the words say where attainment actually is.
        ahead = -j.gap if ind.direction is Direction.down else j.gap
        return _relative(ahead, "序时进度", POINTS, SHARE_DECIMALS)
    name = "年度目标" if covers_ytd(s) else "目标"
    unit = POINTS if ind.is_rate_unit else ind.unit
    return _relative(j.gap, name, unit, ind.decimals)


def _sentence(s: Snapshot, clauses: list[str]) -> str:
    """The window, the clauses given and the target clause, as one sentence."""
    said = [c for c in [*clauses, _target(s)] if c]
    return f"{window(s)}，" + "，".join(said) + "。"


def _yoy(s: Snapshot) -> str:
    """同比 of the headline: growth in % (one decimal), or for a rate the difference in
    个百分点 with the rate's own decimals. Absent (no base, no growth) is left unsaid."""
    change = s.headline_yoy
    if change is None:
        return ""
    return _growth(change, s.change_unit, change_decimals(s.indicator))


def _growth(change: float, unit: str, decimals: int) -> str:
    """同比增长6.6% / 同比下降2.1% / 同比提高0.5个百分点 / 同比持平 (as rounded)."""
    if fmt.shown_as_zero(change, decimals):  # never 下降0.0%
        return "同比持平"
    shown = fmt.number(abs(change), decimals)
    rise = "提高" if unit == POINTS else "增长"  # a rate 提高 by points, a level 增长 by %
    verb = rise if change > 0 else "下降"
    return f"同比{verb}{shown}{unit}"


def _target(s: Snapshot) -> str:
    """The target clause: 完成年度目标的84.4% before the position against 序时进度."""
    gap = gap_words(s)
    attainment = s.judgement.attainment
    if gap and s.judgement.schedule is not None and attainment is not None:
        return f"完成年度目标的{fmt.percent(attainment, SHARE_DECIMALS)}，{gap}"
    return gap


def _relative(difference: float, yardstick: str, unit: str, decimals: int) -> str:
    """高于序时进度1.1个百分点 / 低于目标3.1个百分点 / 与序时进度持平 / 达到目标."""
    if fmt.shown_as_zero(difference, decimals):
        return "与序时进度持平" if yardstick == "序时进度" else f"达到{yardstick}"
    shown = fmt.number(abs(difference), decimals)
    side = "高于" if difference > 0 else "低于"
    return f"{side}{yardstick}{shown}{unit}"
