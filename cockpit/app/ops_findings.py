"""质量发现: what the checks on each load noticed, one item per thing found, with the state
operators gave it (acknowledged / resolved, by whom, when, why)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cockpit import i18n
from cockpit.app import palette as p
from cockpit.app.ops_notice import notify
from cockpit.app.ops_tables import show_table
from cockpit.data_access import metric_store, session_visible, shipped_catalog
from cockpit.i18n import Lang
from cockpit.ops_texts import FINDING_STATES, check_name, finding_reason, finding_state_name, t
from cockpit.session import DEFAULT_PRINCIPAL, Principal, may_operate
from connectors.findings import FindingItem, FindingState
from indicators.store.audit import log
from indicators.store.operations import review_finding

STATE_COLOURS = {
    FindingState.open: p.RAG_AMBER,
    FindingState.acknowledged: p.ACCENT,
    FindingState.resolved: p.RAG_GREEN,
}


def render(items: list[FindingItem], principal: Principal, lang: Lang) -> None:
    states = st.multiselect(
        t("filter_status", lang),
        list(FindingState),
        default=[FindingState.open, FindingState.acknowledged],
        format_func=lambda s: finding_state_name(s, lang),
        key="ops_findings_state",
    )
    shown = [item for item in items if not states or item.state in states]
    if not shown:
        st.info(t("no_findings", lang))
        return
    colours = {finding_state_name(s, lang): STATE_COLOURS[s] for s in FINDING_STATES}
    colours[_reopened(lang)] = p.RAG_RED
    show_table(_frame(shown, lang), t("status", lang), colours, "ops_findings", 360)
    _review(shown, principal, lang)


def _frame(items: list[FindingItem], lang: Lang) -> pd.DataFrame:
    catalog = shipped_catalog()
    visible = session_visible()

    def indicator(code: str | None) -> str:
        if not code or code not in catalog.indicators:
            return code or "—"
        ind = catalog.get(code)
        return f"{ind.name_zh if lang == 'zh' else ind.name_en}（{code}）"

    return pd.DataFrame(
        {
            t("status", lang): [
                _reopened(lang) if i.reopened else finding_state_name(i.state, lang) for i in items
            ],
            t("check", lang): [check_name(i.latest.check_name, lang) for i in items],
            t("source", lang): [i.latest.source for i in items],
            t("indicator", lang): [indicator(i.latest.indicator_code) for i in items],
            t("area", lang): [
                i18n.area_name(catalog, i.latest.area, lang) if i.latest.area else "—"
                for i in items
            ],
            t("period", lang): [i.latest.period or "—" for i in items],
            t("reason", lang): [
                finding_reason(i.latest.indicator_code, i.latest.message, visible, lang)
                for i in items
            ],
            t("occurrences", lang): [i.occurrences for i in items],
            t("found_at", lang): [i18n.local_time(i.latest.found_at, lang) for i in items],
            t("reviewed_by", lang): [i.review.reviewed_by if i.review else "" for i in items],
            t("reviewed_at", lang): [
                i18n.local_time(i.review.reviewed_at, lang) if i.review else "" for i in items
            ],
            t("note", lang): [(i.review.note or "") if i.review else "" for i in items],
        }
    )


def _review(items: list[FindingItem], principal: Principal, lang: Lang) -> None:
    by_key = {item.key: item for item in items}
    pick_col, note_col, who_col, ack_col, resolve_col = st.columns(
        [4, 3.2, 1.6, 1.2, 1.2], vertical_alignment="bottom"
    )
    key = pick_col.selectbox(
        t("finding", lang),
        list(by_key),
        format_func=lambda k: _label(by_key[k], lang),
        key="ops_finding",
    )
    note = note_col.text_input(t("note", lang), key="ops_finding_note", max_chars=500)
    reviewer = _reviewer(principal, who_col, lang)
    allowed = may_operate(principal) and bool(reviewer)
    for column, state, label in (
        (ack_col, FindingState.acknowledged, "acknowledge"),
        (resolve_col, FindingState.resolved, "resolve"),
    ):
        if column.button(t(label, lang), key=f"ops_{label}", disabled=not allowed):
            engine = metric_store().engine
            review_finding(engine, key, state.value, reviewer, note)
            log(
                engine,
                principal.user,
                "finding_review",
                key,
                state=state.value,
                by=reviewer,
                note=note,
            )
            notify("success", f"{t(label, lang)}: {_label(by_key[key], lang)}")
            st.rerun()


def _reviewer(principal: Principal, column: DeltaGenerator, lang: Lang) -> str:
    """Who the verdict is recorded under: the signed-in user; before sign-in every session
    is the embedded default user, so the operator types a name (kept for the session)."""
    if principal.user != DEFAULT_PRINCIPAL.user:
        column.text_input(
            t("reviewed_by", lang), value=principal.user, disabled=True, key="ops_reviewer_fixed"
        )
        return principal.user
    return column.text_input(t("reviewed_by", lang), key="ops_reviewer", max_chars=64).strip()


def _reopened(lang: Lang) -> str:
    return f"{finding_state_name(FindingState.open, lang)}（{t('reopened', lang)}）"


def _label(item: FindingItem, lang: Lang) -> str:
    f = item.latest
    parts = [check_name(f.check_name, lang), f.source, f.indicator_code, f.area, f.period]
    return " · ".join(part for part in parts if part)
