"""月度简报: a bureau head assembles the month's briefing from blocks (dragged into order, or
moved with the buttons), sets each block's parameters, sees it as it will print, and exports
the PDF. Templates load from the shipped set or the bureau's own, and save back as YAML."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
import yaml
from streamlit.delta_generator import DeltaGenerator

from cockpit.app.plain import as_plain_text
from cockpit.app.routes import BRIEFING
from cockpit.app.shell import page_header, view_state
from cockpit.app.sortables import dragged_order
from cockpit.briefing_editor import Draft
from cockpit.data_access import data_version, indicator_freshness, metric_store, shipped_catalog
from cockpit.session import current_principal
from indicators.model import Frequency
from indicators.periods import Period
from indicators.settings import cockpit_home, local_today
from indicators.store.briefings import BriefingRecord, archive_briefing
from reports.blocks import kinds
from reports.build import Briefing, briefing_month, build_briefing
from reports.document import RenderError, render_pdf
from reports.model import (
    BriefingTemplate,
    TemplateError,
    load_template,
    save_template,
    saved_templates,
    shipped_templates,
)

DRAFT_KEY = "briefing_draft"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OWN_TEMPLATES = "briefing_templates"  # under COCKPIT_HOME: <bureau>/<name>.yaml
PREVIEW_HEIGHT = 1100
DEFAULT_TEMPLATE = "monthly-economy"
MONTHS = 12  # months offered, the latest complete first


def render() -> None:
    today = local_today()
    page_header(view_state(today), BRIEFING, today, view_controls=False)
    folder = cockpit_home() / OWN_TEMPLATES
    shipped = sorted(shipped_templates().items(), key=lambda item: item[0] != DEFAULT_TEMPLATE)
    choices = {name: str(path) for name, path in [*shipped, *saved_templates(folder).items()]}
    pick_col, month_col = st.columns([3, 1])
    chosen = pick_col.selectbox(
        "模板",
        list(choices),
        format_func=lambda name: _title(name, choices),
        key="briefing_template",
    )
    latest = Period.latest_complete(Frequency.month, today)
    months = [(latest - back).label for back in range(MONTHS)]
    month = month_col.selectbox("统计月份", months, key="briefing_month")
    draft = _draft(chosen, choices[chosen])
    library, preview = st.columns([1, 2])
    with library:
        changed = _assemble(draft)
    if changed is not None:  # a button changed the draft: show the new one everywhere
        st.session_state[DRAFT_KEY] = (chosen, changed)
        st.rerun()
    st.session_state[DRAFT_KEY] = (chosen, draft)
    with preview:
        _preview_and_export(draft, month, folder)


def _title(name: str, choices: dict[str, str]) -> str:
    try:
        return f"{load_template(choices[name])[0].title}（{name}）"
    except TemplateError:
        return name


def _draft(name: str, path: str) -> Draft:
    """The draft being edited, or the chosen template's when another template is picked."""
    held = st.session_state.get(DRAFT_KEY)
    if held and held[0] == name:
        return held[1]
    template, _ = load_template(path)
    return Draft.of(template)


def _assemble(draft: Draft) -> Draft | None:
    """The draft as a button or a drag changed it, or None when nothing changed."""
    available = kinds()
    titles = {kind: spec.title_zh for kind, spec in available.items()}
    add_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    kind = add_col.selectbox("组件库", list(titles), format_func=titles.get, key="briefing_kind")
    if button_col.button("添加", key="briefing_add"):
        return draft.added(kind, _default_params(kind))
    ids = {f"{titles.get(b.kind, b.kind)} · #{b.id}": b.id for b in draft.blocks}
    st.caption("拖动排序（或用下方按钮）")
    order = dragged_order(list(ids), "briefing_order")
    if order != list(ids):
        return draft.reordered([ids[label] for label in order])
    if not ids:
        return None
    picked = st.selectbox("选择组件", list(ids), key="briefing_block")
    block_id = ids[picked]
    up, down, remove = st.columns(3)
    if up.button("上移", key="briefing_up"):
        return draft.moved(block_id, -1)
    if down.button("下移", key="briefing_down"):
        return draft.moved(block_id, +1)
    if remove.button("删除", key="briefing_remove"):
        return draft.removed(block_id)
    block = next(b for b in draft.blocks if b.id == block_id)
    text = st.text_area(
        "参数（YAML）",
        yaml.safe_dump(block.params, allow_unicode=True, sort_keys=False) if block.params else "",
        key=f"briefing_params_{block_id}",
        height=180,
    )
    if st.button("应用参数", key="briefing_apply"):
        try:
            params = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            st.error(as_plain_text(f"参数不是有效的 YAML：{exc}".splitlines()[0]))
            return None
        if not isinstance(params, dict):
            st.error("参数应为“名称: 值”的映射")
            return None
        return draft.with_params(block_id, params)
    return None


def _default_params(kind: str) -> dict[str, object]:
    """What a new block needs to be valid at once (the user edits it after)."""
    if kind in ("headline", "narrative"):
        return {"codes": ["ECO_GDP_GROWTH"]}
    if kind == "kpi_table":
        return {"domain": "economic", "topic": "consumption"}
    if kind == "free_text":
        return {"title": "工作动态", "text": "（请填写）"}
    return {}


def _preview_and_export(draft: Draft, month_label: str, folder: object) -> None:
    catalog = shipped_catalog()
    today = local_today()
    try:
        template = draft.template()
        month = briefing_month(month_label, today)
        briefing = build_briefing(
            template, f"模板 {draft.name}", month, metric_store(), catalog,
            indicator_freshness(data_version(), today),
        )  # fmt: skip
    except (TemplateError, ValueError) as exc:
        st.error(as_plain_text(str(exc), 500))
        return
    export_col, save_col = st.columns(2)
    for label, kind in (("生成 PDF", "pdf"), ("生成 Word", "docx")):
        if export_col.button(label, key=f"briefing_{kind}"):
            _export(briefing, template, month, kind, export_col)
    bureau = save_col.text_input("保存为本单位模板（单位名称）", key="briefing_bureau")
    if save_col.button("保存模板", key="briefing_save", disabled=not bureau.strip()):
        try:
            path = save_template(template, folder, bureau.strip())  # type: ignore[arg-type]
        except TemplateError as exc:
            st.error(as_plain_text(str(exc)))
        else:
            st.success(as_plain_text(f"已保存：{path.name}（{datetime.now(UTC):%Y-%m-%d}）"))
    st.iframe(briefing.html(), height=PREVIEW_HEIGHT)


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
            created_at=datetime.now(UTC),
            format=kind,
            load_runs=briefing.load_runs,
            file_name=file_name,
            content=content,
        ),
    )  # fmt: skip
    column.caption(f"已存档，编号 {archived}")
    column.download_button(
        f"下载 {kind.upper() if kind == 'pdf' else 'Word'}", content, file_name=file_name,
        mime=MIME[kind], key=f"briefing_{kind}_download", on_click="ignore",
    )  # fmt: skip
