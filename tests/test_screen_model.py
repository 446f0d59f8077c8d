"""A screen computed from the store: the live view rolls forward to a new period when it
arrives (nobody picks it), and the district view ranks the city's latest period."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cockpit.screen_model import EmptyTile, build_district_view, build_screen
from cockpit.tile_model import Tile
from indicators.freshness import Freshness, IndicatorFreshness
from indicators.model import Deployment
from indicators.registry import Catalog
from indicators.screens import Screen, ScreenRow
from indicators.snapshot import SnapshotBuilder
from tests.catalog_builder import indicator, make_catalog

SCREEN = Screen("economic", (ScreenRow("t", ("SALES", "CITY_ONLY")),), ("SALES",))


def catalog_with_districts() -> Catalog:
    catalog = make_catalog(
        indicator("SALES", areas="all", decimals=1, growth="computed"),
        indicator("CITY_ONLY"),
    )
    catalog.deployment = Deployment.model_validate(
        {
            "city": {"code": "city", "name_zh": "测试市", "name_en": "Test"},
            "districts": [
                {"code": "east", "name_zh": "东区", "name_en": "East District"},
                {"code": "west", "name_zh": "西区", "name_en": "West District"},
            ],
        }
    )
    return catalog


def builder(months: list[str]) -> SnapshotBuilder:
    rows = [
        (code, month, area, value, 1, pd.Timestamp("2026-12-01", tz="UTC"))
        for month in months
        for code, area, value in (
            ("SALES", "city", 30.0),
            ("SALES", "east", 10.0),
            ("SALES", "west", 20.0),
            ("CITY_ONLY", "city", 5.0),
        )
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    return SnapshotBuilder(catalog_with_districts(), pd.DataFrame(rows, columns=columns))


def first_tile(b: SnapshotBuilder, area: str, today: date) -> Tile | EmptyTile:
    return build_screen(b, SCREEN, area, today, None).rows[0].tiles[0]


def test_the_live_view_rolls_forward_when_the_new_period_lands() -> None:
    through_october = builder(["2026-09", "2026-10"])
    tile = first_tile(through_october, "city", date(2026, 11, 25))
    assert isinstance(tile, Tile) and tile.as_of == "数据截至 2026年10月"
    # December: November is over but not delivered yet; the wall keeps October…
    tile = first_tile(through_october, "city", date(2026, 12, 3))
    assert isinstance(tile, Tile) and tile.as_of == "数据截至 2026年10月"
    # …and shows November as soon as it is in the store, without anyone choosing it.
    tile = first_tile(builder(["2026-09", "2026-10", "2026-11"]), "city", date(2026, 12, 3))
    assert isinstance(tile, Tile) and tile.as_of == "数据截至 2026年11月"
    # A month not over yet is never shown, even if a value exists.
    tile = first_tile(builder(["2026-10", "2026-11", "2026-12"]), "city", date(2026, 12, 3))
    assert isinstance(tile, Tile) and tile.as_of == "数据截至 2026年11月"


def test_a_district_sees_city_only_indicators_as_such() -> None:
    view = build_screen(builder(["2026-10"]), SCREEN, "east", date(2026, 11, 25), None)
    sales, city_only = view.rows[0].tiles
    assert isinstance(sales, Tile) and sales.value == "10.0"
    assert isinstance(city_only, EmptyTile) and city_only.reason == "仅全市统计"
    assert city_only.href == "indicator?code=CITY_ONLY&area=east&from=economic"  # 返回 leads back


def test_district_view_ranks_the_citys_latest_period() -> None:
    view = build_district_view(builder(["2026-09", "2026-10"]), "SALES", date(2026, 11, 25), "en")
    assert view is not None
    assert [(f.rank, f.name, f.text) for f in view.figures] == [
        (1, "West District", "20.0"),
        (2, "East District", "10.0"),
    ]
    assert view.figure_label == "Oct 2026"  # a flow without a target reads per month


def test_an_empty_tile_says_when_its_source_never_delivered() -> None:
    never = IndicatorFreshness("SALES", "test", Freshness.never, "2026-10", None, "no runs")
    view = build_screen(builder([]), SCREEN, "city", date(2026, 11, 25), {"SALES": never})
    sales = view.rows[0].tiles[0]
    assert isinstance(sales, EmptyTile) and sales.reason == "未接入"


def test_a_district_behind_the_city_is_marked_late_itself() -> None:
    rows = [
        ("SALES", month, area, 1.0, 1, pd.Timestamp("2026-11-01", tz="UTC"))
        for month, areas in (("2026-09", ("city", "east", "west")), ("2026-10", ("city", "west")))
        for area in areas
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    b = SnapshotBuilder(catalog_with_districts(), pd.DataFrame(rows, columns=columns))
    city_current = IndicatorFreshness("SALES", "test", Freshness.fresh, "2026-10", "2026-10", "")
    today = date(2026, 11, 25)
    east = build_screen(b, SCREEN, "east", today, {"SALES": city_current}).rows[0].tiles[0]
    west = build_screen(b, SCREEN, "west", today, {"SALES": city_current}).rows[0].tiles[0]
    assert isinstance(east, Tile) and east.as_of == "数据截至 2026年9月"
    assert east.freshness is Freshness.late and east.freshness_note == "迟报 · 应有2026年10月"
    assert isinstance(west, Tile) and west.freshness is Freshness.fresh and not west.freshness_note
    view = build_screen(b, SCREEN, "east", today, {"SALES": city_current})
    assert [(a.code, a.label) for a in view.attention] == [("SALES", "数据逾期")]
