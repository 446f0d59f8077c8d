"""指标详情: one indicator at one period and area, with what a leader asks after the tile —
the series against its target, 同比, the districts, how it is computed and from what, where
the figure came from and when it was loaded.

Pure (no Streamlit): the page caches and lays this out. Every figure is a
`SnapshotBuilder.snapshot`, the one `cockpit show` prints, formatted the same way with the
indicator's own decimals, so the drill-down, the wall and the command line cannot disagree.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cockpit import i18n
from cockpit.i18n import Lang
from cockpit.key_figures import FIGURE_LABELS, KeyFigure, bracketed, key_figures
from cockpit.screen_model import DistrictView, build_district_view
from cockpit.tile_model import build_tile, change_unit, indicator_href
from indicators import formatting as fmt
from indicators.compute import headline_frame
from indicators.describe import (
    DIRECTION_ZH,
    FREQUENCY_ZH,
    GROWTH_ZH,
    KIND_ZH,
    NATURE_ZH,
    PRICE_ZH,
    method_zh,
    rule_zh,
    target_zh,
)
from indicators.model import AreaScope, Frequency, GrowthSource, Indicator, TargetBasis
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.snapshot import Snapshot, SnapshotBuilder
from indicators.store import LoadRun
from indicators.targets import Status, target_applies_to, target_path

# How far back the series reaches: three years of months, a quarter of a year of days;
# quarterly and yearly series are short enough to show whole.
SERIES_SPAN = {Frequency.month: 36, Frequency.day: 90}

RUN_STATUS_ZH = {"succeeded": "成功", "failed": "失败", "running": "进行中"}

# Words of the page's own rows (the UI's shared words are in cockpit.i18n; the key figures'
# in cockpit.key_figures).
LABELS: dict[str, tuple[str, str]] = {
    **FIGURE_LABELS,
    "run": (
        "#{id} {source} {status} · {finished} · 读{read} 写{written} 拒{rejected}",
        "#{id} {source} {status} · {finished} · read {read}, wrote {written}, rejected {rejected}",
    ),
    "kind": ("指标类型", "Kind"),
    "growth": ("同比口径", "Growth basis"),
    "target_path": ("序时目标", "Target to date"),
    "target_level": ("目标值", "Target"),
    "no_target": ("不设目标", "No target"),
    "figures": ("核心数据", "Key figures"),
    "about": ("口径与来源", "Definition and source"),
    "no_code": (
        "请从大屏上的指标进入，或在链接中给出 code 参数",
        "Open an indicator from a screen, or add code= to the link",
    ),
    "no_growth": ("该指标不计算同比、环比", "No change over time for this indicator"),
    "mom_bars": ("环比变化", "Period-on-period change"),
    "no_districts": ("仅全市统计，无分区数据", "Published for the whole city only"),
    "no_area_data": ("{area}暂无{name}数据", "No data for {name} in {area} yet"),
    "unknown_area": ("未知区域“{area}”（可选：{known}）", "Unknown area '{area}' (known: {known})"),
    "bad_period": ("无法识别的统计期“{period}”", "Unreadable period '{period}'"),
    "other_frequency": (
        "{name}按{frequency}统计：显示{period}末的最新一期",
        "{name} is {frequency} data: showing the latest period as of {period}",
    ),
    "unknown_code": ("未知指标编码“{code}”", "Unknown indicator code '{code}'"),
    "did_you_mean": ("，是否要找：", "; did you mean: "),
}
ROLES: dict[str, tuple[str, str]] = {
    "numerator": ("分子", "Numerator"),
    "denominator": ("分母", "Denominator"),
    "formula": ("公式项", "Formula input"),
    "input": ("累计自", "Accumulates"),
    "children": ("构成", "Component"),
    "supplied_growth": ("公布增速", "Published growth"),
}


def label(key: str, lang: Lang, **values: str) -> str:
    zh, en = LABELS[key]
    return (zh if lang == "zh" else en).format(**values)


class DetailError(ValueError):
    """A request the page answers with one line instead of a page: unknown area, unreadable
    period, no data for the area."""


@dataclass(frozen=True)
class SeriesPoint:
    period: str  # as stored: 2026-10
    label: str  # on the chart's axis: 26年10月, 2026Q3, 10-05
    value: float | None  # the headline: 累计 where the indicator is read so
    target: float | None  # 序时目标 for an annual total, the level otherwise
    yoy: float | None  # the headline's 同比, read from the published series when supplied
    mom: float | None  # 环比 of the period's value


@dataclass(frozen=True)
class ChildFigure:
    """An indicator this one is computed from (or whose published growth it shows)."""

    code: str
    name: str
    role: str  # 分子 / 分母 / 公式项 / 累计自 / 构成 / 公布增速
    figure: str  # 1-10月累计 921.26亿元, as its own tile says it
    status: Status
    href: str
    weight: float | None = None  # composites: the child's weight, 0–100 score and points
    score: float | None = None
    points: float | None = None

    @property
    def scoring(self) -> str:
        """分 × 权重 = 贡献分, as `cockpit show` prints a composite's parts."""
        if self.weight is None or self.score is None or self.points is None:
            return ""
        return f"{self.score:.1f}分 × {self.weight:g} = {self.points:.1f}分"


@dataclass(frozen=True)
class IndicatorDetail:
    """One indicator page: the snapshot and what is drawn around it, already worded in
    the page's language (a pickled value, cached per data version)."""

    snapshot: Snapshot
    lang: Lang
    name: str
    unit: str
    area_name: str
    period_label: str
    note: str  # why the period differs from the one asked for, or ""
    figures: tuple[KeyFigure, ...]
    series: tuple[SeriesPoint, ...]
    line_name: str  # what the series line is: the name, and 累计 where read so
    target_name: str  # what the target line is: 序时目标 or 目标值 ("" without a line)
    change_unit: str  # unit of the change bars: % or 个百分点 / pp
    bars: str  # which change the bars show: "yoy", "mom" where there is no 同比, or ""
    districts: DistrictView | None
    children: tuple[ChildFigure, ...]
    about: tuple[tuple[str, str], ...]  # (label, text): 口径, kind, method, target, rule …


# --- resolving the request ------------------------------------------------------------------
def unknown_code_message(catalog: Catalog, code: str, lang: Lang) -> str:
    """One line naming the code and the closest codes, with their names."""
    close = difflib.get_close_matches(code.upper(), catalog.indicators, n=3)
    text = label("unknown_code", lang, code=code)
    if close:
        names = [f"{c}（{i18n.indicator_name(catalog.get(c), lang)}）" for c in close]
        text += label("did_you_mean", lang) + "、".join(names)
    return text


def resolve_area(catalog: Catalog, area_text: str | None, lang: Lang) -> str:
    """The area's code; the city when none is asked for."""
    if not area_text:
        return catalog.deployment.city.code
    found = catalog.deployment.find(area_text)
    if found is None:
        known = "、".join(i18n.area_name(catalog, a.code, lang) for a in catalog.deployment.areas)
        raise DetailError(label("unknown_area", lang, area=area_text, known=known))
    return found.code


def resolve_period(
    builder: SnapshotBuilder,
    ind: Indicator,
    area: str,
    period_text: str | None,
    today: date,
    lang: Lang = "zh",
) -> tuple[Period | None, Period | None]:
    """(period, asked): the latest complete period with data by default, like `cockpit
    show`. A period of another frequency (the header's month selector on a quarterly
    indicator) means the latest period as of its end; `asked` is then that period."""
    if not period_text:
        return builder.latest_period(ind.code, area, today), None
    try:
        period = Period.parse(period_text)
    except PeriodError:
        raise DetailError(label("bad_period", lang, period=period_text)) from None
    if period.frequency is ind.frequency:
        return period, None
    return builder.latest_period(ind.code, area, period.end + timedelta(days=1)), period


# --- the parts ------------------------------------------------------------------------------
def series_periods(
    builder: SnapshotBuilder, ind: Indicator, area: str, last: Period
) -> list[Period]:
    """The periods the series chart shows, ending at `last`: a fixed span for months and
    days, everything stored for quarters and years. A 1–2月 merged release has no January."""
    span = SERIES_SPAN.get(ind.frequency)
    if span is None:
        first = first_period(builder, ind, area) or last
        span = max(int(last - first) + 1, 1)  # type: ignore[operator]
    periods = [last + offset for offset in range(1 - span, 1)]
    return [p for p in periods if not (ind.merged_jan_feb and p.is_january)]


def first_period(builder: SnapshotBuilder, ind: Indicator, area: str) -> Period | None:
    """The earliest period with a headline figure for `area`."""
    frame = headline_frame(ind, builder.calculator.series(ind.code))
    if area not in frame.columns:
        return None
    present = frame.index[frame[area].notna().to_numpy()]
    return Period.from_pandas(present.min()) if len(present) else None


def series(
    builder: SnapshotBuilder, ind: Indicator, area: str, last: Period, lang: Lang = "zh"
) -> tuple[SeriesPoint, ...]:
    """The headline and its 同比 over time. Each point is a snapshot, so its value and
    同比 are the ones `cockpit show` gives for that period (a supplied 同比 is read from
    the published series, never recomputed)."""
    judged_here = target_applies_to(ind, area, builder.catalog.deployment.city.code)
    points = []
    for period in series_periods(builder, ind, area, last):
        s = builder.snapshot(ind.code, period, area)
        points.append(
            SeriesPoint(
                period=period.label,
                label=axis_label(period, lang),
                value=s.headline,
                target=target_path(ind, period) if judged_here else None,
                yoy=s.headline_yoy,
                mom=s.mom,
            )
        )
    return tuple(points)


def districts_at(
    builder: SnapshotBuilder, ind: Indicator, period: Period, lang: Lang
) -> DistrictView | None:
    """Every district at `period`, ranked (晾晒); None for a city-only indicator or when
    the city has no figure then (the wall's district view is anchored on the city)."""
    if ind.areas is AreaScope.city:
        return None
    day = period.end + timedelta(days=1)  # the day on which `period` is the latest
    if builder.latest_period(ind.code, builder.catalog.deployment.city.code, day) != period:
        return None
    return build_district_view(builder, ind.code, day, lang)


def children(s: Snapshot, builder: SnapshotBuilder, lang: Lang) -> tuple[ChildFigure, ...]:
    """What the figure is computed from (分子/分母, formula inputs, the accumulated series,
    a composite's parts with their points) and the published growth series it shows."""
    ind, area = s.indicator, s.area
    parts = {c.code: c for c in s.contributions}
    result = []
    seen: set[tuple[str, str]] = set()
    for role, code in ind.references():
        if (role, code) in seen:
            continue
        seen.add((role, code))
        child = builder.catalog.get(code)
        period = _child_period(builder, child, area, s.period)
        snap = builder.snapshot(code, period, area) if period else None
        tile = build_tile(snap, None, lang) if snap else None
        figure = f"{tile.figure_label} {tile.value}{tile.unit}" if tile else fmt.MISSING
        part = parts.get(code) if role == "children" else None
        result.append(
            ChildFigure(
                code=code,
                name=i18n.indicator_name(child, lang),
                role=ROLES[role][0] if lang == "zh" else ROLES[role][1],
                figure=figure,
                status=snap.judgement.status if snap else Status.unknown,
                href=indicator_href(code, area, period, lang),
                weight=part.weight if part else None,
                score=part.score if part else None,
                points=part.contribution if part else None,
            )
        )
    return tuple(result)


def _child_period(
    builder: SnapshotBuilder, child: Indicator, area: str, period: Period
) -> Period | None:
    """The child's figure at the parent's period, or its latest as of then if the child
    is published at another frequency."""
    if child.frequency is period.frequency:
        return period
    return builder.latest_period(child.code, area, period.end + timedelta(days=1))


def about(ind: Indicator, lang: Lang, shown: Catalog) -> tuple[tuple[str, str], ...]:
    """口径 and how the figure is made. Definitions, methods and rules stay in Chinese:
    the catalog states them once, in Chinese (one name, one 口径)."""
    if lang == "zh":
        parts = [KIND_ZH[ind.kind], NATURE_ZH[ind.nature], f"{FREQUENCY_ZH[ind.frequency]}度"]
        parts += [DIRECTION_ZH[ind.direction], PRICE_ZH[ind.price_basis]]
        growth = GROWTH_ZH[ind.growth]
    else:
        parts = [ind.kind.value, ind.nature.value, ind.frequency.value, ind.direction.value]
        parts.append("" if ind.price_basis.value == "n/a" else ind.price_basis.value)
        growth = ind.growth.value
    if ind.supplied_growth:
        published = [c for c in (ind.supplied_growth.yoy, ind.supplied_growth.ytd_yoy) if c]
        growth += f"：{'、'.join(published)}"
    return (
        (i18n.text("definition", lang), ind.definition.strip()),
        (label("kind", lang), " · ".join(p for p in parts if p)),
        (i18n.text("method", lang), method_zh(ind, shown)),
        (label("target", lang), target_zh(ind) or label("no_target", lang)),
        (i18n.text("rule", lang), rule_zh(ind)),
        (label("growth", lang), growth),
    )


def run_text(run: LoadRun, lang: Lang) -> str:
    """One load run behind the figure, as an operator reads it in `cockpit runs`."""
    status = RUN_STATUS_ZH.get(run.status, run.status) if lang == "zh" else run.status
    return label(
        "run",
        lang,
        id=str(run.id),
        source=run.source,
        status=status,
        finished=i18n.local_time(run.finished_at, lang),
        read=str(run.rows_read),
        written=str(run.rows_written),
        rejected=str(run.rows_rejected),
    )


# --- the whole page -------------------------------------------------------------------------
def build_detail(
    builder: SnapshotBuilder,
    code: str,
    area_text: str | None,
    period_text: str | None,
    today: date,
    lang: Lang = "zh",
    visible: frozenset[str] | None = None,
) -> IndicatorDetail:
    """Everything the indicator page shows (inputs outside `visible`, the reader's
    clearance, unnamed). `builder` must hold the full history of the
    indicator's required codes (`indicators.snapshot.required_codes`). Raises
    UnknownIndicatorError for an unknown code and DetailError with a one-line reason."""
    catalog = builder.catalog
    ind = catalog.get(code)
    area = resolve_area(catalog, area_text, lang)
    period, asked = resolve_period(builder, ind, area, period_text, today, lang)
    name = i18n.indicator_name(ind, lang)
    area_name = i18n.area_name(catalog, area, lang)
    if period is None:
        city_only = ind.areas is AreaScope.city and area != catalog.deployment.city.code
        reason = label("no_districts", lang) if city_only else ""
        raise DetailError(reason or label("no_area_data", lang, area=area_name, name=name))
    s = builder.snapshot(ind.code, period, area)
    points = series(builder, ind, area, period, lang)
    note = ""
    if asked is not None:
        frequency = FREQUENCY_ZH[ind.frequency] if lang == "zh" else ind.frequency.value
        note = label(
            "other_frequency",
            lang,
            name=name,
            frequency=frequency,
            period=i18n.period_label(asked, lang),
        )
    return IndicatorDetail(
        snapshot=s,
        lang=lang,
        name=name,
        unit=i18n.unit(ind.unit, lang).strip(),
        area_name=area_name,
        period_label=i18n.period_label(period, lang),
        note=note,
        figures=key_figures(s, lang),
        series=points,
        line_name=bracketed(name, label("ytd", lang), lang) if s.uses_ytd else name,
        target_name=_target_name(ind, area, catalog, lang),
        change_unit=change_unit(s, lang),
        bars=_bars(ind, points),
        districts=districts_at(builder, ind, period, lang),
        children=children(s, builder, lang),
        about=about(ind, lang, catalog if visible is None else catalog.only(visible)),
    )


def axis_label(period: Period, lang: Lang) -> str:
    """A period as a chart axis says it: short for months and days, which crowd."""
    if period.frequency is Frequency.month:
        return f"{period.year % 100:02d}年{period.index}月" if lang == "zh" else period.label
    if period.frequency is Frequency.day:
        return f"{period.start:%m-%d}"
    return period.label  # 2026Q3, 2026


def _bars(ind: Indicator, points: Sequence[SeriesPoint]) -> str:
    """同比 where the indicator has one; else 环比 (an index or a published rate still
    moves month to month); nothing where neither has a value."""
    for field in ("yoy", "mom") if ind.growth is not GrowthSource.none else ("mom",):
        if any(getattr(point, field) is not None for point in points):
            return field
    return ""


def _target_name(ind: Indicator, area: str, catalog: Catalog, lang: Lang) -> str:
    if ind.target is None or not target_applies_to(ind, area, catalog.deployment.city.code):
        return ""
    schedule = ind.target.basis is TargetBasis.annual_total
    return label("target_path" if schedule else "target_level", lang)
