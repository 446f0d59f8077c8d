"""手工填报上传: a bureau's filled 基层填报 workbook, checked whole before anything is written;
every problem shown with its row and cell. The blank template is downloadable here too."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cockpit.app.ops_notice import alert_after_load, notify
from cockpit.app.plain import as_plain_text
from cockpit.data_access import metric_store, refresh_landed, shipped_catalog
from cockpit.i18n import Lang
from cockpit.ops_actions import MAX_UPLOAD_BYTES, import_upload
from cockpit.ops_texts import t
from cockpit.session import Principal, may_operate
from connectors.config import SourcesFile
from connectors.template import reporting_indicators, write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EVERY_BUREAU = ""


def render(sources: SourcesFile | None, principal: Principal, lang: Lang) -> None:
    _template_download(lang)
    st.caption(t("upload_help", lang))
    upload = st.file_uploader(
        t("upload_file", lang),
        type=["xlsx"],
        key="ops_upload",
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    )
    ready = upload is not None and sources is not None and may_operate(principal)
    if not st.button(t("upload_check", lang), key="ops_upload_check", disabled=not ready):
        return
    assert upload is not None and sources is not None  # the button is disabled otherwise
    result = import_upload(
        metric_store(), shipped_catalog(), sources, upload.name, upload.getvalue(),
        principal.user,
    )  # fmt: skip
    if result.outcome is not None:  # a run was recorded (loaded or refused by the load)
        refresh_landed()
        alert_after_load(lang)
    if not result.problems:
        notify(result.level, result.message(lang))
        st.rerun()
    st.error(as_plain_text(result.message(lang), 2000))
    with st.container(key="ops_upload_problems"):  # no CSV export of raw cells (formulas)
        st.dataframe(
            pd.DataFrame(
                {
                    t("location", lang): [r.location for r in result.problems],
                    t("field", lang): [r.field for r in result.problems],
                    t("value", lang): [r.value for r in result.problems],
                    t("why_rejected", lang): [r.reason for r in result.problems],
                }
            ),
            hide_index=True,
        )


def _template_download(lang: Lang) -> None:
    owners = sorted({ind.owner for ind in reporting_indicators(shipped_catalog())})
    pick_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    owner = pick_col.selectbox(
        t("template_for", lang),
        [EVERY_BUREAU, *owners],
        format_func=lambda o: o or t("all_bureaus", lang),
        key="ops_template_owner",
    )
    button_col.download_button(
        t("template_download", lang),
        blank_template(owner),
        file_name=f"基层填报-{owner or '全部单位'}.xlsx",
        mime=XLSX,
        key="ops_template_download",
        on_click="ignore",
    )


@st.cache_data(max_entries=64, show_spinner=False)
def blank_template(owner: str) -> bytes:
    """The workbook `cockpit template` writes, for one bureau or all ("")."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(shipped_catalog(), path, owner or None)
        return path.read_bytes()
