"""Outcomes of an operator's action, shown once at the top of the console after the page
reruns with the new data (the action itself ends with st.rerun)."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from cockpit.app.plain import as_plain_text
from cockpit.data_access import configured_sources, metric_store, shipped_catalog
from cockpit.i18n import Lang
from cockpit.ops_actions import Level
from cockpit.ops_texts import t
from connectors.alert_config import AlertsError
from connectors.alerts import check_if_configured
from indicators.settings import local_today

NOTICE_KEY = "ops_notices"


def notify(level: Level, message: str) -> None:
    st.session_state.setdefault(NOTICE_KEY, []).append((level, message))


def show_notices() -> None:
    for level, message in st.session_state.pop(NOTICE_KEY, []):
        getattr(st, level)(as_plain_text(message, 2000))


def alert_after_load(lang: Lang) -> None:
    """After a load from the console, the alert check `cockpit refresh` runs (when an alerts
    file exists); what it sent, or why it could not, is told with the load's outcome."""
    sources, _ = configured_sources()
    try:
        report = check_if_configured(
            metric_store(), shipped_catalog(), sources, local_today(), datetime.now(UTC)
        )
    except AlertsError as exc:
        notify("warning", f"{t('alerts_not_checked', lang)}{exc}")
        return
    if report is None:
        return
    errors = [e for d in (*report.raised, *report.resolved) for e in d.errors]
    if errors:
        notify("warning", f"{t('alerts_failed', lang)}{'; '.join(errors)}")
    elif report.raised or report.resolved:
        counts = f"{len(report.raised)} / {len(report.resolved)}"
        notify("success", f"{t('alerts_sent', lang)}{counts}")
