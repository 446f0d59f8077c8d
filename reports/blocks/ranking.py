"""分区域排名 (晾晒): the districts ranked best first on the indicator's headline figure for
the briefing's period (the city's), with 同比 and status as each district's snapshot states
them."""

from __future__ import annotations

from dataclasses import dataclass

from indicators import formatting as fmt
from indicators.ranking import Ranked
from indicators.snapshot import Snapshot
from reports.blocks import DistrictIndicator, register
from reports.blocks.html import figure, growth, paragraph, status, table
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import area_name, window

HEADS = ["名次", "区域", "数值", "同比", "状态"]


@dataclass(frozen=True)
class DistrictRow:
    ranked: Ranked
    name: str
    snapshot: Snapshot


def district_rows(ctx: BriefingContext, city: Snapshot) -> list[DistrictRow]:
    """Every district at the city snapshot's period, best first, those without a value
    last (builder.ranking's order)."""
    names = {d.code: d.name_zh for d in ctx.catalog.deployment.districts}
    code = city.indicator.code
    rows = [
        DistrictRow(r, names[r.area], ctx.builder.snapshot(code, city.period, r.area))
        for r in ctx.builder.ranking(code, city.period)
    ]
    for row in rows:  # the briefing records the load runs behind every figure it shows
        ctx.runs.update(row.snapshot.provenance.load_runs)
    return rows


@dataclass(frozen=True)
class Districts:
    """What a block comparing the districts draws on: its title, the city's figure, and
    every district's row."""

    title: str
    city: Snapshot
    rows: list[DistrictRow]


def districts_or_note(
    ctx: BriefingContext, params: DistrictIndicator, anchor: str, what: str
) -> Districts | Section:
    """The districts for a block titled by default 「<indicator>分区域<what>」, or the section
    saying why there are none (no data, or an area without districts)."""
    ind = ctx.catalog.get(params.code)
    title = params.title or f"{ind.name_zh}分区域{what}"
    city = ctx.snapshot(params.code)
    if city is None:
        return Section(anchor, title, paragraph(f"{ind.name_zh}暂无数据。"))
    rows = district_rows(ctx, city)
    if not rows:
        place = area_name(ctx.catalog, ctx.area)
        return Section(anchor, title, paragraph(f"{place}未设区县，无分区域{what}。"))
    return Districts(title, city, rows)


@register("ranking", "分区域排名", DistrictIndicator)
def build(ctx: BriefingContext, params: DistrictIndicator, anchor: str) -> Section:
    found = districts_or_note(ctx, params, anchor, "排名")
    if isinstance(found, Section):
        return found
    ind, title, city, rows = found.city.indicator, found.title, found.city, found.rows
    stale = ctx.is_stale(params.code)
    cells = [
        [
            fmt.MISSING if row.ranked.rank is None else str(row.ranked.rank),
            row.name,
            fmt.MISSING if row.snapshot.headline is None else figure(row.snapshot),
            growth(row.snapshot),
            status(row.snapshot, stale),
        ]
        for row in rows
    ]
    note = paragraph(f"统计期：{window(city, with_year=True)}；按{ind.name_zh}由好到差排列。")
    return Section(anchor, title, note + table(HEADS, cells, "ranking", numeric=(2, 3)))
