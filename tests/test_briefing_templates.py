"""Briefing templates: the shipped ones are valid against the catalog, and a bad template
is one line naming the file, the block (position and kind) and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators.registry import DEFAULT_CATALOG, load_catalog
from reports.blocks import kinds, validate
from reports.model import TemplateError, load_template, shipped_templates

CODES = set(load_catalog(DEFAULT_CATALOG).catalog.indicators)
SHIPPED = ("monthly-economy", "service-12345", "governance", "ecology", "leadership")


def test_the_five_shipped_templates_load_and_validate() -> None:
    assert tuple(sorted(shipped_templates())) == tuple(sorted(SHIPPED))
    for name in SHIPPED:
        template, path = load_template(name)
        params = validate(template, path, CODES)
        assert len(params) == len(template.blocks)
        assert template.blocks[0].kind == "cover"


def test_every_block_kind_is_registered_once_with_a_chinese_name() -> None:
    registered = kinds()
    assert set(registered) == {
        "cover", "headline", "kpi_table", "narrative", "free_text", "off_target", "data_notes",
        "chart", "ranking", "composite", "district_map",
    }  # fmt: skip
    assert all(kind.title_zh for kind in registered.values())


def write(tmp_path: Path, template: dict) -> Path:
    path = tmp_path / "我的简报.yaml"
    path.write_text(yaml.safe_dump(template, allow_unicode=True), encoding="utf-8")
    return path


BASE = {"name": "t", "title": "测试简报", "issuer": "测试局"}


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([{"kind": "cover"}, {"kind": "chart_x"}], "blocks[1] (chart_x): unknown block kind"),
        (
            [{"kind": "kpi_table", "params": {"domain": "economic"}}],
            "blocks[0] (kpi_table): params: give either codes or domain and topic",
        ),
        (
            [{"kind": "headline", "params": {"codes": ["ECO_GDP", "ECO_NOPE"]}}],
            "blocks[0] (headline): params.codes: not in the catalog: ECO_NOPE",
        ),
        (
            [{"kind": "free_text", "params": {"text": "x", "colour": "red"}}],
            "blocks[0] (free_text): params.colour: Extra inputs are not permitted",
        ),
    ],
)
def test_a_bad_block_is_named_by_position_and_kind(
    tmp_path: Path, blocks: list[dict], message: str
) -> None:
    path = write(tmp_path, {**BASE, "blocks": blocks})
    template, _ = load_template(str(path))
    with pytest.raises(TemplateError) as error:
        validate(template, path, CODES)
    assert str(error.value).startswith(f"{path}: {message}")


def test_a_block_without_kind_and_a_missing_title_are_named(tmp_path: Path) -> None:
    path = write(tmp_path, {**BASE, "blocks": [{"kind": "cover"}, {"params": {}}]})
    with pytest.raises(TemplateError, match=r"blocks\[1\] \(\?\): kind: Field required"):
        load_template(str(path))
    path = write(tmp_path, {"name": "t", "issuer": "x", "blocks": [{"kind": "cover"}]})
    with pytest.raises(TemplateError, match=r"我的简报.yaml: title: Field required"):
        load_template(str(path))


def test_an_unknown_template_lists_the_shipped_ones() -> None:
    with pytest.raises(TemplateError) as error:
        load_template("monthly-nope")
    assert str(error.value).startswith("monthly-nope: no such template file or shipped template")
    assert "monthly-economy" in str(error.value)
