"""Altair charts for the printed briefing: the trend against the target path, 同比 bars and
the districts compared. White paper, black and grey axes, "Noto Sans CJK SC" named in the
chart itself (an SVG image does not inherit the page's lang, practice.md 2.2), sized for the
A4 text width so that 9 pt on paper is 9 pt in the chart.

Builders are pure: data frames from snapshots, then Vega-Lite specs with the data inline.
`svg_data_uri` renders through vl-convert with no base URL allowed, so nothing is fetched.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from xml.etree import ElementTree

import altair as alt
import pandas as pd
import vl_convert

from indicators import formatting as fmt
from indicators.model import Frequency, TargetBasis
from indicators.periods import Period
from indicators.reading import Tone, change_decimals, tone_of
from indicators.snapshot import Snapshot
from indicators.targets import STATUS_ZH, Status, target_applies_to, target_path

FONT = "Noto Sans CJK SC"
PX_PER_PT = 4 / 3  # a CSS pixel is 0.75 pt; an SVG user unit is a CSS pixel
PX_PER_MM = 96 / 25.4
WIDTH_MM = 156  # the A4 text block: 210 mm less the 28 mm and 26 mm side margins
INK = "#1a1a1a"
GREY = "#6b6b6b"
RULE = "#d9d9d9"
GOOD = "#2e7d32"
BAD = "#c62828"
NEUTRAL = "#9e9e9e"
STATUS_COLOURS = {
    Status.green: GOOD,
    Status.amber: "#e08a00",
    Status.red: BAD,
    Status.none: NEUTRAL,
    Status.unknown: NEUTRAL,
}
FIGURE = "本期数值"


def pt(points: float) -> float:
    """A size on paper in points, as SVG user units."""
    return round(points * PX_PER_PT, 2)


WIDTH = round(WIDTH_MM * PX_PER_MM)  # the whole chart, axes and labels included
HEIGHT = pt(150)


def axis_label(period: Period) -> str:
    """26年3月 for a month (twelve of them share the width), 2026Q3 or 2026 otherwise."""
    if period.frequency is Frequency.month:
        return f"{period.year % 100:02d}年{period.index}月"
    return period.label


def line_names(s: Snapshot) -> tuple[str, str]:
    """What the two lines are: the figure (累计 or 本期) and the target (序时目标 or 目标值)."""
    figure = "累计值" if s.uses_ytd else FIGURE
    basis = s.indicator.target.basis if s.indicator.target else None
    return figure, "序时目标" if basis is TargetBasis.annual_total else "目标值"


def trend_frame(s: Snapshot, city: str) -> pd.DataFrame:
    """One row per sparkline period and line: the headline, and the target path where the
    area is judged against one (a district is not held to the city's amount)."""
    figure, target_name = line_names(s)
    judged = target_applies_to(s.indicator, s.area, city)
    rows = []
    for order, (label, value) in enumerate(s.sparkline):
        period = Period.parse(label)
        lines = [(figure, value)]
        if judged:
            lines.append((target_name, target_path(s.indicator, period)))
        for line, v in lines:
            row = {"order": order, "period": axis_label(period), "year": period.year}
            rows.append({**row, "line": line, "value": v})
    frame = pd.DataFrame(rows, columns=["order", "period", "year", "line", "value"])
    if frame[frame["line"] != figure]["value"].isna().all():
        frame = frame[frame["line"] == figure]  # no target in any of the periods: no line
    return frame.reset_index(drop=True)


def yoy_frame(history: Sequence[Snapshot]) -> pd.DataFrame:
    """One bar per period with a 同比 (of the headline: 累计同比 for a 累计)."""
    rows = [_yoy_row(s) for s in history if s.headline_yoy is not None]
    return pd.DataFrame(rows, columns=["period", "change", "tone", "text"])


def _yoy_row(s: Snapshot) -> dict[str, object]:
    """A bar labelled and coloured at the decimals the tables print the 同比 with."""
    decimals = change_decimals(s.indicator)
    return {
        "period": axis_label(s.period),
        "change": s.headline_yoy,
        "tone": tone_of(s.headline_yoy, s.indicator.direction, decimals).value,
        "text": fmt.change(s.headline_yoy, s.change_unit, decimals),
    }


@dataclass(frozen=True)
class DistrictBar:
    name: str
    value: float | None
    status: Status


def district_frame(bars: Sequence[DistrictBar], decimals: int) -> pd.DataFrame:
    """One bar per district with a value, in the given order (best first)."""
    rows = [
        {
            "order": order,
            "district": bar.name,
            "value": bar.value,
            "status": STATUS_ZH[bar.status],
            "text": fmt.number(bar.value, decimals),
        }
        for order, bar in enumerate(bars)
        if bar.value is not None
    ]
    return pd.DataFrame(rows, columns=["order", "district", "value", "status", "text"])


def printed(chart: alt.TopLevelMixin, height: float = HEIGHT) -> alt.TopLevelMixin:
    """The paper look: white, black labels, grey rules, the CJK font everywhere, the whole
    chart (labels included) exactly the text width."""
    return (
        chart.properties(
            width=WIDTH,
            height=height,
            background="white",
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
            padding=pt(4),
        )
        .configure(font=FONT)
        .configure_view(stroke=None)
        .configure_axis(
            labelColor=INK,
            titleColor=INK,
            domainColor=GREY,
            tickColor=GREY,
            gridColor=RULE,
            labelFontSize=pt(8),
            titleFontSize=pt(8.5),
            labelFont=FONT,
            titleFont=FONT,
        )
        .configure_legend(
            labelFont=FONT,
            titleFont=FONT,
            labelFontSize=pt(8),
            labelColor=INK,
            orient="top",
            title=None,
        )
        .configure_text(font=FONT, fontSize=pt(8), color=INK)
    )


def period_axis(order: Sequence[str]) -> alt.X:
    return alt.X(
        "period:N",
        sort=list(order),
        title=None,
        axis=alt.Axis(labelAngle=0, labelOverlap="greedy", labelPadding=pt(3), labelFontSize=pt(7)),
    )


def trend_chart(frame: pd.DataFrame, unit: str) -> alt.TopLevelMixin:
    """The headline as a black line with points; the target path dashed grey. Each year is
    its own stretch of line, since a 累计 starts again every January."""
    names = list(dict.fromkeys(frame["line"]))
    colours = [INK, GREY][: len(names)]
    order = list(dict.fromkeys(frame["period"]))
    x = period_axis(order)
    y = alt.Y(
        "value:Q",
        title=unit,
        scale=alt.Scale(zero=False, nice=True),
        axis=alt.Axis(tickCount=5, titleAngle=0, titleAlign="left", titleY=-pt(8)),
    )
    colour = alt.Color("line:N", scale=alt.Scale(domain=names, range=colours))
    dash = alt.StrokeDash(
        "line:N", scale=alt.Scale(domain=names, range=[[1, 0], [5, 3]]), legend=None
    )
    base = alt.Chart(frame).encode(x=x, y=y)
    layers = [
        base.mark_line(strokeWidth=pt(1.2)).encode(color=colour, strokeDash=dash, detail="year:N"),
        base.mark_point(size=pt(14), filled=True).encode(
            color=alt.Color("line:N", scale=alt.Scale(domain=names, range=colours), legend=None)
        ),
    ]
    return printed(alt.layer(*layers))


def yoy_chart(frame: pd.DataFrame, change_unit: str) -> alt.TopLevelMixin:
    """同比 per period: green where it moves the good way for the indicator's direction,
    red the bad way (a falling PM2.5 is green), grey for a band or no change."""
    tones = [Tone.good.value, Tone.bad.value, Tone.neutral.value]
    bars = (
        alt.Chart(frame)
        .mark_bar(width={"band": 0.6})
        .encode(
            x=period_axis(list(frame["period"])),
            y=alt.Y(
                "change:Q",
                title=change_unit,
                axis=alt.Axis(tickCount=5, titleAngle=0, titleAlign="left", titleY=-pt(8)),
            ),
            color=alt.Color(
                "tone:N",
                scale=alt.Scale(domain=tones, range=[GOOD, BAD, NEUTRAL]),
                legend=None,
            ),
        )
    )
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color=GREY).encode(y="y:Q")
    return printed(alt.layer(bars, zero))


def districts_chart(frame: pd.DataFrame, unit: str) -> alt.TopLevelMixin:
    """Districts as horizontal bars, best first from the top, coloured by status, each
    with its value at the bar's end."""
    names = list(frame["district"])
    statuses = [STATUS_ZH[s] for s in STATUS_COLOURS]
    judged = [STATUS_ZH[s] for s in (Status.green, Status.amber, Status.red)]
    shown = [word for word in judged if word in set(frame["status"])]
    y = alt.Y("district:N", sort=names, title=None, axis=alt.Axis(labelPadding=pt(3)))
    x = alt.X("value:Q", title=unit, axis=alt.Axis(tickCount=5))
    base = alt.Chart(frame).encode(y=y, x=x)
    bars = base.mark_bar(height={"band": 0.65}).encode(
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=statuses, range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(values=shown) if shown else None,
        )
    )
    labels = base.mark_text(align="left", dx=pt(2)).encode(text="text:N")
    height = max(pt(60), pt(16) * len(names))
    return printed(alt.layer(bars, labels), height=height)


def svg(chart: alt.TopLevelMixin) -> str:
    """The chart as SVG text; the spec may not load anything (allowed_base_urls=[]) and the
    SVG may not refer to anything outside itself."""
    drawn = vl_convert.vegalite_to_svg(chart.to_dict(), allowed_base_urls=[])
    reference = outside_reference(drawn)
    if reference:
        raise ValueError(f"chart refers to a resource outside itself: {reference[:80]}")
    return drawn


# Attributes whose url(…) a renderer would load (aria-label and text merely say it).
PAINT_ATTRIBUTES = frozenset(
    {"style", "fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid",
     "marker-end", "cursor"}
)  # fmt: skip
ANY_URL = re.compile(r"url\(", re.IGNORECASE)  # CSS function names ignore case
LOCAL_URL = re.compile(r"url\(\s*['\"]?#", re.IGNORECASE)


def outside_reference(svg_text: str) -> str | None:
    """The first thing in `svg_text` that points outside the SVG (not #id) or runs, if any.
    vl-convert fetches nothing with allowed_base_urls=[], but an image mark still writes its
    URL into the SVG, for WeasyPrint, Word or a browser to fetch later. Text is not looked
    at: a district named `url(…)` is drawn as those words."""
    for element in ElementTree.fromstring(svg_text).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject") or (tag == "style" and _outside(element.text)):
            return f"<{tag}>"
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1]
            if local in ("href", "src") and not value.startswith("#"):
                return value
            if local in PAINT_ATTRIBUTES and _outside(value):
                return value
    return None


def _outside(css: str | None) -> bool:
    """Whether CSS text holds a url() that is not a #fragment (an @import is one too)."""
    text = css or ""
    return len(LOCAL_URL.findall(text)) != len(ANY_URL.findall(text)) or "@import" in text.lower()


def svg_data_uri(chart: alt.TopLevelMixin) -> str:
    """The chart as a data:image/svg+xml;base64 URI for an <img> (the PDF fetches data: only)."""
    encoded = base64.b64encode(svg(chart).encode("utf-8")).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"


# Light to mid blue, so black labels stay legible on it; in greyscale, light to mid grey.
MAP_RANGE = ["#eef3f8", "#5b8cc0"]
MAP_EMPTY = "#ffffff"  # a district without data: blank paper, outlined
MAP_HEIGHT = pt(260)


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """Area-weighted centroid (x, y) and absolute area of a closed ring (shoelace)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return sum(xs) / len(xs), sum(ys) / len(ys), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area) / 2


def centroid(geometry: dict) -> tuple[float, float]:
    """Where a district's label goes: the centroid of its largest outer ring."""
    polygons = (
        [geometry["coordinates"]]
        if geometry["type"] == "Polygon"
        else geometry["coordinates"]  # MultiPolygon
    )
    x, y, _ = max((_ring_centroid(p[0]) for p in polygons), key=lambda c: c[2])
    return x, y


def _wound(ring: list, clockwise: bool) -> list:
    signed = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring))
    return ring if (signed < 0) == clockwise else ring[::-1]


def d3_winding(geometry: dict) -> dict:
    """The geometry with outer rings clockwise and holes anticlockwise, as Vega's d3-geo
    reads them (RFC 7946 files wind the other way; d3 would fill the rest of the globe)."""

    def polygon(rings: list) -> list:
        return [_wound(ring, clockwise=index == 0) for index, ring in enumerate(rings)]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": polygon(geometry["coordinates"])}
    return {"type": geometry["type"], "coordinates": [polygon(p) for p in geometry["coordinates"]]}


def districts_map(
    geojson: dict, values: dict[str, float | None], unit: str, decimals: int = 1
) -> alt.TopLevelMixin:
    """The districts filled by their value on a light-to-mid sequential ramp, those without
    data left blank; each named at its centroid with its figure. The features go inline
    (matched by `properties.name`, the Chinese name as in areas.yaml), nothing is loaded."""
    features = []
    labels = []
    for feature in geojson["features"]:
        name = feature["properties"]["name"]
        value = values.get(name)
        text = fmt.number(value, decimals) if value is not None else "无数据"
        properties = {"name": name, "value": value, "text": text}
        geometry = d3_winding(feature["geometry"])
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
        lon, lat = centroid(feature["geometry"])
        labels.append({"name": name, "text": text, "lon": lon, "lat": lat})
    colour = alt.condition(  # a district without data blank, before the scale sees it
        "!isValid(datum.properties.value)",
        alt.value(MAP_EMPTY),
        alt.Color(
            "properties.value:Q",
            title=unit,
            scale=alt.Scale(range=MAP_RANGE, zero=False, nice=False),
            legend=alt.Legend(title=unit, orient="right", gradientLength=pt(90)),
        ),
    )
    shapes = (
        alt.Chart(alt.Data(values=features))
        .mark_geoshape(stroke=GREY, strokeWidth=pt(0.6), invalid=None)  # keep: drawn blank
        .encode(color=colour)
    )
    frame = pd.DataFrame(labels, columns=["name", "text", "lon", "lat"])
    base = alt.Chart(frame).encode(longitude="lon:Q", latitude="lat:Q")
    names = base.mark_text(dy=-pt(5), fontWeight="bold").encode(text="name:N")
    figures = base.mark_text(dy=pt(6)).encode(text="text:N")
    layers = alt.layer(shapes, names, figures).project(type="mercator")
    return printed(layers, height=MAP_HEIGHT)
