"""The draft on /briefing: blocks keep their ids while they are added, moved, dragged,
removed and given parameters, and the draft turns back into the template it came from."""

from __future__ import annotations

from cockpit.briefing_editor import Draft, new_block_params
from indicators.registry import load_catalog
from reports.model import BlockSpec, BriefingTemplate, load_template, shipped_templates

FIVE_BLOCKS = BriefingTemplate(
    name="t",
    title="测试简报",
    issuer="测试局",
    blocks=tuple(
        BlockSpec(kind=kind, params=params)
        for kind, params in (
            ("cover", {}),
            ("headline", {"codes": ["ECO_GDP"]}),
            ("narrative", {"codes": ["ECO_GDP"]}),
            ("off_target", {}),
            ("data_notes", {}),
        )
    ),
)


def draft() -> Draft:
    return Draft.of(FIVE_BLOCKS)


def kinds(d: Draft) -> list[tuple[int, str]]:
    return [(b.id, b.kind) for b in d.blocks]


def test_every_shipped_template_round_trips_through_the_draft() -> None:
    for name in shipped_templates():
        template = load_template(name)[0]
        assert Draft.of(template).template() == template, name


def test_a_district_briefing_keeps_its_area_and_marking_through_the_draft() -> None:
    template = FIVE_BLOCKS.model_copy(update={"area": "east", "classification": "秘密"})
    d = Draft.of(template)
    assert (d.area, d.classification) == ("east", "秘密")
    assert d.added("free_text", {"text": "说明"}).removed(6).template() == template


def test_blocks_are_added_with_a_new_id_moved_and_removed() -> None:
    d = draft().added("free_text", {"text": "说明"})
    assert kinds(d)[-1] == (6, "free_text")
    assert kinds(d.moved(6, -1))[-2:] == [(6, "free_text"), (5, "data_notes")]
    assert d.moved(1, -1) == d and d.moved(6, +1) == d  # the ends stay put
    assert [i for i, _ in kinds(d.removed(2))] == [1, 3, 4, 5, 6]
    assert d.added("cover").blocks[-1].id == 7


def test_a_drag_reorders_and_parameters_change_one_block() -> None:
    d = draft().reordered([3, 1])
    assert [b.id for b in d.blocks] == [3, 1, 2, 4, 5]  # the others keep their order after
    changed = d.with_params(2, {"codes": ["ECO_GDP"]})
    assert changed.blocks[2].params == {"codes": ["ECO_GDP"]}
    assert [b.params for b in changed.blocks if b.id != 2] == [
        b.params for b in d.blocks if b.id != 2
    ]


def test_a_new_block_is_about_the_first_overview_indicator_the_user_may_see() -> None:
    catalog = load_catalog().catalog
    overview = ("ECO_GDP", "ECO_GDP_GROWTH", "ECO_RETAIL")
    assert new_block_params("headline", catalog, overview) == {"codes": ["ECO_GDP"]}
    hidden_gdp = catalog.only(frozenset(catalog.indicators) - {"ECO_GDP", "ECO_GDP_GROWTH"})
    assert new_block_params("narrative", hidden_gdp, overview) == {"codes": ["ECO_RETAIL"]}
    assert new_block_params("kpi_table", hidden_gdp, overview) == {
        "domain": "economic", "topic": catalog.get("ECO_RETAIL").topic
    }  # fmt: skip
    only_air = catalog.only(frozenset({"ECL_PM25"}))  # nothing of the overview: their own
    assert new_block_params("headline", only_air, overview) == {"codes": ["ECL_PM25"]}
    assert new_block_params("headline", catalog.only(frozenset()), overview) == {}
    assert new_block_params("free_text", catalog.only(frozenset()), overview)["title"] == "工作动态"
