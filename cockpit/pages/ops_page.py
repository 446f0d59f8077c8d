"""数据运维: the operators' console. What is late, what broke and why, and the means to fix
it: the freshness board with refresh-now, load runs with rejected rows, quality findings to
acknowledge or resolve, the manual-report upload and the on-time delivery record."""

from __future__ import annotations

from html import escape

import streamlit as st

from cockpit.app import ops_board, ops_delivery, ops_findings, ops_runs, ops_upload
from cockpit.app import palette as p
from cockpit.app.ops_notice import show_notices
from cockpit.app.plain import as_plain_text
from cockpit.app.routes import OPS
from cockpit.app.shell import page_header, view_state
from cockpit.data_access import (
    configured_sources,
    current_findings,
    data_version,
    freshness_report,
    shipped_catalog,
)
from cockpit.i18n import Lang
from cockpit.ops_model import Board, freshness_board
from cockpit.ops_texts import freshness_name, t
from cockpit.session import current_principal, may_operate
from connectors.findings import FindingItem
from indicators.settings import local_today

OPS_CSS = """
<style>
.ops-summary { display: flex; gap: 0.6rem; flex-wrap: wrap; align-items: center; }
.ops-chip { border-radius: 0.35rem; padding: 0.25rem 0.7rem; font-size: 0.95rem;
  background: rgba(17,40,80,0.85); border: 1px solid var(--chip); }
.ops-chip b { font-size: 1.3rem; margin-left: 0.35rem; color: var(--chip); }
.ops-title { font-size: 1.25rem; font-weight: 600; margin-right: 0.8rem; }
/* Rejected cells are shown as sent; their download is the Excel file, which keeps them text
   (a dataframe's own CSV export would hand a spreadsheet "=cmd|…" as a formula). */
.st-key-ops_rejections [data-testid="stElementToolbar"],
.st-key-ops_upload_problems [data-testid="stElementToolbar"] { display: none; }
</style>
"""


def render() -> None:
    today = local_today()
    state = view_state(today)
    lang = state.lang
    page_header(state, OPS, today, view_controls=False)
    st.html(OPS_CSS)
    principal = current_principal(st.session_state)
    sources, problem = configured_sources()
    version = data_version()
    board = freshness_board(freshness_report(version, today), shipped_catalog(), sources, today)
    findings = current_findings()
    with st.container(key="ops"):
        st.html(summary_html(board, findings, lang))
        show_notices()
        if problem:
            st.error(t("sources_error", lang) + as_plain_text(problem, 2000))
        if not may_operate(principal):
            st.caption(t("operators_only", lang))
        keys = ("tab_board", "tab_runs", "tab_findings", "tab_upload", "tab_delivery")
        board_tab, runs_tab, findings_tab, upload_tab, delivery_tab = st.tabs(
            [t(key, lang) for key in keys]
        )
        with board_tab:
            ops_board.render(board, sources, principal, lang)
        with runs_tab:
            ops_runs.render(version, sources, lang)
        with findings_tab:
            ops_findings.render(findings, principal, lang)
        with upload_tab:
            ops_upload.render(sources, principal, lang)
        with delivery_tab:
            ops_delivery.render(version, sources, today, lang)


def summary_html(board: Board, findings: list[FindingItem], lang: Lang) -> str:
    """Sources per status and open findings, in the status colours."""
    chips = [
        f'<span class="ops-chip" data-status="{status.value}" '
        f'style="--chip: {p.FRESHNESS_COLOURS[status.value]}">'
        f"{escape(freshness_name(status, lang))}<b>{count}</b></span>"
        for status, count in board.counts().items()
    ]
    open_count = sum(item.needs_attention for item in findings)
    chips.append(
        f'<span class="ops-chip" data-status="findings" style="--chip: {p.RAG_AMBER}">'
        f"{escape(t('open_findings', lang))}<b>{open_count}</b></span>"
    )
    title = f'<span class="ops-title">{escape(t("sources", lang))} {len(board.sources)}</span>'
    return f'<div class="ops-summary">{title}{"".join(chips)}</div>'
