"""HTML of the tile grid and the 今日关注 list: one block per screen part, so a wall of 20
tiles is one element for the browser rather than hundreds of Streamlit widgets.

Every text is escaped; links are relative (`indicator?code=…`) so a proxy's base path holds.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from html import escape

from cockpit import i18n
from cockpit.app import palette
from cockpit.i18n import Lang
from cockpit.screen_model import AttentionEntry, EmptyTile, TileRow
from cockpit.tile_model import Tile
from indicators.attention import Concern
from indicators.freshness import Freshness
from indicators.targets import Status


def sparkline_svg(values: Sequence[float | None]) -> str:
    """A 100×24 polyline of the recent periods (gaps break the line), as a data-URI image:
    Streamlit's HTML sanitiser drops inline <svg>, but keeps <img> with a data URI."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return '<div class="spark"></div>'
    low, high = min(present), max(present)
    span = (high - low) or 1.0
    step = 100 / max(len(values) - 1, 1)
    segments: list[list[str]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            segments.append([])
            continue
        y = 22 - (value - low) / span * 20
        segments[-1].append(f"{index * step:.1f},{y:.1f}")
    stroke = (
        f'fill="none" stroke="{palette.CYAN}" stroke-width="1.5" vector-effect="non-scaling-stroke"'
    )
    lines = "".join(
        f'<polyline points="{" ".join(points)}" {stroke}/>'
        for points in segments
        if len(points) > 1
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 24" '
        f'preserveAspectRatio="none">{lines}</svg>'
    )
    encoded = base64.b64encode(svg.encode()).decode()
    return f'<img class="spark" alt="" src="data:image/svg+xml;base64,{encoded}">'


def status_text(status: Status, lang: Lang) -> str:
    """The badge of a judged figure; nothing for one without a rule or a value."""
    judged = status in (Status.green, Status.amber, Status.red)
    return i18n.status_name(status, lang) if judged else ""


def tile_html(tile: Tile, lang: Lang) -> str:
    current = tile.freshness is Freshness.fresh
    classes = f"kpi-tile status-{tile.status.value}" + ("" if current else " kpi-stale")
    badge = status_text(tile.status, lang)
    changes = "".join(
        f'<span class="chg {c.tone.value}">{escape(c.label)} {escape(c.text)}</span>'
        for c in tile.changes
    )
    if tile.progress:
        fill = max(0.0, min(tile.progress.attainment, 100.0))
        mark = max(0.0, min(tile.progress.schedule, 100.0))
        measure = (
            f'<div class="kpi-progress"><div class="bar"><i style="width:{fill:.1f}%"></i>'
            f'<b style="left:{mark:.1f}%"></b></div><span>{escape(tile.progress.text)}</span></div>'
        )
    else:
        measure = f'<div class="kpi-target">{escape(tile.target) or "&nbsp;"}</div>'
    note = (
        f'<span class="kpi-note">{escape(tile.freshness_note)}</span>'
        if tile.freshness_note
        else ""
    )
    return (
        f'<a class="{classes}" href="{escape(tile.href)}" '
        f'data-code="{escape(tile.code)}">'
        f'<div class="kpi-head"><span class="kpi-name" title="{escape(tile.name)}">'
        f"{escape(tile.name)}</span>"
        + (f'<span class="kpi-badge">{escape(badge)}</span>' if badge else "")
        + "</div>"
        f'<div class="kpi-figure"><span class="kpi-value">{escape(tile.value)}</span>'
        f'<span class="kpi-unit">{escape(tile.unit)}</span>'
        f'<span class="kpi-label">{escape(tile.figure_label)}</span></div>'
        f'<div class="kpi-changes">{changes or "&nbsp;"}</div>'
        f"{measure}{sparkline_svg(tile.sparkline)}"
        f'<div class="kpi-foot"><span>{escape(tile.as_of)}</span>{note}</div></a>'
    )


def empty_tile_html(tile: EmptyTile) -> str:
    return (
        f'<a class="kpi-tile kpi-empty" href="{escape(tile.href)}" '
        f'data-code="{escape(tile.code)}">'
        f'<div class="kpi-head"><span class="kpi-name">{escape(tile.name)}</span></div>'
        f'<div class="kpi-empty-reason">{escape(tile.reason)}</div></a>'
    )


def grid_html(rows: Sequence[TileRow], lang: Lang) -> str:
    parts = [f'<div class="kpi-grid lang-{lang}">']
    for row in rows:
        tiles = "".join(
            tile_html(t, lang) if isinstance(t, Tile) else empty_tile_html(t) for t in row.tiles
        )
        parts.append(
            f'<section class="kpi-row"><h3 class="kpi-row-title">{escape(row.title)}</h3>'
            f'<div class="kpi-row-tiles">{tiles}</div></section>'
        )
    parts.append("</div>")
    return "".join(parts)


CONCERN_CLASS = {
    Concern.red: "red",
    Concern.amber: "amber",
    Concern.worsening: "worse",
    Concern.late_data: "late",
}


def attention_html(entries: Sequence[AttentionEntry], total: int, lang: Lang) -> str:
    title = i18n.text("attention", lang)
    count = f'<span class="att-count">{total}</span>' if total else ""
    if not entries:
        body = f'<div class="att-none">{escape(i18n.text("attention_none", lang))}</div>'
    else:
        body = "".join(
            f'<a class="att-item" href="{escape(e.href)}" '
            f'data-code="{escape(e.code)}">'
            f'<span class="att-chip {CONCERN_CLASS[e.concern]}">{escape(e.label)}</span>'
            f'<span class="att-name">{escape(e.name)}</span>'
            f'<span class="att-figure">{escape(e.figure)}</span>'
            f'<span class="att-detail">{escape(e.detail)}</span></a>'
            for e in entries
        )
    return (
        f'<div class="panel att-panel"><h3 class="panel-title">{escape(title)}{count}</h3>'
        f'<div class="att-list">{body}</div></div>'
    )
