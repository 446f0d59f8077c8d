"""审计日志 (administrators): who signed in or failed to, exported a briefing, uploaded a
template, refreshed a source, reviewed a finding or changed a user — filtered by time, user
and action, and downloaded as a workbook. Reading it is itself not logged."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from cockpit.app.routes import AUDIT
from cockpit.app.shell import page_header, view_state
from cockpit.audit_view import ACTIONS_ZH, COLUMNS, audit_rows, audit_workbook
from cockpit.data_access import metric_store
from indicators.settings import display_timezone, local_today
from indicators.store.audit import entries

SHOWN = 5000  # rows read at most; narrow the range for more
ALL = ""


def render() -> None:
    today = local_today()
    page_header(view_state(today), AUDIT, today, view_controls=False)
    st.title("审计日志")
    range_col, actor_col, action_col = st.columns([2, 1, 1])
    picked = range_col.date_input(
        "日期范围", (today - timedelta(days=30), today), max_value=today, key="audit_range"
    )
    start, end = (picked[0], picked[-1]) if isinstance(picked, tuple) and picked else (today, today)
    actor = actor_col.text_input("用户", key="audit_actor").strip()
    action = action_col.selectbox(
        "操作",
        [ALL, *ACTIONS_ZH],
        format_func=lambda a: ACTIONS_ZH.get(a, "全部"),
        key="audit_action",
    )
    zone = display_timezone()
    since = datetime.combine(start, time.min, zone).astimezone(UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, zone).astimezone(UTC)
    found = entries(
        metric_store().engine, since=since, until=until, actor=actor or None,
        action=action or None, limit=SHOWN,
    )  # fmt: skip
    st.caption(f"共 {len(found)} 条（最多显示 {SHOWN} 条，最新在前）")
    table = pd.DataFrame(audit_rows(found), columns=[head for head, _ in COLUMNS])
    st.dataframe(table, hide_index=True, key="audit_table")
    st.download_button(
        "下载审计日志（Excel）", audit_workbook(found, since, until),
        file_name=f"审计日志-{start}-{end}.xlsx", key="audit_download", on_click="ignore",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
