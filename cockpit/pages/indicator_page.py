"""指标详情 (`/indicator?code=ECO_GDP&area=xishan&period=2026Q3&lang=en`): where every tile,
attention entry and map click leads.

Left, the figure as its tile shows it, the key figures exactly as `cockpit show` prints
them, the indicators it is computed from, and its 口径, source and load runs; right, the
series against its target, the 同比 bars and the districts. Area defaults to the city and
period to the latest complete period with data, as in `cockpit show`; the header's
selectors and language switch work here as on the screens.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cockpit import i18n
from cockpit.app import palette as p
from cockpit.app import routes
from cockpit.app.district_panel import district_charts
from cockpit.app.indicator_charts import SERIES_COLOURS, change_chart, series_chart
from cockpit.app.plain import as_plain_text
from cockpit.app.shell import page_header, view_state
from cockpit.app.signin import follow_account_changes
from cockpit.app.tiles_html import status_text, tile_html
from cockpit.data_access import (
    DataVersion,
    data_version,
    indicator_detail,
    indicator_freshness,
    load_run,
    session_visible,
    viewer_catalog,
)
from cockpit.i18n import Lang
from cockpit.indicator_model import (
    ChildFigure,
    DetailError,
    IndicatorDetail,
    label,
    run_text,
    unknown_code_message,
)
from cockpit.key_figures import KeyFigure
from cockpit.tile_model import build_tile, freshness_note
from cockpit.view_state import ViewState
from indicators.freshness import IndicatorFreshness
from indicators.settings import local_today

REFRESH_SECONDS = 300  # a figure left open picks up a new load
SERIES_HEIGHT = 392  # px at 1920×1080
BARS_HEIGHT = 386
MAP_HEIGHT = "25.5rem"
# Rows of the key figures that belong to provenance, shown under the 口径 instead.
PROVENANCE_KEYS = ("source", "loaded_at", "load_runs")

PAGE_CSS = f"""
<style>
.ind-head {{ display: flex; align-items: baseline; gap: 0.8rem; white-space: nowrap;
  overflow: hidden; }}
.ind-name {{ font-size: 1.45rem; font-weight: 700; color: #fff; letter-spacing: 0.05rem; }}
.ind-code {{ font-size: 0.8rem; color: {p.ACCENT}; border: 1px solid {p.PANEL_BORDER};
  border-radius: 0.2rem; padding: 0 0.35rem; font-family: monospace; }}
.ind-where {{ font-size: 1rem; color: #c7d6ec; }}
.ind-head .kpi-badge {{ font-size: 0.85rem; padding: 0.05rem 0.5rem; align-self: center; }}
.ind-note {{ font-size: 0.8rem; color: {p.MUTED}; overflow: hidden; text-overflow: ellipsis; }}
.ind-stale {{ font-size: 0.85rem; color: #0b1630; background: #facc14; font-weight: 600;
  border-radius: 0.2rem; padding: 0.05rem 0.5rem; align-self: center; }}
.ind-hero .kpi-tile {{ height: auto; pointer-events: none; }}
.ind-hero .spark, .ind-hero .kpi-foot span:first-child {{ display: none; }}
.ind-hero .kpi-value {{ font-size: 2.3rem; line-height: 2.6rem; }}
.ind-rows {{ display: grid; grid-template-columns: max-content minmax(0, 1fr);
  column-gap: 0.8rem; row-gap: 0.12rem; font-size: 0.84rem; margin-top: 0.35rem; }}
.ind-rows dt {{ color: {p.MUTED}; white-space: nowrap; }}
.ind-rows dd {{ margin: 0; color: {p.TEXT}; font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere; }}
.ind-rows.two {{ grid-template-columns: max-content minmax(0, 1fr) max-content minmax(0, 1fr); }}
.ind-rows dt.wide {{ grid-column: 1; }}
.ind-rows dd.wide {{ grid-column: 2 / -1; }}
.ind-rows.compact {{ font-size: 0.76rem; row-gap: 0.06rem; }}
.ind-kids {{ display: flex; flex-direction: column; gap: 0.15rem; font-size: 0.8rem; }}
.ind-kid {{ display: grid;
  grid-template-columns: minmax(3.3rem, max-content) minmax(0, 1fr) auto auto;
  column-gap: 0.45rem; align-items: baseline; padding: 0.12rem 0.35rem;
  border-left: 0.18rem solid var(--rag); background: rgba(255,255,255,0.03);
  border-radius: 0.2rem; text-decoration: none !important; color: {p.TEXT} !important; }}
.ind-kid:hover {{ background: rgba(59,161,255,0.16); }}
.ind-kid .role {{ color: {p.MUTED}; font-size: 0.72rem; }}
.ind-kid .name {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.ind-kid .fig {{ white-space: nowrap; text-align: right; }}
.ind-kid .pts {{ color: {p.MUTED}; font-size: 0.72rem; white-space: nowrap; }}
.ind-empty {{ color: {p.MUTED}; font-size: 0.9rem; padding: 2rem 0; text-align: center; }}
[class*="st-key-ind-panel"] {{
  background: linear-gradient(180deg, rgba(17,40,80,0.85), rgba(10,26,54,0.85));
  border: 1px solid {p.PANEL_BORDER}; border-radius: 0.4rem; padding: 0.45rem 0.7rem;
  gap: 0.2rem; }}
[class*="st-key-ind-panel"] .panel-title {{ margin-bottom: 0; }}
.ind-legend {{ font-size: 0.75rem; color: {p.MUTED}; margin-left: 0.6rem; font-weight: 400; }}
.ind-key {{ margin-left: 0.8rem; color: {p.TEXT}; font-size: 0.78rem; font-weight: 400; }}
.ind-key i {{ display: inline-block; width: 1.1rem; margin-right: 0.3rem; vertical-align: middle;
  border-top: 0.16rem solid var(--key); }}
.ind-key.dashed i {{ border-top-style: dashed; }}
.st-key-ind-panel-change, .st-key-ind-panel-districts {{ min-height: 29rem; }}
.st-key-ind-back a {{ border-color: {p.PANEL_BORDER}; justify-content: center; }}
</style>
"""


def render() -> None:
    today = local_today()
    state = view_state(today)
    page_header(state, routes.INDICATOR, today)
    st.html(PAGE_CSS)
    st.fragment(run_every=REFRESH_SECONDS)(_body)()


def _body() -> None:
    follow_account_changes()
    today = local_today()
    state = view_state(today)
    lang = state.lang
    visible = session_visible()
    catalog = viewer_catalog()  # an indicator the viewer may not see is unknown here
    code = (st.query_params.get("code") or "").strip()
    if code.upper() in catalog.indicators:
        code = code.upper()
    if not code:
        _title_row(state).info(label("no_code", lang))
        return
    if code not in catalog.indicators:
        _title_row(state).error(as_plain_text(unknown_code_message(catalog, code, lang)))
        return
    version = data_version()
    try:
        detail = indicator_detail(
            version,
            code,
            st.query_params.get("area"),
            st.query_params.get("period"),
            today,
            lang,
            visible,
        )
    except DetailError as exc:
        _title_row(state).error(as_plain_text(str(exc)))
        return
    freshness = indicator_freshness(version, today).get(code)
    if not _is_latest(detail, freshness):
        freshness = None  # an earlier period is history, not overdue
    _title_row(state).html(title_html(detail, freshness))
    left, right = st.columns([1, 2.05], gap="small")
    with left:
        _figures_panel(detail, freshness)
        children = [child for child in detail.children if child.code in visible]
        if children:
            st.html(children_html(children, lang))
        st.html(about_html(detail, _runs(version, detail), lang))
    with right:
        _charts(detail, state)


def _is_latest(detail: IndicatorDetail, freshness: IndicatorFreshness | None) -> bool:
    """Freshness speaks of the latest period: a look at an older one is not overdue."""
    asked = st.query_params.get("period")
    return not asked or freshness is None or detail.snapshot.period.label == freshness.latest


def _title_row(state: ViewState) -> DeltaGenerator:
    """The row under the header: the title (returned, to be filled) and 返回."""
    title_col, back_col = st.columns([10, 1], vertical_alignment="center")
    with back_col:
        _back_link(state)
    return title_col


def _back_link(state: ViewState) -> None:
    """返回 to the screen the figure was opened from (?from=…, the overview by default),
    keeping the language, area and period, as the header's tabs do."""
    origin = st.query_params.get("from", "")
    key = origin if origin in routes.SCREEN_KEYS else routes.SCREEN_KEYS[0]
    target = routes.page(key)
    if target is None:
        return
    params = {k: v for k, v in state.query_params().items() if k != "map"}
    with st.container(key="ind-back"):
        st.page_link(
            target,
            label=f"← {i18n.text('back', state.lang)}",
            query_params=params,
            width="stretch",
        )


def title_html(detail: IndicatorDetail, freshness: IndicatorFreshness | None) -> str:
    s, lang = detail.snapshot, detail.lang
    status = s.judgement.status
    badge = status_text(status, lang)
    note = freshness_note(freshness, lang)
    return (
        f'<div class="ind-head status-{status.value}">'
        f'<span class="ind-name">{escape(detail.name)}</span>'
        f'<span class="ind-code">{escape(s.indicator.code)}</span>'
        f'<span class="ind-where">{escape(detail.area_name)} · {escape(detail.period_label)}'
        "</span>"
        + (f'<span class="kpi-badge">{escape(badge)}</span>' if badge else "")
        + (f'<span class="ind-stale">⚠ {escape(note)}</span>' if note else "")
        + (f'<span class="ind-note">{escape(detail.note)}</span>' if detail.note else "")
        + "</div>"
    )


def _figures_panel(detail: IndicatorDetail, freshness: IndicatorFreshness | None) -> None:
    tile = build_tile(detail.snapshot, freshness, detail.lang)
    rows = [f for f in detail.figures if f.key not in PROVENANCE_KEYS]
    st.html(
        f'<div class="panel ind-figures"><h3 class="panel-title">'
        f"{escape(label('figures', detail.lang))}</h3>"
        f'<div class="ind-hero">{tile_html(tile, detail.lang)}</div>'
        f"{rows_html(rows, 'two', wide=('status',))}</div>"
    )


def rows_html(rows: Sequence[KeyFigure], style: str = "", wide: Sequence[str] = ()) -> str:
    """Label and text per row; `data-key` names the figure (value, yoy, ytd …). Rows in
    `wide` take a whole line of a two-column list."""
    items = "".join(
        f"<dt{_wide(r, wide)}>{escape(r.label)}</dt>"
        f'<dd data-key="{escape(r.key)}"{_wide(r, wide)}>{escape(r.text)}</dd>'
        for r in rows
    )
    return f'<dl class="ind-rows {style}">{items}</dl>'


def _wide(row: KeyFigure, wide: Sequence[str]) -> str:
    return ' class="wide"' if row.key in wide else ""


def children_html(children: Sequence[ChildFigure], lang: Lang) -> str:
    """The indicators the figure is computed from, each a link to its own page."""
    items = "".join(
        f'<a class="ind-kid status-{c.status.value}" href="{escape(c.href)}" '
        f'data-code="{escape(c.code)}">'
        f'<span class="role">{escape(c.role)}</span>'
        f'<span class="name">{escape(c.name)}</span>'
        f'<span class="fig">{escape(c.figure)}</span>'
        + (f'<span class="pts">{escape(c.scoring)}</span>' if c.scoring else "")
        + "</a>"
        for c in children
    )
    title = escape(i18n.text("children", lang))
    return (
        f'<div class="panel ind-children"><h3 class="panel-title">{title}</h3>'
        f'<div class="ind-kids">{items}</div></div>'
    )


def about_html(detail: IndicatorDetail, runs: Sequence[str], lang: Lang) -> str:
    """口径, method, target, rule, then where the figure came from and its load runs."""
    about = [KeyFigure(f"about-{i}", name, text) for i, (name, text) in enumerate(detail.about)]
    provenance = [f for f in detail.figures if f.key in PROVENANCE_KEYS]
    runs_rows = [KeyFigure("run", "", text) for text in runs]
    return (
        f'<div class="panel ind-about"><h3 class="panel-title">'
        f"{escape(label('about', lang))}</h3>"
        f"{rows_html([*about, *provenance, *runs_rows], 'compact')}</div>"
    )


def _runs(version: DataVersion, detail: IndicatorDetail) -> list[str]:
    found = (load_run(version, run_id) for run_id in detail.snapshot.provenance.load_runs)
    return [run_text(run, detail.lang) for run in found if run is not None]


def _charts(detail: IndicatorDetail, state: ViewState) -> None:
    lang = detail.lang
    with st.container(key="ind-panel-series"):
        st.html(_chart_title(i18n.text("series", lang), detail.unit, _series_keys(detail)))
        st.altair_chart(series_chart(detail, SERIES_HEIGHT), theme=None, width="stretch")
    bars_col, map_col = st.columns([1, 1.35], gap="small")
    with bars_col, st.container(key="ind-panel-change"):
        title = label("mom_bars", lang) if detail.bars == "mom" else i18n.text("yoy_bars", lang)
        st.html(_chart_title(title, detail.change_unit))
        if detail.bars:
            st.altair_chart(change_chart(detail, BARS_HEIGHT), theme=None, width="stretch")
        else:
            st.html(f'<div class="ind-empty">{escape(label("no_growth", lang))}</div>')
    with map_col, st.container(key="ind-panel-districts"):
        _districts(detail, state)


def _chart_title(title: str, note: str, keys: str = "") -> str:
    return (
        f'<h3 class="panel-title">{escape(title)}'
        f'<span class="ind-legend">{escape(note)}</span>{keys}</h3>'
    )


def _series_keys(detail: IndicatorDetail) -> str:
    """The series chart's legend: the figure's solid line, the target's dashed one."""
    names = [detail.line_name, detail.target_name] if detail.target_name else [detail.line_name]
    return "".join(
        f'<span class="ind-key{" dashed" if index else ""}" style="--key:{colour}">'
        f"<i></i>{escape(name)}</span>"
        for index, (name, colour) in enumerate(zip(names, SERIES_COLOURS, strict=False))
    )


def _districts(detail: IndicatorDetail, state: ViewState) -> None:
    """The map and ranking of the districts at the period; a click opens that district."""
    lang = detail.lang
    view = detail.districts
    st.html(_chart_title(i18n.text("districts", lang), f"{detail.period_label} · {detail.unit}"))
    if view is None:
        st.html(f'<div class="ind-empty">{escape(label("no_districts", lang))}</div>')
        return
    area = detail.snapshot.area
    chosen = district_charts(view, lang, f"ind_{area}", MAP_HEIGHT)
    if chosen is not None and chosen != area:
        st.query_params["area"] = chosen
        st.rerun()
