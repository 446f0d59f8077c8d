"""Briefing templates: the shipped ones are valid against the catalog, a bad template is
one line naming the file, the block (position and kind) and the field, before anything is
read, and a bureau's template is saved only under a name that can be a file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, load_catalog
from reports.blocks import DistrictIndicator, Problem, kinds, validate
from reports.build import build_briefing
from reports.model import (
    BlockSpec,
    BriefingTemplate,
    TemplateError,
    load_template,
    save_template,
    saved_templates,
    shipped_templates,
)

CATALOG = load_catalog(DEFAULT_CATALOG).catalog
SHIPPED = ("monthly-economy", "service-12345", "governance", "ecology", "leadership")


def test_the_five_shipped_templates_load_and_validate() -> None:
    assert tuple(sorted(shipped_templates())) == tuple(sorted(SHIPPED))
    for name in SHIPPED:
        template, path = load_template(name)
        params = validate(template, path, CATALOG)
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
        (
            [{"kind": "cover"}, {"kind": "chart_x"}],
            f"blocks[1] (chart_x): unknown block kind (known: {', '.join(kinds())})",
        ),
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
        (
            [{"kind": "cover"}, {"kind": "composite", "params": {"code": "ECO_RETAIL"}}],
            "blocks[1] (composite): params.code: ECO_RETAIL is not a composite index (kind base)",
        ),
        (
            [{"kind": "composite", "params": {"code": "ECO_NOPE"}}],
            "blocks[0] (composite): params.codes: not in the catalog: ECO_NOPE",
        ),
        (
            [{"kind": "kpi_table", "params": {"domain": "economic", "topic": "nope"}}],
            "blocks[0] (kpi_table): params.topic: no topic 'nope' in economic (known: overall, "
            "gdp, industry, investment, consumption, trade, fiscal, market, employment, "
            "prices_income, finance)",
        ),
        (  # codes chosen: a domain alone is not a topic to look up
            [{"kind": "kpi_table", "params": {"codes": ["ECO_NOPE"], "domain": "economic"}}],
            "blocks[0] (kpi_table): params.codes: not in the catalog: ECO_NOPE",
        ),
        (  # titled, it used to build an empty table
            [{"kind": "kpi_table", "params": {"title": "表", "domain": "ecology", "topic": "gdp"}}],
            "blocks[0] (kpi_table): params.topic: no topic 'gdp' in ecology (known: air, water, "
            "solid_waste, zero_waste, climate, ecosystem)",
        ),
    ],
)
def test_a_bad_block_is_named_by_position_and_kind(
    tmp_path: Path, blocks: list[dict], message: str
) -> None:
    path = write(tmp_path, {**BASE, "blocks": blocks})
    template, _ = load_template(str(path))
    with pytest.raises(TemplateError) as error:
        validate(template, path, CATALOG)
    assert str(error.value) == f"{path}: {message}"


class Unread:
    """A store that must not be read: the template is refused before."""

    def values(self, **_: object) -> None:
        raise AssertionError("the store was read before the template was checked")


def test_a_template_the_catalog_refuses_fails_before_the_store_is_read(tmp_path: Path) -> None:
    spec = {"kind": "composite", "params": {"code": "ECO_RETAIL"}}
    path = write(tmp_path, {**BASE, "blocks": [spec]})
    template, _ = load_template(str(path))
    with pytest.raises(TemplateError, match=r"^.*: blocks\[0\] \(composite\): params\.code: "):
        build_briefing(template, path, Period.parse("2026-10"), Unread(), CATALOG)  # type: ignore[arg-type]


def test_a_district_block_needs_an_indicator_published_by_district() -> None:
    city_only = DistrictIndicator(code="ECO_CPI").check(CATALOG)
    assert city_only == Problem("code", "ECO_CPI is published for the city only (areas: city)")
    assert DistrictIndicator(code="ECO_GDP_GROWTH").check(CATALOG) is None
    unknown = DistrictIndicator(code="ECO_NOPE").check(CATALOG)  # named before it is read
    assert unknown == Problem("codes", "not in the catalog: ECO_NOPE")


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


TEMPLATE = BriefingTemplate(
    name="月报", title="测试简报", issuer="测试局", blocks=(BlockSpec(kind="cover"),)
)


@pytest.mark.parametrize(
    "bureau", ["新河市统计局", "Bureau_2-(综合处)", "统计局（综合）", "a" * 64]
)
def test_a_bureau_template_is_saved_under_its_bureau(tmp_path: Path, bureau: str) -> None:
    path = save_template(TEMPLATE, tmp_path, bureau)
    assert path == tmp_path / bureau / "月报.yaml"
    assert saved_templates(tmp_path) == {f"{bureau}/月报": path}
    assert load_template(str(path))[0] == TEMPLATE


@pytest.mark.parametrize(
    ("bureau", "name", "message"),
    [
        ("统计\x00局", "月报", r"bureau '统计\x00局' cannot name a file: use Chinese characters, "),
        ("局", "../月报", "template name '../月报' cannot name a file: use Chinese characters, "),
        ("", "月报", "bureau '' cannot name a file: use Chinese characters, "),
        (".hidden", "月报", "bureau '.hidden' cannot name a file: use Chinese characters, "),
        ("统计局\n", "月报", r"bureau '统计局\n' cannot name a file: use Chinese characters, "),
        (
            "局" * 300,
            "月报",
            f"bureau '{'局' * 64}…' cannot name a file: 300 characters, at most 64",
        ),
        ("局", "报" * 65, f"template name '{'报' * 64}…' cannot name a file: 65 characters, at"),
    ],
)
def test_a_name_that_cannot_be_a_file_is_a_one_line_template_error(
    tmp_path: Path, bureau: str, name: str, message: str
) -> None:
    template = TEMPLATE.model_copy(update={"name": name})
    with pytest.raises(TemplateError) as error:
        save_template(template, tmp_path, bureau)
    assert str(error.value).startswith(message) and "\n" not in str(error.value)
    assert not any(tmp_path.iterdir())  # nothing written
