"""A tile states the snapshot's figures: the headline (累计 where read so), 同比/环比 with
their tone, 完成率 against 序时进度 or the target and gap, the period, and staleness."""

from __future__ import annotations

import base64
import re

from cockpit.app.tiles_html import attention_html, grid_html, sparkline_svg, tile_html
from cockpit.screen_model import AttentionEntry, EmptyTile, TileRow
from cockpit.tile_model import build_tile, indicator_href
from indicators.attention import Concern
from indicators.freshness import Freshness, IndicatorFreshness
from indicators.model import Direction
from indicators.periods import Period
from indicators.reading import Tone, tone_of
from indicators.snapshot import SnapshotBuilder
from tests.catalog_builder import indicator, make_catalog, stored_values

OCTOBER = Period.parse("2026-10")


def sales_builder() -> SnapshotBuilder:
    """Monthly sales of 10 亿元 (9 last year) against an annual target of 130."""
    catalog = make_catalog(
        indicator(
            "SALES",
            name_zh="销售额<b>",
            unit="亿元",
            decimals=2,
            target={"basis": "annual_total", "value": 130},
            rag={"rule": "schedule", "amber_points": 10},
        ),
        indicator(
            "RATE",
            unit="%",
            nature="rate",
            direction="down",
            target={"basis": "level", "value": 5.0},
            rag={"rule": "threshold", "amber": 6.0},
        ),
    )
    months = {f"2025-{m:02d}": 9.0 for m in range(1, 13)} | {
        f"2026-{m:02d}": 10.0 for m in range(1, 11)
    }
    rates = {"2025-10": 5.5, "2026-09": 5.0, "2026-10": 5.4}
    return SnapshotBuilder(catalog, stored_values({"SALES": months, "RATE": rates}))


def test_a_ytd_tile_shows_the_ytd_its_growth_and_progress_against_schedule() -> None:
    snap = sales_builder().snapshot("SALES", OCTOBER, "city")
    tile = build_tile(snap, None)
    assert tile.value == "100.00" and tile.unit == "亿元"  # 1-10月累计, two decimals
    assert tile.figure_label == "1-10月累计"
    [yoy] = tile.changes  # no 环比 of a 累计
    assert (yoy.label, yoy.text, yoy.tone) == ("同比", "+11.1%", Tone.good)
    assert tile.progress is not None
    assert round(tile.progress.attainment, 1) == 76.9 and round(tile.progress.schedule, 1) == 83.3
    assert tile.progress.text == "完成 76.9% · 序时 83.3%"
    assert tile.status.value == "amber"  # 6.4 points behind, within 10
    assert tile.as_of == "数据截至 2026年10月" and tile.freshness is Freshness.fresh
    assert tile.href == "indicator?code=SALES&area=city&period=2026-10"
    assert tile.sparkline[-1] == 100.0 and len(tile.sparkline) == 12


def test_a_rate_tile_shows_points_and_the_gap_to_its_level() -> None:
    snap = sales_builder().snapshot("RATE", OCTOBER, "city")
    tile = build_tile(snap, None)
    assert tile.value == "5.4" and tile.figure_label == "2026年10月"
    assert [(c.label, c.text, c.tone) for c in tile.changes] == [
        ("同比", "-0.1个百分点", Tone.good),  # lower is better
        ("环比", "+0.4个百分点", Tone.bad),
    ]
    assert tile.progress is None
    assert tile.target == "目标 ≤5% · 差距 +0.4个百分点"
    english = build_tile(snap, None, "en")
    assert english.target == "Target ≤5% · Gap +0.4pp"
    assert [c.text for c in english.changes] == ["-0.1pp", "+0.4pp"]
    assert english.as_of == "Data as of Oct 2026"


def test_a_stale_tile_says_so_in_text_and_style() -> None:
    snap = sales_builder().snapshot("SALES", Period.parse("2026-09"), "city")
    behind = IndicatorFreshness("SALES", "test", Freshness.stale, "2026-10", "2026-09", "x")
    tile = build_tile(snap, behind)
    assert tile.freshness_note == "逾期 · 应有2026年10月"
    html = tile_html(tile, "zh")
    assert "kpi-stale" in html and "逾期 · 应有2026年10月" in html
    assert "kpi-stale" not in tile_html(build_tile(snap, None), "zh")


def test_html_escapes_names_and_keeps_links_relative() -> None:
    snap = sales_builder().snapshot("SALES", OCTOBER, "city")
    html = grid_html([TileRow("经济<i>", (build_tile(snap, None),))], "zh")
    assert "销售额&lt;b&gt;" in html and "<b>" not in html and "经济&lt;i&gt;" in html
    assert 'href="indicator?code=SALES&amp;area=city&amp;period=2026-10"' in html
    empty = grid_html(
        [
            TileRow(
                "x",
                (EmptyTile("X", "某指标", "仅全市统计", indicator_href("X", "east", None, "zh")),),
            )
        ],
        "zh",
    )
    assert "仅全市统计" in empty and 'href="indicator?code=X&amp;area=east"' in empty


def test_sparkline_is_an_svg_image_with_gaps_breaking_the_line() -> None:
    html = sparkline_svg([1.0, 2.0, None, 3.0, 4.0, 5.0])
    encoded = re.search(r'base64,([A-Za-z0-9+/=]+)"', html)
    assert encoded is not None
    svg = base64.b64decode(encoded.group(1)).decode()
    lines = re.findall(r'points="([^"]+)"', svg)
    assert len(lines) == 2  # [1, 2] and [3, 4, 5]
    assert lines[0] == "0.0,22.0 20.0,17.0" and lines[1].endswith("100.0,2.0")
    assert sparkline_svg([None, 1.0]) == '<div class="spark"></div>'


def test_attention_list_html() -> None:
    entry = AttentionEntry(
        "X",
        "指标<x>",
        Concern.red,
        "落后",
        "1-9月累计 1.0亿元",
        "完成 46.0% · 序时 75.0%",
        "indicator?code=X",
    )
    html = attention_html([entry], 3, "zh")
    assert "今日关注" in html and '<span class="att-count">3</span>' in html
    assert 'class="att-chip red">落后' in html and "指标&lt;x&gt;" in html
    assert "暂无需要关注的指标" in attention_html([], 0, "zh")


def test_a_change_that_prints_as_zero_has_no_sign_and_no_colour() -> None:
    assert tone_of(-0.04, Direction.up) is Tone.neutral
    assert tone_of(-0.05, Direction.up) is Tone.bad  # prints as -0.1
    assert tone_of(0.06, Direction.down) is Tone.bad
    assert tone_of(-0.04, Direction.up, decimals=2) is Tone.bad  # prints as -0.04
    assert tone_of(0.4, Direction.band) is Tone.neutral
