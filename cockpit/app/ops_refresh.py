"""立即刷新: one source refreshed now, on a worker thread the page follows with a progress
bar. The refresh does not belong to the script run that started it: a click elsewhere reruns
the page and the next run takes up the bar, so a refresh is never cut off half-way."""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import streamlit as st

from cockpit.app.ops_notice import alert_after_load, notify
from cockpit.app.plain import as_plain_text
from cockpit.data_access import metric_store, refresh_landed, shipped_catalog
from cockpit.i18n import Lang
from cockpit.ops_actions import RefreshAttempt, refresh_now
from cockpit.ops_texts import OPS_TEXTS, t
from cockpit.session import current_principal
from connectors.config import SourcesFile

JOB_KEY = "ops_refresh_job"
POLL_SECONDS = 0.25
# Shared by every session of the server; the source lock, not this pool, keeps one run per
# source (across sessions, processes and hosts).
_WORKERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="ops-refresh")


@dataclass
class RefreshJob:
    """A refresh under way and how far it got (written by the worker, read by the page)."""

    name: str
    stage: str = ""
    done: int = 0
    total: int | None = None
    future: Future[RefreshAttempt] = field(default_factory=Future)

    def report(self, stage: str, done: int, total: int | None) -> None:
        self.stage, self.done, self.total = stage, done, total


def render(sources: SourcesFile, allowed: bool, lang: Lang) -> None:
    pick_col, button_col, bar_col = st.columns([3, 1.2, 6], vertical_alignment="bottom")
    names = {s.id: s.name_zh if lang == "zh" else (s.name_en or s.name_zh) for s in sources.sources}
    source_id = pick_col.selectbox(
        t("refresh_source", lang),
        list(names),
        format_func=lambda sid: f"{names[sid]}（{sid}）",
        key="ops_refresh_source",
    )
    job: RefreshJob | None = st.session_state.get(JOB_KEY)
    clicked = button_col.button(
        t("refresh_now", lang), key="ops_refresh", disabled=not allowed or job is not None
    )
    if clicked and job is None:
        job = RefreshJob(names[source_id])
        job.future = _WORKERS.submit(
            refresh_now,
            metric_store(),
            shipped_catalog(),
            sources,
            source_id,
            job.report,
            current_principal(st.session_state).user,
        )
        st.session_state[JOB_KEY] = job
    if job is not None:
        _follow(job, bar_col, lang)


def _follow(job: RefreshJob, column: st.delta_generator.DeltaGenerator, lang: Lang) -> None:
    """Show the job's progress until it ends, then its outcome (after a rerun, so the board
    and the history show the new run)."""
    bar = column.progress(0.0, text=as_plain_text(f"{t('refreshing', lang)} {job.name}"))
    while not job.future.done():
        share = min(job.done / job.total, 1.0) if job.total else 0.0
        key = f"stage_{job.stage}"
        stage = t(key, lang) if key in OPS_TEXTS else job.stage
        count = f"{job.done:,}/{job.total:,}" if job.total else f"{job.done:,}"
        bar.progress(share, text=as_plain_text(f"{job.name} · {stage} {count}"))
        time.sleep(POLL_SECONDS)
    del st.session_state[JOB_KEY]
    refresh_landed()
    attempt = job.future.result()
    notify(attempt.level, attempt.message(lang))
    if not attempt.busy:
        alert_after_load(lang)
    st.rerun()
