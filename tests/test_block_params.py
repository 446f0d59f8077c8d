"""A block's parameters as form fields: the right widget and choices per field, and every
shipped template's blocks survive the trip into the form and back unchanged."""

from __future__ import annotations

import pytest

from cockpit.block_params import ALL, form_values, param_fields, params_from_form
from indicators.registry import DEFAULT_CATALOG, load_catalog
from reports.blocks import kinds
from reports.model import load_template, shipped_templates

CATALOG = load_catalog(DEFAULT_CATALOG).catalog
KINDS = kinds()


def fields_of(kind: str) -> dict[str, object]:
    return {f.name: f for f in param_fields(KINDS[kind].params, CATALOG)}


def test_a_chart_picks_its_indicator_and_type_from_lists() -> None:
    fields = fields_of("chart")
    assert [(f.name, f.widget) for f in fields.values()] == [
        ("code", "indicator"), ("title", "text"), ("kind", "choice")
    ]  # fmt: skip
    assert ("ECO_RETAIL", "社会消费品零售总额（ECO_RETAIL）") in fields["code"].options
    assert len(fields["code"].options) == len(CATALOG.indicators)
    assert fields["kind"].options == (
        ("trend", "走势与目标"), ("yoy", "同比增速"), ("districts", "分区域对比")
    )  # fmt: skip
    assert fields["kind"].default == "trend"


def test_a_kpi_table_picks_domain_and_topic_together() -> None:
    fields = fields_of("kpi_table")
    assert list(fields) == ["title", "topic", "codes"]
    topic = dict(fields["topic"].options)
    assert topic[ALL] == "（不按主题）"
    assert topic["economic/industry"] == "经济运行 · 工业与能源"
    assert len(topic) == len(CATALOG.topics) + 1
    assert fields["codes"].widget == "indicators"


def test_an_optional_domain_offers_all_first() -> None:
    domain = fields_of("off_target")["domain"]
    assert domain.options[0] == (ALL, "（全部）")
    assert ("ecology", "生态环境") in domain.options and len(domain.options) == 6
    assert params_from_form({"title": "未达目标指标", "domain": ALL}, [domain]) == {}
    assert params_from_form({"domain": "ecology"}, [domain]) == {"domain": "ecology"}


def test_free_text_is_written_in_a_text_area() -> None:
    assert fields_of("free_text")["text"].widget == "long_text"


def test_values_equal_to_the_default_are_left_out() -> None:
    fields = param_fields(KINDS["chart"].params, CATALOG)
    form = {"code": "ECO_RETAIL", "title": "", "kind": "trend"}
    assert params_from_form(form, fields) == {"code": "ECO_RETAIL"}
    form["kind"] = "yoy"
    assert params_from_form(form, fields) == {"code": "ECO_RETAIL", "kind": "yoy"}


def test_a_topic_splits_back_into_domain_and_topic() -> None:
    fields = param_fields(KINDS["kpi_table"].params, CATALOG)
    values = form_values({"domain": "economic", "topic": "fiscal"}, fields)
    assert values == {"title": "", "topic": "economic/fiscal", "codes": []}
    assert params_from_form(values, fields) == {"domain": "economic", "topic": "fiscal"}


@pytest.mark.parametrize("name", sorted(shipped_templates()))
def test_every_shipped_block_survives_the_form(name: str) -> None:
    template, _ = load_template(shipped_templates()[name])
    for spec in template.blocks:
        model = KINDS[spec.kind].params
        fields = param_fields(model, CATALOG)
        again = params_from_form(form_values(dict(spec.params), fields), fields)
        assert model.model_validate(again) == model.model_validate(spec.params), spec
