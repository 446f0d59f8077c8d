"""The /briefing page's output side: the live preview, PDF and Word export (each archived
in the store with who made it and the load runs it read), saving the draft as a bureau's
template, and the archive to find and download a briefing again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import streamlit as st
import yaml
from streamlit.delta_generator import DeltaGenerator

from cockpit.app.plain import as_plain_text
from cockpit.briefing_editor import Draft
from cockpit.data_access import (
    data_version,
    indicator_freshness,
    metric_store,
    session_visible,
    shipped_catalog,
)
from cockpit.session import Principal, Role, current_principal
from indicators.formatting import local_time
from indicators.periods import Period
from indicators.settings import local_today
from indicators.store.audit import log
from indicators.store.briefings import (
    ArchivedBriefing,
    BriefingCorrupt,
    BriefingNotFound,
    BriefingRecord,
    archive_briefing,
    briefing_content,
    briefings,
)
from reports.build import Briefing, briefing_month, build_briefing, freshness_date
from reports.document import RenderError, render_pdf
from reports.model import BriefingTemplate, TemplateError, save_template, template_path

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PREVIEW_HEIGHT = 1100


def preview_and_export(draft: Draft, month_label: str, folder: Path) -> None:
    catalog = shipped_catalog()
    today = local_today()
    try:
        template = draft.template()
        month = briefing_month(month_label, today)
        briefing = build_briefing(
            template, f"模板 {draft.name}", month, metric_store(), catalog,
            indicator_freshness(data_version(), freshness_date(month, today)),
            visible=session_visible(),
        )  # fmt: skip
    except (TemplateError, ValueError) as exc:
        st.error(as_plain_text(str(exc), 500))
        return
    export_col, save_col = st.columns(2)
    for label, kind in (("生成 PDF", "pdf"), ("生成 Word", "docx")):
        if export_col.button(label, key=f"briefing_{kind}"):
            _export(briefing, template, month, kind, export_col)
    with export_col:
        _archive()
    _save(template, folder, save_col)
    st.iframe(briefing.html(), height=PREVIEW_HEIGHT)


def _save(template: BriefingTemplate, folder: Path, column: DeltaGenerator) -> None:
    """Save the draft as a bureau's own template, under the name given. A bureau head saves
    for their own bureau only; leaders and administrators, who serve every bureau, name it."""
    principal = current_principal(st.session_state)
    bureau = template_bureau(principal)
    if bureau is None:
        bureau = column.text_input("保存为本单位模板（单位名称）", key="briefing_bureau")
    else:
        column.caption(f"保存为本单位模板：{bureau or '（账号未设所属单位，无法保存）'}")
    name = column.text_input("模板名称", template.name, key=f"briefing_save_name_{template.name}")
    if not column.button("保存模板", key="briefing_save", disabled=not bureau.strip()):
        return
    try:
        named = BriefingTemplate.model_validate(template.model_dump() | {"name": name.strip()})
        existed = template_path(named, folder, bureau.strip()).exists()
        path = save_template(named, folder, bureau.strip())
    except (TemplateError, ValueError) as exc:
        column.error(as_plain_text(str(exc).splitlines()[0]))
        return
    log(
        metric_store().engine, principal.user, "template_save",
        f"{path.parent.name}/{path.stem}", replaced=existed,
    )  # fmt: skip
    column.success(as_plain_text(f"已保存：{path.name}（{datetime.now(UTC):%Y-%m-%d}）"))


def template_bureau(principal: Principal) -> str | None:
    """The bureau a bureau head's templates belong to ('' when their account names none);
    None for the roles that may save and read every bureau's."""
    return principal.bureau or "" if principal.role is Role.bureau_head else None


ARCHIVE_SHOWN = 50


def _archive() -> None:
    """The briefings generated before, newest first: pick one and download it again."""
    with st.expander("已存档简报"):
        engine = metric_store().engine
        principal = current_principal(st.session_state)
        # A bureau head finds their own (made by them or for their bureau); the figures of a
        # leader's briefing may be ones they are not cleared for.
        mine = (principal.user, principal.bureau) if principal.role is Role.bureau_head else None
        archived = {b.id: b for b in briefings(engine, limit=ARCHIVE_SHOWN, mine=mine)}
        if not archived:
            st.caption("尚无存档。")
            return
        picked = st.selectbox(
            "存档",
            list(archived),
            format_func=lambda i: _archive_label(archived[i]),
            key="briefing_archive_pick",
        )
        try:
            found, content = briefing_content(engine, picked)
        except (BriefingNotFound, BriefingCorrupt) as exc:
            st.error(as_plain_text(str(exc)))
            return
        st.download_button(
            f"下载 {found.file_name}", content, file_name=found.file_name,
            mime=MIME.get(found.format, "application/octet-stream"),
            key="briefing_archive_download", on_click="ignore",
        )  # fmt: skip


def _archive_label(b: ArchivedBriefing) -> str:
    made = local_time(b.created_at)
    return f"#{b.id} {b.template} {b.period} {b.format.upper()} · {b.author} · {made}"


MIME = {"pdf": "application/pdf", "docx": DOCX_MIME}


def _export(
    briefing: Briefing, template: BriefingTemplate, month: Period, kind: str, column: DeltaGenerator
) -> None:
    """Render, archive (every generated briefing is kept in the store, with who and what it
    read) and offer the file for download."""
    try:
        content = briefing.docx() if kind == "docx" else render_pdf(briefing.html())
    except RenderError as exc:
        st.error(as_plain_text(str(exc)))
        return
    file_name = f"{template.title}-{month.label}.{kind}"
    archived = archive_briefing(
        metric_store().engine,
        BriefingRecord(
            template=template.name,
            template_text=yaml.safe_dump(
                template.model_dump(mode="json", exclude_none=True), allow_unicode=True,
                sort_keys=False,
            ),
            period=month.label,
            author=current_principal(st.session_state).user,
            bureau=current_principal(st.session_state).bureau,
            created_at=datetime.now(UTC),
            format=kind,
            load_runs=briefing.load_runs,
            file_name=file_name,
            content=content,
        ),
    )  # fmt: skip
    log(
        metric_store().engine, current_principal(st.session_state).user, "briefing_export",
        file_name, template=template.name, period=month.label, format=kind, briefing=archived,
    )  # fmt: skip
    column.caption(f"已存档，编号 {archived}")
    column.download_button(
        f"下载 {kind.upper() if kind == 'pdf' else 'Word'}", content, file_name=file_name,
        mime=MIME[kind], key=f"briefing_{kind}_download", on_click="ignore",
    )  # fmt: skip
