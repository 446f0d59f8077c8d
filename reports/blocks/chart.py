"""图表: one indicator drawn for print — its last twelve periods against the target path
(trend), its 同比 per period (yoy), or the districts compared (districts) — as an SVG image
inside a <figure> with a caption saying what is drawn and for when."""

from __future__ import annotations

from html import escape
from typing import Literal

from indicators.periods import Period
from indicators.reading import covers_ytd
from indicators.registry import Catalog
from indicators.snapshot import Snapshot
from reports import charts
from reports.blocks import OneIndicator, Problem, by_district, register
from reports.blocks.html import paragraph
from reports.blocks.ranking import district_rows
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import area_name, window

ChartKind = Literal["trend", "yoy", "districts"]
TITLES = {"trend": "走势", "yoy": "同比增速", "districts": "分区域比较"}


class ChartParams(OneIndicator):
    kind: ChartKind = "trend"

    def check(self, catalog: Catalog) -> Problem | None:
        problem = super().check(catalog)
        if problem is None and self.kind == "districts":
            return by_district(catalog, self.code)
        return problem


def figure_html(uri: str, caption: str) -> str:
    """The image (a data: URI, the only scheme the PDF fetches) and its escaped caption."""
    return (
        f'<figure class="chart"><img src="{escape(uri)}" alt="{escape(caption)}" '
        f'style="width:100%"><figcaption>{escape(caption)}</figcaption></figure>'
    )


def trend(ctx: BriefingContext, s: Snapshot) -> tuple[str, str] | None:
    frame = charts.trend_frame(s, ctx.catalog.deployment.city.code)
    if frame["value"].isna().all():
        return None
    ctx.record_runs(s.indicator.code, (Period.parse(label) for label, _ in s.sparkline))
    lines = "与".join(dict.fromkeys(frame["line"]))
    caption = f"近{len(s.sparkline)}期{lines}（{s.indicator.unit}）"
    return charts.svg_data_uri(charts.trend_chart(frame, s.indicator.unit)), caption


def yoy(ctx: BriefingContext, s: Snapshot) -> tuple[str, str] | None:
    history = [
        ctx.builder.snapshot(s.indicator.code, Period.parse(label), s.area)
        for label, _ in s.sparkline
    ]
    for past in history:
        ctx.runs.update(past.provenance.load_runs)
    frame = charts.yoy_frame(history)
    if frame.empty:
        return None
    which = "累计同比" if covers_ytd(s) else "同比"
    caption = f"近{len(history)}期{which}（{s.change_unit}；绿色向好，红色向差）"
    return charts.svg_data_uri(charts.yoy_chart(frame, s.change_unit)), caption


def districts(ctx: BriefingContext, s: Snapshot) -> tuple[str, str] | None:
    rows = district_rows(ctx, s)
    bars = [
        charts.DistrictBar(row.name, row.ranked.value, row.snapshot.judgement.status)
        for row in rows
    ]
    frame = charts.district_frame(bars, s.indicator.decimals)
    if frame.empty:
        return None
    missing = [bar.name for bar in bars if bar.value is None]
    caption = f"各区域{s.indicator.name_zh}（{s.indicator.unit}），由好到差排列"
    if missing:
        caption += f"；无数据：{'、'.join(missing)}"
    return charts.svg_data_uri(charts.districts_chart(frame, s.indicator.unit)), caption


DRAW = {"trend": trend, "yoy": yoy, "districts": districts}


@register("chart", "图表", ChartParams)
def build(ctx: BriefingContext, params: ChartParams, anchor: str) -> Section:
    ind = ctx.catalog.get(params.code)
    title = params.title or f"{ind.name_zh}{TITLES[params.kind]}"
    s = ctx.snapshot(params.code)
    drawn = None if s is None else DRAW[params.kind](ctx, s)
    if s is None or drawn is None:
        return Section(anchor, title, paragraph(f"{ind.name_zh}暂无可绘制的数据。"))
    uri, caption = drawn
    if params.kind == "districts":  # one period's figures: its window, as the ranking says it
        caption = f"图：{caption}，{window(s, with_year=True)}"
    else:  # a series up to the period, of the briefing's area
        caption = f"图：{area_name(ctx.catalog, ctx.area)}，{caption}，截至{s.period.label_zh()}"
    return Section(anchor, title, figure_html(uri, caption))
