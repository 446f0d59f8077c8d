"""数据新鲜度: every source and stored indicator with its status, filterable by domain,
bureau and status, under the refresh-now action."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from cockpit import i18n
from cockpit.app import ops_refresh
from cockpit.app.ops_tables import show_table, status_colours
from cockpit.i18n import Lang
from cockpit.ops_model import Board, filter_board
from cockpit.ops_texts import freshness_name, indicator_reason, source_reason, t
from cockpit.session import Principal, may_operate
from connectors.config import SourcesFile
from indicators.freshness import Freshness
from indicators.model import Domain


def render(board: Board, sources: SourcesFile | None, principal: Principal, lang: Lang) -> None:
    if sources is not None:
        ops_refresh.render(sources, may_operate(principal), lang)
    shown = _filtered(board, lang)
    names = {status.value: freshness_name(status, lang) for status in Freshness}
    colours = status_colours(names)
    st.markdown(f"**{t('sources', lang)}** · {len(shown.sources)}")
    show_table(_sources_frame(shown, names, lang), t("status", lang), colours, "ops_sources")
    st.markdown(f"**{t('indicators', lang)}** · {len(shown.indicators)}")
    show_table(
        _indicators_frame(shown, names, lang), t("status", lang), colours, "ops_indicators", 420
    )


def _filtered(board: Board, lang: Lang) -> Board:
    domain_col, bureau_col, status_col = st.columns(3)
    domains = domain_col.multiselect(
        t("filter_domain", lang),
        list(Domain),
        format_func=lambda d: i18n.domain_name(d, lang),
        key="ops_filter_domain",
        placeholder=t("all", lang),
    )
    bureaus = bureau_col.multiselect(
        t("filter_bureau", lang),
        sorted({b for row in board.sources for b in row.bureaus}),
        key="ops_filter_bureau",
        placeholder=t("all", lang),
    )
    statuses = status_col.multiselect(
        t("filter_status", lang),
        list(Freshness),
        format_func=lambda s: freshness_name(s, lang),
        key="ops_filter_status",
        placeholder=t("all", lang),
    )
    return filter_board(board, domains, bureaus, statuses)


def _when(moment: datetime | None, lang: Lang) -> str:
    return i18n.local_time(moment, lang) if moment else "—"


def _day(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _sources_frame(board: Board, names: dict[str, str], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("source", lang): row.name_zh if lang == "zh" else row.name_en,
                t("source_id", lang): row.source,
                t("status", lang): names[row.status.value],
                t("expected", lang): row.expected or "—",
                t("latest", lang): row.latest or "—",
                t("due", lang): _day(row.due),
                t("last_success", lang): _when(row.last_success_at, lang),
                t("behind", lang): f"{row.behind}/{row.indicators}",
                t("reporter", lang): row.owner,
                t("contact", lang): row.contact or "—",
                t("reason", lang): source_reason(row, lang),
            }
            for row in board.sources
        ],
        columns=_columns(
            lang,
            "source", "source_id", "status", "expected", "latest", "due",
            "last_success", "behind", "reporter", "contact", "reason",
        ),
    )  # fmt: skip


def _indicators_frame(board: Board, names: dict[str, str], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                t("indicator", lang): row.name_zh if lang == "zh" else row.name_en,
                t("code", lang): row.code,
                t("status", lang): names[row.status.value],
                t("expected", lang): row.expected,
                t("latest", lang): row.latest or "—",
                t("due", lang): _day(row.due),
                t("last_success", lang): _when(row.last_success_at, lang),
                t("owner", lang): row.owner,
                t("source_id", lang): row.source,
                t("contact", lang): row.contact or "—",
                t("reason", lang): indicator_reason(row, lang),
            }
            for row in board.indicators
        ],
        columns=_columns(
            lang,
            "indicator", "code", "status", "expected", "latest", "due",
            "last_success", "owner", "source_id", "contact", "reason",
        ),
    )  # fmt: skip


def _columns(lang: Lang, *keys: str) -> list[str]:
    return [t(key, lang) for key in keys]
