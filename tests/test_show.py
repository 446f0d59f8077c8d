"""`cockpit show`: hand-checked figures for every kind of indicator, on SQLite and PostgreSQL.

The tiny city: orders 100 a month in 2025 and 110 in 2026 (east 60/66, west 40/44);
closed 95 and 105 (east 57/62, west 38/43); output published as 1–N月累计 with 1–2月
merged, 80×N in 2025 and 100×N in 2026 (亿元); PM2.5 38 → 33; good days 90%; CPI 2.1.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from cockpit.cli import app
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.snapshot import SnapshotBuilder
from indicators.store import MetricStore, ValueRow
from tests.conftest import FIXTURE_CATALOG

runner = CliRunner()


def monthly(code: str, area: str, values: dict[int, float], year: int) -> list[ValueRow]:
    return [ValueRow(code, f"{year}-{m:02d}", area, v) for m, v in values.items()]


def load_tiny_city(store: MetricStore) -> dict[str, int]:
    months = range(1, 13)
    stats, hotline, env = [], [], []
    for year, per_month in ((2025, 80), (2026, 100)):
        last = 12 if year == 2025 else 10
        stats += monthly("T_OUTPUT", "city", {m: per_month * m for m in range(2, last + 1)}, year)
        stats += monthly("T_POP", "city", dict.fromkeys(range(1, last + 1), 350.0), year)
        for area, orders, closed in (
            ("city", {2025: 100, 2026: 110}, {2025: 95, 2026: 105}),
            ("east", {2025: 60, 2026: 66}, {2025: 57, 2026: 62}),
            ("west", {2025: 40, 2026: 44}, {2025: 38, 2026: 43}),
        ):
            span = [m for m in months if m <= last]
            hotline += monthly("T_ORDERS", area, dict.fromkeys(span, float(orders[year])), year)
            hotline += monthly("T_CLOSED", area, dict.fromkeys(span, float(closed[year])), year)
    stats += monthly("T_POP", "east", {10: 200.0}, 2026) + monthly(
        "T_POP", "west", {10: 150.0}, 2026
    )
    stats += monthly("T_OUTPUT_GROWTH", "city", {9: 5.0, 10: 5.2}, 2026)
    stats += monthly("T_OUTPUT_GROWTH", "city", {10: 4.0}, 2025)
    stats += monthly("T_CPI", "city", {10: 2.1}, 2026)
    env += monthly("T_PM25", "city", {10: 38.0}, 2025) + monthly("T_PM25", "city", {10: 33.0}, 2026)
    env += monthly("T_GOOD_DAYS", "city", {10: 90.0}, 2026)
    return {
        "stats": store.load("stats_files", stats).id,
        "hotline": store.load("hotline_db", hotline).id,
        "env": store.load("env_api", env).id,
    }


def show(store_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        ["show", *args, "--catalog", str(FIXTURE_CATALOG)],
        env={"COCKPIT_DATABASE_URL": store_url},
    )
    return result.exit_code, result.output


def show_json(store_url: str, *args: str) -> dict[str, Any]:
    code, output = show(store_url, *args, "--format", "json")
    assert code == 0, output
    return json.loads(output)


@pytest.fixture
def runs(store: MetricStore) -> dict[str, int]:
    return load_tiny_city(store)


def test_base_flow_published_as_ytd_with_supplied_growth(
    store_url: str, runs: dict[str, int]
) -> None:
    s = show_json(store_url, "T_OUTPUT", "--period", "2026-10")
    assert (s["value"], s["ytd"]) == (100.0, 1000.0)  # 当月 = 1000 − 900
    assert s["ytd_label"] == "1-10月"
    assert s["ytd_yoy"] == 5.2  # the official comparable-price rate, not 1000/800 − 1 = 25%
    assert s["yoy"] is None  # not published, so never recomputed from current prices
    assert s["growth_source"] == "supplied"
    assert s["mom"] is None  # official 环比 is seasonally adjusted: not recomputed from levels
    assert (s["target"], s["attainment"], s["schedule"], s["gap"]) == (1200, 83.33, 83.33, 0.0)
    assert s["status"] == "green"
    assert s["load_runs"] == [runs["stats"]]
    assert s["loaded_at"].endswith("+00:00")


def test_merged_january_february(store_url: str, runs: dict[str, int]) -> None:
    feb = show_json(store_url, "T_OUTPUT", "--period", "2026-02")
    assert (feb["value"], feb["ytd"], feb["ytd_label"]) == (200.0, 200.0, "1-2月")
    march = show_json(store_url, "T_OUTPUT", "--period", "2026-03")
    assert march["value"] == 100.0
    january = show_json(store_url, "T_OUTPUT", "--period", "2026-01")
    assert (january["value"], january["ytd"]) == (None, None)  # merged into 1-2月


def test_supplied_growth_rate_is_judged_on_its_own_value(
    store_url: str, runs: dict[str, int]
) -> None:
    s = show_json(store_url, "T_OUTPUT_GROWTH", "--period", "2026-10")
    assert s["value"] == 5.2
    assert (s["target"], s["gap"], s["gap_unit"], s["status"]) == (5.0, 0.2, "个百分点", "green")
    assert s["yoy"] is None and s["mom"] == 0.2  # 环比 of a rate in 个百分点


def test_base_flow_published_monthly(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_ORDERS", "--period", "2026-10")
    assert (s["value"], s["ytd"], s["yoy"], s["mom"], s["ytd_yoy"]) == (
        110.0,
        1100.0,
        10.0,
        0.0,
        10.0,
    )
    assert s["status"] == "none"


def test_ratio_for_city_and_district(store_url: str, runs: dict[str, int]) -> None:
    city = show_json(store_url, "T_CLOSE_RATE", "--period", "2026-10")
    assert city["value"] == 95.5  # 105 / 110
    assert city["ytd"] == 95.5  # Σ1050 / Σ1100
    assert city["yoy"] == 0.45  # 95.45 − 95.00, in 个百分点
    assert city["change_unit"] == "个百分点"
    assert (city["gap"], city["status"]) == (0.45, "green")
    assert sorted(city["load_runs"]) == [runs["hotline"]]
    east = show_json(store_url, "T_CLOSE_RATE", "--period", "2026-10", "--area", "东区")
    assert (east["value"], east["status"]) == (93.9, "amber")  # 62 / 66
    west = show_json(store_url, "T_CLOSE_RATE", "--period", "2026-10", "--area", "west")
    assert (west["value"], west["status"]) == (97.7, "green")  # 43 / 44


def test_cumulative_against_schedule(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_ORDERS_YTD", "--period", "2026-10")
    assert (s["value"], s["ytd"]) == (110.0, 1100.0)  # 当期 is the month's own addition
    assert s["mom"] == 0.0  # 环比 of monthly additions, not of running totals
    assert (s["target"], s["attainment"], s["schedule"]) == (1400, 78.57, 83.33)
    assert (s["gap"], s["status"]) == (-4.76, "amber")  # behind, within 10 points
    assert s["ytd_yoy"] == 10.0  # 1100 vs 1000


def test_derived_formula(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_ORDERS_PER_10K", "--period", "2026-10")
    assert s["value"] == 0.31  # 110 / 350
    assert s["ytd"] == 3.14  # 1100 / 350: a flow's 累计 over a stock's period-end value
    east = show_json(store_url, "T_ORDERS_PER_10K", "--period", "2026-10", "--area", "east")
    assert east["value"] == 0.33  # 66 / 200


def test_stock_has_no_ytd(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_POP", "--period", "2026-10")
    assert (s["value"], s["ytd"], s["yoy"]) == (350.0, None, 0.0)


def test_composite_index(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_AIR_INDEX", "--period", "2026-10")
    assert s["value"] == 74.0  # 0.6 × (1 − (33 − 15)/60) × 100 + 0.4 × (90 − 50)/50 × 100
    assert [(c["code"], c["score"], c["points"]) for c in s["contributions"]] == [
        ("T_PM25", 70.0, 42.0),
        ("T_GOOD_DAYS", 80.0, 32.0),
    ]
    assert s["load_runs"] == [runs["env"]]
    pm = show_json(store_url, "T_PM25", "--period", "2026-10")
    assert (pm["yoy"], pm["status"]) == (-13.16, "green")  # (33 − 38)/38


def test_band_indicator(store_url: str, runs: dict[str, int]) -> None:
    s = show_json(store_url, "T_CPI", "--period", "2026-10")
    assert (s["value"], s["status"], s["yoy"]) == (2.1, "green", None)


def test_defaults_to_latest_complete_period_and_whole_city(
    store_url: str, runs: dict[str, int]
) -> None:
    s = show_json(store_url, "T_ORDERS")
    assert (s["period"], s["area"]) == ("2026-10", "city")
    assert [p for p, _ in s["sparkline"]][-1] == "2026-10"
    assert len(s["sparkline"]) == 12


def test_table_output_in_chinese(store_url: str, runs: dict[str, int]) -> None:
    code, output = show(store_url, "T_OUTPUT", "--period", "2026-10")
    assert code == 0
    assert "环比" not in output  # supplied growth: no raw-level 环比 is shown
    _, index = show(store_url, "T_AIR_INDEX", "--period", "2026-10")
    assert "构成：PM2.5平均浓度" in index and "70.0分 × 0.6 = 42.0分" in index
    assert "累计" not in index and "同比" not in index  # rows that cannot apply are left out
    for text in (
        "工业产值",
        "2026年10月",
        "累计（1-10月）",
        "1,000.0 亿元",
        "+5.2%（来源公布）",
        "序时进度",
        "83.3%",
        "正常",
    ):
        assert text in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["T_NOPE"], "unknown indicator code 'T_NOPE'"),
        (["T_ORDER"], "did you mean T_ORDERS"),
        (["T_ORDERS", "--period", "2026-13"], "unreadable period '2026-13'"),
        (["T_ORDERS", "--period", "2026Q3"], "T_ORDERS is month data; '2026Q3' is a quarter"),
        (["T_ORDERS", "--area", "北区"], "unknown area '北区'"),
        (["T_ORDERS", "--format", "xml"], "xml"),
    ],
)
def test_bad_arguments_give_one_line_and_nonzero_exit(
    store_url: str, runs: dict[str, int], args: list[str], message: str
) -> None:
    code, output = show(store_url, *args)
    assert code != 0
    assert message in output


def test_no_data_yet(store_url: str, store: MetricStore) -> None:
    code, output = show(store_url, "T_ORDERS")
    assert code == 2
    assert output.strip() == "error: no data for T_ORDERS in 测试市 yet"


def test_district_ranking_from_the_store(
    store: MetricStore, runs: dict[str, int], tiny_catalog: Catalog
) -> None:
    builder = SnapshotBuilder(tiny_catalog, store.values())
    ranked = builder.ranking("T_CLOSE_RATE", Period.parse("2026-10"))
    assert [(r.rank, r.area, round(r.value, 2)) for r in ranked] == [
        (1, "west", 97.73),
        (2, "east", 93.94),
    ]


def test_unusable_settings_are_one_line_errors_without_secrets() -> None:
    result = runner.invoke(
        app,
        ["show", "T_ORDERS", "--catalog", str(FIXTURE_CATALOG)],
        env={"COCKPIT_TIMEZONE": "Mars/Base"},
    )
    assert (result.exit_code, result.output.strip()) == (
        2,
        "error: COCKPIT_TIMEZONE 'Mars/Base' is not a known time zone",
    )
    unreachable = "postgresql+psycopg://cockpit:s3cret@127.0.0.1:9/none"
    result = runner.invoke(
        app,
        ["show", "T_ORDERS", "--catalog", str(FIXTURE_CATALOG)],
        env={"COCKPIT_DATABASE_URL": unreachable},
    )
    assert result.exit_code == 2
    assert result.output.startswith(
        "error: cannot open the store at postgresql+psycopg://cockpit:***@127.0.0.1:9/none"
    )
    assert "s3cret" not in result.output
