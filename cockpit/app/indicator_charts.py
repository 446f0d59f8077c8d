"""Altair charts of the indicator page: the series against its target and the 同比 bars.

Pure builders (tested as Vega-Lite specs): the data travels inline in the spec and
Streamlit bundles Vega, so nothing is fetched. Colours and the font follow the wall's
palette; the tooltip shows values formatted as the key figures are, with the indicator's
decimals. The district breakdown reuses the wall's map and ranking (cockpit.app.charts).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from cockpit.app import palette
from cockpit.indicator_model import IndicatorDetail, SeriesPoint
from indicators import formatting as fmt
from indicators.periods import Period
from indicators.reading import Tone, tone_of

FONT = "Noto Sans CJK SC"
GRID = "rgba(138,160,192,0.18)"
SERIES_COLOURS = (palette.ACCENT, palette.RAG_AMBER)  # the figure, the target
AREA_FILL = alt.Gradient(
    gradient="linear",
    stops=[
        alt.GradientStop(color="rgba(59,161,255,0.45)", offset=0),
        alt.GradientStop(color="rgba(59,161,255,0.02)", offset=1),
    ],
    x1=1,
    x2=1,
    y1=0,
    y2=1,
)
TONE_COLOURS = {Tone.good: palette.GOOD, Tone.bad: palette.BAD, Tone.neutral: palette.MUTED}


def themed(chart: alt.TopLevelMixin, height: int) -> alt.TopLevelMixin:
    """The wall's look: transparent on the dark panel, muted axes, CJK font."""
    return (
        chart.properties(width="container", height=height, background="transparent")
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=palette.MUTED,
            titleColor=palette.MUTED,
            domainColor=palette.PANEL_BORDER,
            tickColor=palette.PANEL_BORDER,
            gridColor=GRID,
            labelFontSize=12,
            titleFontSize=12,
            labelFont=FONT,
            titleFont=FONT,
        )
    )


def series_frame(detail: IndicatorDetail) -> pd.DataFrame:
    """One row per period and line (the figure, the target), with formatted texts."""
    decimals = detail.snapshot.indicator.decimals
    rows = []
    for order, point in enumerate(detail.series):
        lines = [(detail.line_name, point.value)]
        if detail.target_name:
            lines.append((detail.target_name, point.target))
        for name, value in lines:
            rows.append(
                {
                    "order": order,
                    "period": point.label,
                    "year": Period.parse(point.period).year,
                    "line": name,
                    "value": value,
                    "text": f"{fmt.number(value, decimals)} {detail.unit}".strip(),
                }
            )
    return pd.DataFrame(rows, columns=["order", "period", "year", "line", "value", "text"])


def series_chart(detail: IndicatorDetail, height: int = 300) -> alt.TopLevelMixin:
    """The headline over time and the dashed target line: 序时目标 for an annual total,
    which the 累计 should stay on or above. A 累计 is an amount from zero that starts
    again each January: an area drawn a year at a time. A level or rate is a line on an
    axis fitted to its range, so a move of a point is visible."""
    frame = series_frame(detail)
    amount = detail.snapshot.uses_ytd
    by_year = {"detail": "year:N"} if amount else {}
    names = list(dict.fromkeys(frame["line"]))
    x = period_axis(detail.series)
    y = alt.Y(
        "value:Q",
        title=None,
        stack=None,  # a stacked area would fill each year's gap down to zero
        scale=alt.Scale(zero=amount, nice=True),
        axis=alt.Axis(tickCount=5, labelOverlap=True),
    )
    colour = alt.Color(
        "line:N",
        scale=alt.Scale(domain=names, range=list(SERIES_COLOURS[: len(names)])),
        legend=None,  # the panel title carries the legend, in the page's own type
    )
    dash = alt.StrokeDash(
        "line:N", scale=alt.Scale(domain=names, range=[[1, 0], [6, 4]]), legend=None
    )
    tooltip = [alt.Tooltip("period:N", title=""), alt.Tooltip("line:N", title=""), "text:N"]
    base = alt.Chart(frame).encode(x=x)
    figure = base.transform_filter(alt.datum.line == names[0])
    layers = [
        base.mark_line(strokeWidth=2.2).encode(y=y, color=colour, strokeDash=dash, **by_year),
        base.mark_circle(size=36, opacity=0.9).encode(y=y, color=colour, tooltip=tooltip),
        figure.transform_filter(alt.datum.order == int(frame["order"].max() or 0))
        .mark_text(align="right", dy=-14, color=palette.TEXT, fontSize=14, fontWeight="bold")
        .encode(y=y, text="text:N"),
    ]
    if amount:
        layers.insert(0, figure.mark_area(color=AREA_FILL).encode(y=y, **by_year))
    return themed(alt.layer(*layers), height)


def change_frame(detail: IndicatorDetail) -> pd.DataFrame:
    """One bar per period with a change (`detail.bars`: 同比, or 环比 without one), its
    tone read with the indicator's direction."""
    direction = detail.snapshot.indicator.direction
    values = [(point.label, getattr(point, detail.bars)) for point in detail.series]
    rows = [
        {
            "period": period,
            "change": value,
            "tone": tone_of(value, direction).value,
            "text": fmt.change(value, detail.change_unit),
        }
        for period, value in values
        if value is not None
    ]
    return pd.DataFrame(rows, columns=["period", "change", "tone", "text"])


def change_chart(detail: IndicatorDetail, height: int = 260) -> alt.TopLevelMixin:
    """同比 (or 环比) of the headline per period: green where it moves the good way for
    the indicator's direction, red the bad way (a falling PM2.5 is green)."""
    frame = change_frame(detail)
    x = period_axis(detail.series)
    y = alt.Y("change:Q", title=detail.change_unit, axis=alt.Axis(tickCount=5))
    tones = [tone.value for tone in TONE_COLOURS]
    bars = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2, width={"band": 0.7})
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "tone:N",
                scale=alt.Scale(domain=tones, range=list(TONE_COLOURS.values())),
                legend=None,
            ),
            tooltip=[alt.Tooltip("period:N", title=""), alt.Tooltip("text:N", title="")],
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=palette.MUTED).encode(y="y:Q")
    return themed(alt.layer(bars, zero), height)


def period_axis(points: Sequence[SeriesPoint]) -> alt.X:
    """Periods left to right in time order (not alphabetical), labels thinned to fit."""
    return alt.X(
        "period:N",
        sort=[p.label for p in points],
        title=None,
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelPadding=6),
    )
