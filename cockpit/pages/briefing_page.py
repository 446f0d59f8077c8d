"""月度简报: a bureau head assembles the month's briefing from blocks (dragged into order, or
moved with the buttons), sets each block's parameters in a form made from the block's
parameters model (or as YAML), sees it as it will print, and exports the PDF or Word file.
Templates load from the shipped set or the bureau's own, and save back as YAML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import streamlit as st
import yaml
from streamlit.delta_generator import DeltaGenerator

from cockpit.app.plain import as_plain_text
from cockpit.app.routes import BRIEFING
from cockpit.app.shell import page_header, view_state
from cockpit.app.sortables import dragged_order
from cockpit.block_params import ParamField, form_values, param_fields, params_from_form
from cockpit.briefing_editor import Draft, EditorBlock
from cockpit.data_access import data_version, indicator_freshness, metric_store, shipped_catalog
from cockpit.session import current_principal
from indicators.model import Frequency
from indicators.periods import Period
from indicators.settings import cockpit_home, local_today
from indicators.store.briefings import BriefingRecord, archive_briefing
from reports.blocks import kinds, validate
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
PARAM_PREFIX = "briefing_p_"  # every parameter widget's key starts so
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
    _forget_param_widgets()
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
    params = _param_form(block)
    if params is None:  # an empty mapping is an answer too (every parameter at its default)
        params = _param_yaml(block)
    if params is None:
        return None
    changed = draft.with_params(block_id, params)
    problem = _template_problem(changed)
    if problem:
        st.error(as_plain_text(problem, 500))
        return None
    _forget_param_widgets()
    return changed


def _param_form(block: EditorBlock) -> dict[str, Any] | None:
    """The block's parameters as a form; the new ones when 应用参数 is pressed."""
    fields = param_fields(kinds()[block.kind].params, shipped_catalog())
    shown = form_values(block.params, fields)
    values: dict[str, Any] = {}
    with st.form(f"{PARAM_PREFIX}{block.id}_form", border=False):
        for field in fields:
            key = f"{PARAM_PREFIX}{block.id}_{field.name}"
            values[field.name] = _field_widget(field, shown[field.name], key)
        applied = st.form_submit_button("应用参数", key=f"{PARAM_PREFIX}{block.id}_apply")
    return params_from_form(values, fields) if applied else None


def _field_widget(field: ParamField, value: Any, key: str) -> Any:
    labels = dict(field.options)
    if field.widget == "indicators":
        chosen = [code for code in value if code in labels]
        return st.multiselect(field.label_zh, list(labels), chosen, labels.get, key=key)
    if field.widget in ("indicator", "choice"):
        options = list(labels)
        index = options.index(value) if value in labels else None
        return st.selectbox(field.label_zh, options, index, labels.get, key=key)
    if field.widget == "long_text":
        return st.text_area(field.label_zh, str(value), key=key, height=160)
    return st.text_input(field.label_zh, str(value), key=key)


def _param_yaml(block: EditorBlock) -> dict[str, Any] | None:
    """The same parameters as YAML, for what the form does not offer; None unless applied
    and valid YAML mapping."""
    with st.expander("以 YAML 编辑参数"):
        shown = yaml.safe_dump(block.params, allow_unicode=True, sort_keys=False)
        text = st.text_area(
            "参数（YAML）",
            shown if block.params else "",
            key=f"{PARAM_PREFIX}{block.id}_yaml",
            height=160,
        )
        if not st.button("应用 YAML", key=f"{PARAM_PREFIX}{block.id}_yaml_apply"):
            return None
    try:
        params = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        st.error(as_plain_text(f"参数不是有效的 YAML：{exc}".splitlines()[0]))
        return None
    if not isinstance(params, dict):
        st.error("参数应为“名称: 值”的映射")
        return None
    return params


def _template_problem(draft: Draft) -> str | None:
    """Why the draft would not build (the template error naming the block), or None; the
    draft keeps a block's old parameters until new ones do."""
    try:
        validate(draft.template(), Path(f"模板 {draft.name}"), set(shipped_catalog().indicators))
    except TemplateError as exc:
        return str(exc)
    return None


def _forget_param_widgets() -> None:
    """Drop the parameter widgets' state, so they show the block's parameters as they are now
    (after an apply, or when another template's block reuses an id)."""
    for key in [k for k in st.session_state if str(k).startswith(PARAM_PREFIX)]:
        del st.session_state[key]


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
