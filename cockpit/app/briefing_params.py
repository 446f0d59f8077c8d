"""The /briefing page's parameter editing: a block's parameters as a form made from its
parameters model (cockpit.block_params), or as YAML; nothing is applied that would not
build, and the widgets forget their state when the block's parameters change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from cockpit.app.plain import as_plain_text
from cockpit.block_params import ParamField, form_values, param_fields, params_from_form
from cockpit.briefing_editor import Draft, EditorBlock
from cockpit.data_access import shipped_catalog, viewer_catalog
from reports.blocks import kinds, validate
from reports.model import TemplateError

PARAM_PREFIX = "briefing_p_"  # every parameter widget's key starts so


def param_form(block: EditorBlock) -> dict[str, Any] | None:
    """The block's parameters as a form; the new ones when 应用参数 is pressed."""
    fields = param_fields(kinds()[block.kind].params, viewer_catalog())
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


def param_yaml(block: EditorBlock) -> dict[str, Any] | None:
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


def template_problem(draft: Draft) -> str | None:
    """Why the draft would not build (the template error naming the block), or None; the
    draft keeps a block's old parameters until new ones do."""
    try:
        validate(draft.template(), Path(f"模板 {draft.name}"), shipped_catalog())
    except TemplateError as exc:
        return str(exc)
    return None


def forget_param_widgets() -> None:
    """Drop the parameter widgets' state, so they show the block's parameters as they are now
    (after an apply, or when another template's block reuses an id)."""
    for key in [k for k in st.session_state if str(k).startswith(PARAM_PREFIX)]:
        del st.session_state[key]
