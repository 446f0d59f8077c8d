"""Restricted indicators are absent, not blurred, for users without clearance: who may see
what, and that a screen, the catalog a briefing reads and the briefing's blocks leave the
others out entirely while figures are still computed from the whole catalog."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from cockpit.clearance import may_see, visible_codes
from cockpit.screen_model import build_screen
from cockpit.session import Principal, Role
from indicators.describe import HIDDEN, method_zh
from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.screens import Screen, ScreenRow
from indicators.snapshot import SnapshotBuilder
from reports.blocks import kinds
from reports.build import for_reader
from reports.context import BriefingContext
from tests.briefing_meta import META
from tests.catalog_builder import indicator, make_catalog

OWN = "市统计局"
RATE = {"unit": "%", "nature": "rate", "growth": "none"}


def catalog() -> Catalog:
    """PUB (public, another bureau's), MINE (internal, the bureau head's own), SECRET
    (restricted, another bureau's, far below its target) and OTHER (internal, another's)."""
    return make_catalog(
        indicator("PUB", owner="市商务局", sensitivity="public"),
        indicator("MINE", owner=OWN, sensitivity="internal"),
        indicator(
            "SECRET", owner="市自然资源局", sensitivity="restricted",
            target={"basis": "level", "value": 100}, rag={"rule": "threshold", "amber": 90},
        ),
        indicator("OTHER", owner="市商务局", sensitivity="internal"),
    )  # fmt: skip


def person(role: Role, bureau: str | None = None) -> Principal:
    return Principal("u", "某人", role, bureau)


@pytest.mark.parametrize(
    ("role", "bureau", "seen"),
    [
        (Role.leader, None, {"PUB", "MINE", "SECRET", "OTHER"}),
        (Role.admin, None, {"PUB", "MINE", "SECRET", "OTHER"}),
        (Role.operator, None, {"PUB", "MINE", "OTHER"}),
        (Role.bureau_head, OWN, {"PUB", "MINE"}),
        (Role.bureau_head, None, {"PUB"}),
    ],
)
def test_who_sees_which_indicator(role: Role, bureau: str | None, seen: set[str]) -> None:
    assert visible_codes(catalog(), person(role, bureau)) == seen


def test_a_bureau_heads_own_restricted_indicator_is_theirs_to_see() -> None:
    secret = catalog().get("SECRET")
    assert may_see(person(Role.bureau_head, "市自然资源局"), secret)
    assert not may_see(person(Role.operator), secret)


def builder() -> SnapshotBuilder:
    rows = [
        (code, "2026-10", "city", value, 1, pd.Timestamp("2026-11-05", tz="UTC"))
        for code, value in (("PUB", 1.0), ("MINE", 2.0), ("SECRET", 50.0), ("OTHER", 3.0))
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    return SnapshotBuilder(catalog(), pd.DataFrame(rows, columns=columns))


def test_a_screen_leaves_out_tiles_rows_and_attention_it_may_not_show() -> None:
    screen = Screen(
        "overview",
        (ScreenRow("economic", ("PUB", "SECRET")), ScreenRow("service", ("SECRET",))),
        (),
    )
    everything = build_screen(builder(), screen, "city", date(2026, 11, 25), None)
    assert [t.code for t in everything.rows[0].tiles] == ["PUB", "SECRET"]
    assert [e.code for e in everything.attention] == ["SECRET"]  # far off target
    cleared = visible_codes(catalog(), person(Role.bureau_head, OWN))
    shown = build_screen(builder(), screen, "city", date(2026, 11, 25), None, "zh", cleared)
    assert [[t.code for t in row.tiles] for row in shown.rows] == [["PUB"]]  # a row emptied goes
    assert shown.attention == () and shown.attention_total == 0


def test_a_briefing_block_keeps_only_what_its_reader_may_see() -> None:
    shown = catalog().only(frozenset({"PUB", "MINE"}))
    headline = kinds()["headline"].params.model_validate({"codes": ["SECRET", "PUB"]})
    assert for_reader(headline, shown).codes == ("PUB",)
    only_hidden = kinds()["narrative"].params.model_validate({"codes": ["SECRET"]})
    assert for_reader(only_hidden, shown) is None  # the whole block is left out
    chart = kinds()["chart"].params.model_validate({"code": "SECRET"})
    assert for_reader(chart, shown) is None and for_reader(chart, catalog()) == chart
    notes = kinds()["data_notes"].params.model_validate({})
    assert for_reader(notes, shown) == notes


def test_the_off_target_list_leaves_out_what_its_author_may_not_see() -> None:
    params = kinds()["off_target"].params.model_validate({})
    october = Period.parse("2026-10")

    def listed(shown: Catalog) -> str:
        ctx = BriefingContext(shown, builder(), october, "city", META)
        return kinds()["off_target"].build(ctx, params, "s1").html

    assert "<td>SECRET</td>" in listed(catalog())
    hidden = listed(catalog().only(frozenset({"PUB", "MINE"})))
    assert "SECRET" not in hidden and "本月各项指标均达到目标或序时进度" in hidden


def test_how_a_figure_is_computed_never_names_an_input_the_reader_may_not_see() -> None:
    shipped = load_catalog(DEFAULT_CATALOG).catalog
    ratio = shipped.get("ECL_AQI_GOOD_RATIO")
    assert method_zh(ratio) == "ECL_AQI_GOOD_DAYS / ECL_AQI_VALID_DAYS×100"
    shown = shipped.only(frozenset({"ECL_AQI_GOOD_RATIO", "ECL_AQI_GOOD_DAYS"}))
    assert method_zh(ratio, shown) == f"ECL_AQI_GOOD_DAYS / {HIDDEN}×100"
    composite = shipped.get("ECL_ZERO_WASTE_INDEX")  # weights and bounds would tell too
    assert method_zh(composite, shipped.only(frozenset({composite.code}))) == (
        f"加权：5项分指标（含{HIDDEN}）"
    )
