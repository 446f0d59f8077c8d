"""What one KPI tile says, as text, derived from a snapshot and its freshness.

Pure: the page only lays these out. Every figure is formatted from the same snapshot
`cockpit show` prints, with the indicator's own decimals, so the wall and the command
line cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from cockpit import i18n
from cockpit.i18n import Lang
from indicators import formatting as fmt
from indicators.freshness import Freshness, IndicatorFreshness
from indicators.model import Direction, GrowthSource, TargetBasis
from indicators.periods import Period
from indicators.reading import Tone, change_decimals, covers_ytd, tone_of
from indicators.snapshot import Snapshot
from indicators.targets import Status


@dataclass(frozen=True)
class Change:
    label: str  # 同比 / 环比
    text: str  # +5.2% / -0.3个百分点
    tone: Tone


@dataclass(frozen=True)
class Progress:
    """完成率 against 序时进度 for a cumulative annual target."""

    attainment: float  # % of the annual target done
    schedule: float  # % of the year elapsed
    text: str


@dataclass(frozen=True)
class Tile:
    code: str
    name: str
    status: Status
    value: str  # the headline figure, formatted with the indicator's decimals
    unit: str
    figure_label: str  # what the figure is: 1-10月累计, 10月, 三季度末 …
    changes: tuple[Change, ...]
    progress: Progress | None
    target: str  # 目标 ≥85.0% · 差距 -1.2个百分点, or "" when not judged
    sparkline: tuple[float | None, ...]
    as_of: str  # 数据截至 2026年10月
    freshness: Freshness
    freshness_note: str  # 逾期：应有2026年10月 — empty when current
    href: str


def change_unit(snapshot: Snapshot, lang: Lang) -> str:
    """% for growth of a level, 个百分点 (pp) for a difference of rates."""
    if lang == "zh":
        return snapshot.change_unit
    return "pp" if snapshot.indicator.is_rate_unit else "%"


def gap_unit(unit: str | None, lang: Lang) -> str:
    """The unit of a gap to target: 个百分点 (pp) or the indicator's own unit."""
    if lang == "zh" or not unit:
        return unit or ""
    return "pp" if unit == "个百分点" else i18n.unit(unit, lang)


def changes_of(snapshot: Snapshot, lang: Lang) -> tuple[Change, ...]:
    """同比 (of the headline: 累计同比 where the tile shows 累计) and 环比 where they exist."""
    ind = snapshot.indicator
    unit = change_unit(snapshot, lang)
    decimals = change_decimals(ind)  # as the briefing prints the same change
    shown = []
    if ind.growth is not GrowthSource.none:
        shown.append(("yoy", snapshot.headline_yoy))
    if snapshot.mom is not None and not snapshot.uses_ytd:
        shown.append(("mom", snapshot.mom))
    return tuple(
        Change(
            i18n.text(label, lang),
            fmt.change(value, unit, decimals),
            tone_of(value, ind.direction, decimals),
        )
        for label, value in shown
    )


def figure_label(snapshot: Snapshot, lang: Lang) -> str:
    ind = snapshot.indicator
    if not covers_ytd(snapshot):
        return i18n.period_label(snapshot.period, lang)
    window = i18n.ytd_label(snapshot.period, ind.merged_jan_feb, lang)
    if not snapshot.uses_ytd:  # a rate over 1–N months (1-10月 growth) is no 累计 itself
        return window
    return f"{window}累计" if lang == "zh" else f"{window} cumulative"


def progress_of(snapshot: Snapshot, lang: Lang) -> Progress | None:
    j = snapshot.judgement
    if j.attainment is None or j.schedule is None:
        return None
    text = (
        f"{i18n.text('attainment', lang)} {fmt.percent(j.attainment)}"
        f" · {i18n.text('schedule', lang)} {fmt.percent(j.schedule)}"
    )
    return Progress(j.attainment, j.schedule, text)


def target_text(snapshot: Snapshot, lang: Lang) -> str:
    """The level a figure is judged against and the gap, for targets without 序时进度."""
    ind, j = snapshot.indicator, snapshot.judgement
    if j.target is None or j.schedule is not None:
        return ""
    sign = {Direction.up: "≥", Direction.down: "≤", Direction.band: ""}[ind.direction]
    unit = i18n.unit(ind.unit, lang)
    text = f"{i18n.text('target', lang)} {sign}{fmt.plain(j.target)}{unit}"
    if j.gap is not None and ind.target and ind.target.basis is not TargetBasis.annual_total:
        gap = fmt.change(j.gap, gap_unit(j.gap_unit, lang), ind.decimals)
        text += f" · {i18n.text('gap', lang)} {gap}"
    return text


def freshness_note(freshness: IndicatorFreshness | None, lang: Lang) -> str:
    """Why a figure is not current, in a few words: 逾期 · 应有2026年10月."""
    if freshness is None or freshness.status is Freshness.fresh:
        return ""
    label = {
        Freshness.late: "late",
        Freshness.stale: "stale",
        Freshness.failed: "failed",
        Freshness.never: "never",
    }[freshness.status]
    expected = i18n.period_label(Period.parse(freshness.expected), lang)
    return f"{i18n.text(label, lang)} · {i18n.text('expected', lang)}{expected}"


def area_freshness(
    freshness: IndicatorFreshness | None, snapshot: Snapshot
) -> IndicatorFreshness | None:
    """Freshness is judged on the city's figures; a district whose latest figure is older
    than the city's latest is behind on its own, and says so (迟报 · 应有 the city's period)."""
    if freshness is None or freshness.latest is None or freshness.status is not Freshness.fresh:
        return freshness
    city_latest = Period.parse(freshness.latest)
    if city_latest.frequency is not snapshot.period.frequency or not snapshot.period < city_latest:
        return freshness
    reason = f"{snapshot.area} behind the city: {snapshot.period.label} < {city_latest.label}"
    return replace(
        freshness,
        status=Freshness.late,
        expected=city_latest.label,
        latest=snapshot.period.label,
        reason=reason,
    )


def indicator_params(
    code: str, area: str, period: Period | None, lang: Lang, origin: str | None = None
) -> dict[str, str]:
    """The indicator page's query parameters for one figure; `origin` is the screen it was
    opened from, where 返回 leads."""
    params = {"code": code, "area": area}
    if period is not None:
        params["period"] = period.label
    if lang != "zh":
        params["lang"] = lang
    if origin:
        params["from"] = origin
    return params


def indicator_href(
    code: str, area: str, period: Period | None, lang: Lang, origin: str | None = None
) -> str:
    """Relative link to the indicator page, so a proxy's base path is kept."""
    return "indicator?" + urlencode(indicator_params(code, area, period, lang, origin))


def build_tile(
    snapshot: Snapshot,
    freshness: IndicatorFreshness | None,
    lang: Lang = "zh",
    origin: str | None = None,
) -> Tile:
    ind = snapshot.indicator
    status = freshness.status if freshness else Freshness.fresh
    return Tile(
        code=ind.code,
        name=i18n.indicator_name(ind, lang),
        status=snapshot.judgement.status,
        value=fmt.number(snapshot.headline, ind.decimals),
        unit=i18n.unit(ind.unit, lang),
        figure_label=figure_label(snapshot, lang),
        changes=changes_of(snapshot, lang),
        progress=progress_of(snapshot, lang),
        target=target_text(snapshot, lang),
        sparkline=tuple(value for _, value in snapshot.sparkline),
        as_of=f"{i18n.text('as_of', lang)} {i18n.period_label(snapshot.period, lang)}",
        freshness=status,
        freshness_note=freshness_note(freshness, lang),
        href=indicator_href(ind.code, snapshot.area, snapshot.period, lang, origin),
    )
