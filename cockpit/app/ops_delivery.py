"""按时报送率: the operators' own KPI, the share of periods each source (or bureau) delivered
by its due date, month by month, as a line chart and a table of on-time / due."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from cockpit.app import palette
from cockpit.app.indicator_charts import themed
from cockpit.data_access import DataVersion, delivery_record
from cockpit.i18n import Lang
from cockpit.ops_texts import t
from connectors.config import SourcesFile
from connectors.delivery import DeliveryReport, GroupBy

MONTHS = 12
CHART_HEIGHT = 320


def render(version: DataVersion, sources: SourcesFile | None, today: date, lang: Lang) -> None:
    report = delivery_record(version, today, MONTHS)
    if report is None or sources is None:
        return
    by = st.radio(
        t("delivery_by", lang),
        list(GroupBy),
        format_func=lambda g: t(f"delivery_by_{g.value}", lang),
        horizontal=True,
        key="ops_delivery_by",
    )
    names = (
        {s.id: s.name_zh if lang == "zh" else (s.name_en or s.name_zh) for s in sources.sources}
        if by is GroupBy.source
        else {}
    )
    frame = report.frame(by)
    frame["name"] = [names.get(group, group) for group in frame["group"]]
    if frame["rate"].notna().any():
        st.altair_chart(delivery_chart(frame, lang), theme=None, width="stretch")
    else:
        st.info(t("delivery_none", lang))
    st.dataframe(rates_table(frame, report, lang), hide_index=True, key="ops_delivery_table")
    st.caption(t("delivery_rule", lang))


def delivery_chart(frame: pd.DataFrame, lang: Lang) -> alt.Chart:
    """One line per group; months with nothing due leave a gap, not a 0 or 100 %."""
    chart = (
        alt.Chart(frame)
        .mark_line(point=True, strokeWidth=2)
        .encode(
            x=alt.X("month:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "rate:Q",
                title=t("tab_delivery", lang),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%"),
            ),
            color=alt.Color(
                "name:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelColor=palette.TEXT, columns=5),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("delivery_group", lang)),
                alt.Tooltip("month:O", title=t("period", lang)),
                alt.Tooltip("rate:Q", title=t("tab_delivery", lang), format=".0%"),
                alt.Tooltip("on_time:Q", title=t("on_time", lang)),
                alt.Tooltip("late:Q", title=t("late_delivery", lang)),
                alt.Tooltip("missing:Q", title=t("missing", lang)),
            ],
        )
    )
    return themed(chart, CHART_HEIGHT)


def rates_table(frame: pd.DataFrame, report: DeliveryReport, lang: Lang) -> pd.DataFrame:
    """Groups down, months across: '92%（11/12）', or '—' where nothing fell due."""

    def cell(row: pd.Series) -> str:
        if not row["due"]:
            return "—"
        return f"{row['rate']:.0%}（{row['on_time']}/{row['due']}）"

    cells = frame.assign(cell=frame.apply(cell, axis=1))
    table = cells.pivot(index="name", columns="month", values="cell")
    order = list(dict.fromkeys(frame["name"]))
    table = table.reindex(index=order, columns=list(report.months))
    return table.rename_axis(index=t("delivery_group", lang)).reset_index()
