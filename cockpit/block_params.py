"""A block's parameters as form fields, read from its parameters model, so a bureau head picks
indicators, a topic or a chart type from lists instead of typing YAML. Streamlit-free: the
page lays the fields out; turning the form's values back into parameters is tested here."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from indicators.model import DOMAIN_NAMES_ZH, Domain
from indicators.registry import Catalog

Widget = Literal["indicator", "indicators", "choice", "text", "long_text"]
ALL = ""  # the choice of an optional domain or topic left open
TOPIC = "topic"  # a domain and a topic are picked together as one "domain/topic" value
LABELS_ZH = {
    "title": "标题",
    "subtitle": "副标题",
    "text": "正文（Markdown）",
    "code": "指标",
    "codes": "指标（可多选，按所选顺序）",
    "domain": "领域",
    TOPIC: "主题",
    "kind": "图表类型",
}
CHOICE_LABELS_ZH = {
    "trend": "走势与目标",
    "yoy": "同比增速",
    "districts": "分区域对比",
    ALL: "（全部）",
}


@dataclass(frozen=True)
class ParamField:
    name: str
    widget: Widget
    label_zh: str
    options: tuple[tuple[str, str], ...] = ()  # (value, label) for choices and indicators
    default: Any = None


def param_fields(model: type[BaseModel], catalog: Catalog) -> list[ParamField]:
    """The form for `model`, field by field in the model's order."""
    names = list(model.model_fields)
    indicators = tuple((ind.code, f"{ind.name_zh}（{ind.code}）") for ind in catalog)
    fields = []
    for name, info in model.model_fields.items():
        default = None if info.is_required() else info.default
        label = LABELS_ZH.get(name, name)
        if name == "domain" and TOPIC in names:
            continue  # picked with the topic
        if name == TOPIC and "domain" in names:
            topics = tuple(
                (f"{domain}/{key}", f"{DOMAIN_NAMES_ZH[domain]} · {topic.name_zh}")
                for (domain, key), topic in catalog.topics.items()
            )
            fields.append(ParamField(TOPIC, "choice", label, ((ALL, "（不按主题）"), *topics), ALL))
        elif name == "code":
            fields.append(ParamField(name, "indicator", label, indicators, default))
        elif name == "codes":
            fields.append(ParamField(name, "indicators", label, indicators, default or ()))
        elif choices := _choices(info.annotation):
            fields.append(ParamField(name, "choice", label, choices, default or ALL))
        elif name == "text":
            fields.append(ParamField(name, "long_text", label, (), default or ""))
        else:
            fields.append(ParamField(name, "text", label, (), default or ""))
    return fields


def _choices(annotation: Any) -> tuple[tuple[str, str], ...]:
    """The values of a Literal or an Enum (optional ones offer 全部 first); () otherwise."""
    args = typing.get_args(annotation)
    optional = type(None) in args
    inner = [a for a in args if a is not type(None)] if optional else [annotation]
    values: list[str] = []
    for kind in inner:
        if typing.get_origin(kind) is Literal:
            values += [str(v) for v in typing.get_args(kind)]
        elif isinstance(kind, type) and issubclass(kind, Enum):
            values += [str(member.value) for member in kind]
    if not values:
        return ()
    labelled = tuple((v, _choice_label(v)) for v in values)
    return ((ALL, CHOICE_LABELS_ZH[ALL]), *labelled) if optional else labelled


def _choice_label(value: str) -> str:
    if value in Domain.__members__:
        return DOMAIN_NAMES_ZH[Domain(value)]
    return CHOICE_LABELS_ZH.get(value, value)


def form_values(params: dict[str, Any], fields: list[ParamField]) -> dict[str, Any]:
    """What each field shows for a block's current parameters."""
    values = {}
    for field in fields:
        if field.name == TOPIC:
            domain, topic = params.get("domain"), params.get(TOPIC)
            values[TOPIC] = f"{domain}/{topic}" if domain and topic else ALL
        elif field.widget == "indicators":
            values[field.name] = list(params.get(field.name, field.default))
        else:
            value = params.get(field.name, field.default)
            values[field.name] = "" if value is None else value
    return values


def params_from_form(values: dict[str, Any], fields: list[ParamField]) -> dict[str, Any]:
    """The parameters the form says, leaving out what equals the default (so a saved template
    stays as short as one written by hand)."""
    params: dict[str, Any] = {}
    for field in fields:
        value = values.get(field.name)
        if field.name == TOPIC:
            if value:
                params["domain"], params[TOPIC] = str(value).split("/", 1)
            continue
        if field.widget == "indicators":
            value = list(value or [])
        if value in (None, "", []) or value == field.default or value == list(field.default or ()):
            continue
        params[field.name] = value
    return params
