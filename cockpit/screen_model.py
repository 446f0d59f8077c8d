"""Everything one big screen shows, computed once from a snapshot builder: tile rows,
今日关注, and the district figures behind the map and the ranking (晾晒).

Pure (no Streamlit): the pages cache these and lay them out; the benchmarks time them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from cockpit import i18n
from cockpit.i18n import Lang
from cockpit.tile_model import (
    Tile,
    area_freshness,
    build_tile,
    figure_label,
    indicator_href,
    progress_of,
    target_text,
)
from indicators import formatting as fmt
from indicators.attention import AttentionItem, Concern, attention_list
from indicators.freshness import Freshness, IndicatorFreshness
from indicators.model import AreaScope, Domain
from indicators.periods import Period
from indicators.ranking import Ranked
from indicators.registry import Catalog
from indicators.screens import OVERVIEW, Screen
from indicators.snapshot import Snapshot, SnapshotBuilder
from indicators.store import MetricStore
from indicators.targets import Status

ATTENTION_SHOWN = 9  # what fits under the map at 1920×1080


@dataclass(frozen=True)
class EmptyTile:
    """An indicator with no figure for this area and period, and why."""

    code: str
    name: str
    reason: str
    href: str


@dataclass(frozen=True)
class TileRow:
    title: str
    tiles: tuple[Tile | EmptyTile, ...]


@dataclass(frozen=True)
class AttentionEntry:
    code: str
    name: str
    concern: Concern
    label: str  # 落后 / 预警 / 走弱 / 数据逾期
    figure: str  # 1-10月累计 1,234.5亿元
    detail: str  # 完成 76.2% · 序时 83.3%, or 同比 -6.1%
    href: str


@dataclass(frozen=True)
class ScreenView:
    rows: tuple[TileRow, ...]
    attention: tuple[AttentionEntry, ...]
    attention_total: int


@dataclass(frozen=True)
class DistrictFigure:
    area: str
    name: str
    value: float | None
    text: str
    rank: int | None
    status: Status


@dataclass(frozen=True)
class DistrictView:
    """One indicator across the districts at one period: the map and the ranking."""

    code: str
    name: str
    unit: str
    figure_label: str  # 1-10月累计 / 2026年10月: what the districts' figures are
    figures: tuple[DistrictFigure, ...]  # ranked, best first; districts without data last


def as_of_today(month: Period | None, today: date) -> date:
    """The day whose latest complete periods a screen shows: today for the live view, the
    day after the chosen month for a look back (so that month is the latest complete)."""
    if month is None:
        return today
    return month.end + timedelta(days=1)


def screen_values(store: MetricStore, catalog: Catalog, since: str) -> pd.DataFrame:
    """The rows the screens read: the city and its districts since `since`, not the
    sub-areas (街道) a site may also load, which no screen shows."""
    return store.values(areas=[area.code for area in catalog.deployment.areas], since=since)


def row_title(catalog: Catalog, screen: Screen, key: str, lang: Lang) -> str:
    if screen.key == OVERVIEW:
        return i18n.domain_name(Domain(key), lang)
    return i18n.topic_name(catalog.topics[(Domain(screen.key), key)], lang)


def screen_snapshots(
    builder: SnapshotBuilder, codes: list[str], area: str, today: date
) -> dict[str, Snapshot]:
    """Each code's snapshot at its latest complete period with data for `area`."""
    found = {}
    for code in codes:
        period = builder.latest_period(code, area, today)
        if period is not None:
            found[code] = builder.snapshot(code, period, area)
    return found


def previous_snapshots(
    builder: SnapshotBuilder, current: Mapping[str, Snapshot]
) -> dict[str, Snapshot]:
    """The period before each snapshot's, for telling whether a status fell (a merged
    1–2月 series has no January: its status is unknown there and nothing "fell")."""
    return {
        code: builder.snapshot(code, s.period.previous(), s.area) for code, s in current.items()
    }


def build_screen(
    builder: SnapshotBuilder,
    screen: Screen,
    area: str,
    today: date,
    freshness: Mapping[str, IndicatorFreshness] | None,
    lang: Lang = "zh",
    visible: frozenset[str] | None = None,
) -> ScreenView:
    """The screen for `area` as of `today`. `freshness` is given for the live view only:
    a look back has no "late" to speak of. Indicators outside `visible` (the viewer's
    clearance; None: all) are absent: no tile, no 今日关注 entry."""
    catalog = builder.catalog
    in_scope = [
        ind.code
        for ind in catalog
        if (screen.domain is None or ind.domain is screen.domain)
        and (visible is None or ind.code in visible)
    ]
    snapshots = screen_snapshots(builder, in_scope, area, today)
    if freshness is not None:  # the city's clocks, then each district figure's own lag
        freshness = {
            **freshness,
            **{
                code: own
                for code, s in snapshots.items()
                if (own := area_freshness(freshness.get(code), s)) is not None
            },
        }
    rows = tuple(
        TileRow(
            row_title(catalog, screen, row.key, lang),
            tuple(
                _tile(catalog, code, snapshots.get(code), area, freshness, lang, screen.key)
                for code in shown
            ),
        )
        for row in screen.rows
        if (shown := [c for c in row.codes if visible is None or c in visible])
    )
    # Every indicator in scope: untargeted ones can still worsen or be overdue.
    items = attention_list(snapshots.values(), previous_snapshots(builder, snapshots), freshness)
    entries = tuple(_attention_entry(item, lang, screen.key) for item in items[:ATTENTION_SHOWN])
    return ScreenView(rows, entries, len(items))


def _tile(
    catalog: Catalog,
    code: str,
    snapshot: Snapshot | None,
    area: str,
    freshness: Mapping[str, IndicatorFreshness] | None,
    lang: Lang,
    origin: str,
) -> Tile | EmptyTile:
    ind = catalog.get(code)
    fresh = (freshness or {}).get(code)
    if snapshot is None:
        # Why there is nothing: published for the city only, or a source never connected
        # or failing, or simply no value yet.
        if ind.areas is AreaScope.city and area != catalog.deployment.city.code:
            reason = i18n.text("city_only", lang)
        elif fresh is not None and fresh.status in (Freshness.never, Freshness.failed):
            reason = i18n.text(fresh.status.value, lang)
        else:
            reason = i18n.text("no_data", lang)
        return EmptyTile(
            code,
            i18n.indicator_name(ind, lang),
            reason,
            indicator_href(code, area, None, lang, origin),
        )
    return build_tile(snapshot, fresh, lang, origin)


CONCERN_TEXT = {
    Concern.red: "concern_red",
    Concern.amber: "concern_amber",
    Concern.worsening: "concern_worsening",
    Concern.late_data: "concern_late_data",
}


def _attention_entry(item: AttentionItem, lang: Lang, origin: str) -> AttentionEntry:
    s = item.snapshot
    ind = s.indicator
    tile = build_tile(s, item.freshness, lang, origin)
    progress = progress_of(s, lang)
    detail = progress.text if progress else target_text(s, lang)
    if item.concern is Concern.worsening:
        changes = " · ".join(f"{c.label} {c.text}" for c in tile.changes)
        detail = changes or detail
        if item.status_fell:
            detail = (
                f"{i18n.text('status_fell', lang)} · {detail}"
                if detail
                else i18n.text("status_fell", lang)
            )
    if item.concern is Concern.late_data:
        detail = tile.freshness_note
    return AttentionEntry(
        code=ind.code,
        name=i18n.indicator_name(ind, lang),
        concern=item.concern,
        label=i18n.text(CONCERN_TEXT[item.concern], lang),
        figure=f"{tile.figure_label} {tile.value}{tile.unit}",
        detail=detail,
        href=tile.href,
    )


def build_district_view(
    builder: SnapshotBuilder, code: str, today: date, lang: Lang = "zh"
) -> DistrictView | None:
    """`code` in every district at the city's latest complete period; None without data."""
    catalog = builder.catalog
    ind = catalog.get(code)
    period = builder.latest_period(code, catalog.deployment.city.code, today)
    if period is None:
        return None
    ranked: list[Ranked] = builder.ranking(code, period)
    figures = []
    for entry in ranked:
        status = builder.snapshot(code, period, entry.area).judgement.status
        figures.append(
            DistrictFigure(
                area=entry.area,
                name=i18n.area_name(catalog, entry.area, lang),
                value=entry.value,
                text=fmt.number(entry.value, ind.decimals),
                rank=entry.rank,
                status=status,
            )
        )
    return DistrictView(
        code=code,
        name=i18n.indicator_name(ind, lang),
        unit=i18n.unit(ind.unit, lang),
        figure_label=figure_label(
            builder.snapshot(code, period, catalog.deployment.city.code), lang
        ),
        figures=tuple(figures),
    )
