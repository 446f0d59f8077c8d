"""月度简报: a bureau head assembles the month's briefing from blocks (dragged into order, or
moved with the buttons), sets each block's parameters in a form made from the block's
parameters model (or as YAML), sees it as it will print, and exports the PDF or Word file.
Templates load from the shipped set or the bureau's own, and save back as YAML."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from cockpit.app.briefing_output import preview_and_export, template_bureau
from cockpit.app.briefing_params import (
    forget_param_widgets,
    param_form,
    param_yaml,
    template_problem,
)
from cockpit.app.plain import as_plain_text
from cockpit.app.routes import BRIEFING
from cockpit.app.shell import page_header, view_state
from cockpit.app.sortables import dragged_briefing
from cockpit.briefing_drag import arranged, library_labels
from cockpit.briefing_editor import Draft, new_block_params
from cockpit.data_access import shipped_screens, viewer_catalog
from cockpit.session import current_principal
from indicators.model import Frequency
from indicators.periods import Period
from indicators.screens import OVERVIEW
from indicators.settings import cockpit_home, local_today
from reports.blocks import kinds
from reports.model import (
    TemplateError,
    load_template,
    saved_templates,
    shipped_templates,
)

DRAFT_KEY = "briefing_draft"
OWN_TEMPLATES = "briefing_templates"  # under COCKPIT_HOME: <bureau>/<name>.yaml
DEFAULT_TEMPLATE = "monthly-economy"
MONTHS = 12  # months offered, the latest complete first


def render() -> None:
    today = local_today()
    page_header(view_state(today), BRIEFING, today, view_controls=False)
    folder = cockpit_home() / OWN_TEMPLATES
    shipped = sorted(shipped_templates().items(), key=lambda item: item[0] != DEFAULT_TEMPLATE)
    saved = saved_templates(folder, template_bureau(current_principal(st.session_state)))
    choices = {name: str(path) for name, path in [*shipped, *saved.items()]}
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
        changed = _document_info(draft) or _assemble(draft)
    if changed is not None:  # a button changed the draft: show the new one everywhere
        st.session_state[DRAFT_KEY] = (chosen, changed)
        st.rerun()
    st.session_state[DRAFT_KEY] = (chosen, draft)
    with preview:
        preview_and_export(draft, month, folder)


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
    forget_param_widgets()
    return Draft.of(template)


def _document_info(draft: Draft) -> Draft | None:
    """The 报头 a bureau puts on its briefing: title, issuing unit, classification marking."""
    with st.expander("文档信息（标题、发文单位、密级）"), st.form("briefing_meta", border=False):
        title = st.text_input("标题", draft.title, key="briefing_meta_title")
        issuer = st.text_input("发文单位", draft.issuer, key="briefing_meta_issuer")
        marking = st.text_input("密级标识", draft.classification, key="briefing_meta_marking")
        if not st.form_submit_button("应用", key="briefing_meta_apply"):
            return None
    changed = replace(
        draft, title=title.strip(), issuer=issuer.strip(), classification=marking.strip()
    )
    problem = template_problem(changed)
    if problem:
        st.error(as_plain_text(problem, 500))
        return None
    return changed


def _assemble(draft: Draft) -> Draft | None:
    """The draft as a button or a drag changed it, or None when nothing changed."""
    available = kinds()
    titles = {kind: spec.title_zh for kind, spec in available.items()}
    add_col, button_col = st.columns([3, 1], vertical_alignment="bottom")
    kind = add_col.selectbox("组件库", list(titles), format_func=titles.get, key="briefing_kind")
    if button_col.button("添加", key="briefing_add"):
        return draft.added(kind, _default_params(kind))
    ids = {f"{titles.get(b.kind, b.kind)} · #{b.id}": b.id for b in draft.blocks}
    library = library_labels(titles)
    st.caption("从组件库拖入简报、在简报内拖动排序、拖回组件库即删除（或用按钮）")
    order = dragged_briefing(list(library), list(ids), "briefing_order")
    if order != list(ids):
        return arranged(draft, order, ids, library, _default_params)
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
    params = param_form(block)
    if params is None:  # an empty mapping is an answer too (every parameter at its default)
        params = param_yaml(block)
    if params is None:
        return None
    changed = draft.with_params(block_id, params)
    problem = template_problem(changed)
    if problem:
        st.error(as_plain_text(problem, 500))
        return None
    forget_param_widgets()
    return changed


def _default_params(kind: str) -> dict[str, object]:
    return new_block_params(kind, viewer_catalog(), shipped_screens()[OVERVIEW].codes)
