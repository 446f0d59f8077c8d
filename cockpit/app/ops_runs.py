"""加载记录: the load-run history (duration, rows read / written / rejected, the error), and
for one run its rejected rows with their reasons, downloadable as Excel, and its findings."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit import i18n
from cockpit.app import palette as p
from cockpit.app.ops_tables import show_table
from cockpit.app.plain import as_plain_text
from cockpit.data_access import DataVersion, recent_runs, run_details, session_visible
from cockpit.i18n import Lang
from cockpit.ops_actions import rejections_workbook
from cockpit.ops_model import RunRow, run_rows
from cockpit.ops_texts import (
    RUN_STATUSES,
    check_name,
    finding_reason,
    readable_rejections,
    run_status_name,
    t,
)
from connectors.config import SourcesFile
from indicators.store import Finding, Rejection

HISTORY = 200  # runs listed
SHOWN_REJECTIONS = 500  # rows on screen; the Excel file has them all
RUN_COLOURS = {
    "succeeded": p.RAG_GREEN,
    "failed": p.FRESHNESS_COLOURS["failed"],
    "running": p.ACCENT,
}


def render(version: DataVersion, sources: SourcesFile | None, lang: Lang) -> None:
    rows = run_rows(recent_runs(version, HISTORY), sources)
    if not rows:
        st.info(t("no_runs", lang))
        return
    pick_col, failed_col = st.columns([3, 1], vertical_alignment="bottom")
    source_ids = sorted({row.run.source for row in rows})
    chosen = pick_col.multiselect(
        t("source", lang), source_ids, key="ops_runs_source", placeholder=t("all", lang)
    )
    failed_only = failed_col.toggle(t("failed_only", lang), key="ops_runs_failed")
    rows = [
        row
        for row in rows
        if (not chosen or row.run.source in chosen)
        and (not failed_only or row.run.status == "failed")
    ]
    colours = {run_status_name(s, lang): RUN_COLOURS[s] for s in RUN_STATUSES}
    show_table(_runs_frame(rows, lang), t("status", lang), colours, "ops_runs", 360)
    if rows:
        _run_detail(version, rows, lang)


def _runs_frame(rows: list[RunRow], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("run", lang): [row.run.id for row in rows],
            t("source", lang): [row.source_name for row in rows],
            t("status", lang): [run_status_name(row.run.status, lang) for row in rows],
            t("started", lang): [i18n.local_time(row.run.started_at, lang) for row in rows],
            t("duration", lang): [
                round(row.duration_seconds, 1) if row.duration_seconds is not None else None
                for row in rows
            ],
            t("read", lang): [row.run.rows_read for row in rows],
            t("written", lang): [row.run.rows_written for row in rows],
            t("rejected", lang): [row.run.rows_rejected for row in rows],
            t("message", lang): [row.run.message or "" for row in rows],
        }
    )


def _run_detail(version: DataVersion, rows: list[RunRow], lang: Lang) -> None:
    by_id = {row.run.id: row for row in rows}
    run_id = st.selectbox(
        t("run_detail", lang),
        list(by_id),
        format_func=lambda rid: (
            f"#{rid} · {by_id[rid].source_name} · {run_status_name(by_id[rid].run.status, lang)}"
            f" · {i18n.local_time(by_id[rid].run.started_at, lang)}"
        ),
        key="ops_run",
    )
    row = by_id[run_id]
    if row.run.message:
        st.error(as_plain_text(row.run.message, 2000))
    if row.run.finished_at is None:
        return
    stored, findings = run_details(version.url, run_id)
    rejections = readable_rejections(stored, session_visible(), lang)
    st.markdown(f"**{t('rejections', lang)}** · {len(rejections)}")
    if rejections:
        with st.container(key="ops_rejections"):  # no CSV export of raw cells (formulas)
            st.dataframe(_rejections_frame(rejections[:SHOWN_REJECTIONS], lang), hide_index=True)
        st.download_button(
            t("download_rejections", lang),
            rejections_workbook(row.run, rejections, row.source_name),  # as shown above
            file_name=f"rejected-rows-run-{run_id}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="ops_rejections_download",
            on_click="ignore",
        )
    else:
        st.caption(t("no_rejections", lang))
    if findings:
        st.markdown(f"**{t('run_findings', lang)}** · {len(findings)}")
        st.dataframe(_findings_frame(findings, lang), hide_index=True)


def _rejections_frame(rejections: list[Rejection], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("location", lang): [r.location for r in rejections],
            t("field", lang): [r.field for r in rejections],
            t("value", lang): [r.value for r in rejections],
            t("why_rejected", lang): [r.reason for r in rejections],
        }
    )


def _findings_frame(findings: list[Finding], lang: Lang) -> pd.DataFrame:
    visible = session_visible()
    return pd.DataFrame(
        {
            t("check", lang): [check_name(f.check_name, lang) for f in findings],
            t("severity", lang): [f.severity for f in findings],
            t("code", lang): [f.indicator_code or "—" for f in findings],
            t("area", lang): [f.area or "—" for f in findings],
            t("period", lang): [f.period or "—" for f in findings],
            t("reason", lang): [
                finding_reason(f.indicator_code, f.message, visible, lang) for f in findings
            ],
        }
    )
