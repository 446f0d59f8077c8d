"""指标详情 as data, on the tiny city of tests/test_show.py (orders 100 a month in 2025 and
110 in 2026, east 60/66 and west 40/44; closed 95/105, east 57/62, west 38/43; output
published as 1–N月累计 with 1–2月 merged, 80×N in 2025 and 100×N in 2026 亿元, with its
official growth 5.0 (Sep) and 5.2 (Oct 2026), 4.0 (Oct 2025); PM2.5 38 → 33, good days 90%).

Every number is the snapshot's, so the page equals `cockpit show`: the key figures are the
rows of its table, the series are snapshots period by period."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from cockpit.indicator_model import (
    DetailError,
    IndicatorDetail,
    build_detail,
    run_text,
    series_periods,
    unknown_code_message,
)
from cockpit.key_figures import key_figures
from indicators.periods import Period
from indicators.registry import Catalog, UnknownIndicatorError
from indicators.snapshot import SnapshotBuilder, load_snapshot_builder, required_codes
from indicators.store import LoadRun, MetricStore
from indicators.targets import target_path
from tests.catalog_builder import indicator, make_catalog
from tests.test_show import load_tiny_city

TODAY = date(2026, 11, 20)  # October 2026 is the latest complete month


@pytest.fixture
def tiny_store(store: MetricStore) -> MetricStore:
    load_tiny_city(store)
    return store


def detail(
    catalog: Catalog, store: MetricStore, code: str, area: str | None = None, period: str = ""
) -> IndicatorDetail:
    builder = load_snapshot_builder(catalog, store, required_codes(catalog, code))
    return build_detail(builder, code, area, period or None, TODAY)


def figures(d: IndicatorDetail) -> dict[str, str]:
    return {f.key: f.text for f in d.figures}


def test_annual_total_published_as_ytd(tiny_catalog: Catalog, tiny_store: MetricStore) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT")
    assert d.snapshot.period == Period.parse("2026-10")  # the latest complete with data
    shown = figures(d)
    assert shown["ytd"] == "1,000.0 亿元"
    assert shown["ytd_yoy"] == "+5.2%（来源公布）"  # published, never 1000/800 − 1
    assert (shown["target"], shown["attainment"], shown["schedule"]) == (
        "1,200 亿元",
        "83.3%",
        "83.3%",
    )
    assert "mom" not in shown  # official 环比 is not recomputed from levels
    assert d.line_name == "工业产值（累计）" and d.target_name == "序时目标"
    assert d.districts is None  # published for the city only


def test_series_is_three_years_of_months_without_merged_januaries(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT")
    periods = [p.period for p in d.series]
    assert periods[0] == "2023-11" and periods[-1] == "2026-10"
    assert len(periods) == 36 - 3  # no January of 2024, 2025, 2026
    point = {p.period: p for p in d.series}
    assert (point["2026-10"].value, point["2025-06"].value, point["2024-06"].value) == (
        1000.0,
        480.0,
        None,
    )


def test_target_path_is_the_target_times_the_elapsed_share(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT")
    point = {p.period: p for p in d.series}
    assert point["2026-10"].target == pytest.approx(1200 * 10 / 12)  # 2026 target
    assert point["2025-06"].target == pytest.approx(1000 * 6 / 12)  # 2025's own target
    rate = detail(tiny_catalog, tiny_store, "T_CLOSE_RATE")
    assert {p.target for p in rate.series} == {95.0}  # a level target is the level
    assert rate.target_name == "目标值"
    assert {p.target for p in detail(tiny_catalog, tiny_store, "T_CPI").series} == {None}


def test_no_target_line_where_a_district_is_not_judged(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    city = detail(tiny_catalog, tiny_store, "T_ORDERS_YTD")
    assert city.series[-1].target == pytest.approx(1400 * 10 / 12)
    east = detail(tiny_catalog, tiny_store, "T_ORDERS_YTD", "east")
    assert {p.target for p in east.series} == {None} and east.target_name == ""
    assert east.series[-1].value == 660.0  # 66 a month, 1-10月


def test_yoy_bars_are_the_snapshots_yoy_read_from_the_published_series(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT")
    builder = load_snapshot_builder(
        tiny_catalog, tiny_store, required_codes(tiny_catalog, "T_OUTPUT")
    )
    yoy = {p.period: p.yoy for p in d.series if p.yoy is not None}
    assert yoy == {"2025-10": 4.0, "2026-09": 5.0, "2026-10": 5.2}
    for point in d.series:
        snapshot = builder.snapshot("T_OUTPUT", Period.parse(point.period), "city")
        assert point.yoy == snapshot.headline_yoy
    assert d.bars == "yoy"


def test_computed_yoy_of_a_rate_is_in_points(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_CLOSE_RATE")
    assert d.series[-1].yoy == pytest.approx(105 / 110 * 100 - 95)
    assert d.change_unit == "个百分点"
    assert figures(d)["yoy"] == "+0.5个百分点（系统计算）"


def test_without_yoy_the_bars_show_the_period_change(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT_GROWTH")  # growth: none; 5.0 → 5.2
    assert d.bars == "mom"
    assert d.series[-1].mom == pytest.approx(0.2)


def test_districts_are_ranked_with_their_own_status(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_CLOSE_RATE", "east")
    assert d.area_name == "东区"
    assert figures(d)["value"] == "93.9 %"  # 62 / 66
    assert d.districts is not None
    ranked = [(f.area, f.rank, f.text, f.status.value) for f in d.districts.figures]
    assert ranked == [("west", 1, "97.7", "green"), ("east", 2, "93.9", "amber")]


def test_ratio_children_are_numerator_and_denominator_with_links(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_CLOSE_RATE", "west")
    kids = [(c.role, c.code, c.figure) for c in d.children]
    assert kids == [
        ("分子", "T_CLOSED", "2026年10月 43件"),
        ("分母", "T_ORDERS", "2026年10月 44件"),
    ]
    assert d.children[0].href == "indicator?code=T_CLOSED&area=west&period=2026-10"


def test_derived_and_cumulative_children(tiny_catalog: Catalog, tiny_store: MetricStore) -> None:
    derived = detail(tiny_catalog, tiny_store, "T_ORDERS_PER_10K", period="2026-10")
    assert [(c.role, c.code) for c in derived.children] == [
        ("公式项", "T_ORDERS"),
        ("公式项", "T_POP"),
    ]
    cumulative = detail(tiny_catalog, tiny_store, "T_ORDERS_YTD")
    assert [(c.role, c.code) for c in cumulative.children] == [("累计自", "T_ORDERS")]
    supplied = detail(tiny_catalog, tiny_store, "T_OUTPUT")
    assert [(c.role, c.code, c.figure) for c in supplied.children] == [
        ("公布增速", "T_OUTPUT_GROWTH", "1-10月 5.2%")
    ]


def test_composite_children_bring_their_points(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_AIR_INDEX")
    assert figures(d)["value"] == "74.0 分"  # 0.6 × 70 + 0.4 × 80
    parts = {c.code: (c.weight, c.score, c.points) for c in d.children}
    assert parts["T_PM25"] == pytest.approx((0.6, 70.0, 42.0))  # 33 on goalposts 75 → 15
    assert parts["T_GOOD_DAYS"] == pytest.approx((0.4, 80.0, 32.0))  # 90 on 50 → 100
    assert d.children[0].scoring == "70.0分 × 0.6 = 42.0分"
    assert sum(c.points or 0 for c in d.children) == pytest.approx(d.snapshot.value)


def test_definition_method_target_and_rule(tiny_catalog: Catalog, tiny_store: MetricStore) -> None:
    about = dict(detail(tiny_catalog, tiny_store, "T_CLOSE_RATE").about)
    assert about["口径"].startswith("测试用：办结件数占受理件数的比例")
    assert about["计算方法"] == "T_CLOSED / T_ORDERS×100"
    assert about["目标"] == "当期水平目标：95%"
    assert about["预警规则"] == "≥95为绿，≥90为黄，其余为红"
    assert about["指标类型"] == "比率指标 · 比率/均值 · 月度 · 正向"


def test_english_labels_keep_the_numbers(tiny_catalog: Catalog, tiny_store: MetricStore) -> None:
    builder = load_snapshot_builder(tiny_catalog, tiny_store, None)
    d = build_detail(builder, "T_CLOSE_RATE", None, None, TODAY, "en")
    shown = {f.label: f.text for f in d.figures}
    assert shown["YoY"] == "+0.5pp (computed)"
    assert shown["Value"] == "95.5 %"
    assert (d.name, d.area_name, d.period_label) == ("Closure rate", "Test City", "Oct 2026")


def test_a_period_of_another_frequency_means_the_latest_as_of_its_end(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    d = detail(tiny_catalog, tiny_store, "T_OUTPUT", period="2026Q3")
    assert d.snapshot.period == Period.parse("2026-09")
    assert d.note == "工业产值按月统计：显示2026年第三季度末的最新一期"


def test_requests_that_cannot_be_answered(tiny_catalog: Catalog, tiny_store: MetricStore) -> None:
    with pytest.raises(DetailError, match="未知区域“north”"):
        detail(tiny_catalog, tiny_store, "T_ORDERS", "north")
    with pytest.raises(DetailError, match="仅全市统计"):
        detail(tiny_catalog, tiny_store, "T_OUTPUT", "east")
    with pytest.raises(DetailError, match=r"西区暂无PM2\.5平均浓度数据"):
        detail(tiny_catalog, tiny_store, "T_PM25", "west")  # published by district, none yet
    with pytest.raises(DetailError, match="无法识别的统计期"):
        detail(tiny_catalog, tiny_store, "T_ORDERS", period="2026-13")
    with pytest.raises(UnknownIndicatorError):
        detail(tiny_catalog, tiny_store, "T_ORDRS")


def test_unknown_code_names_close_matches(tiny_catalog: Catalog) -> None:
    message = unknown_code_message(tiny_catalog, "t_ordrs", "zh")
    assert message.startswith("未知指标编码“t_ordrs”，是否要找：T_ORDERS（受理件数）")


def test_quarterly_and_yearly_series_reach_back_to_the_first_value() -> None:
    catalog = make_catalog(indicator("QQ", frequency="quarter"))
    values = pd.DataFrame(
        [
            ("QQ", label, "city", 1.0, 1, pd.Timestamp("2026-01-01", tz="UTC"))
            for label in ("2019Q2", "2020Q1", "2026Q3")
        ],
        columns=["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"],
    )
    builder = SnapshotBuilder(catalog, values)
    periods = series_periods(builder, catalog.get("QQ"), "city", Period.parse("2026Q3"))
    assert (periods[0].label, periods[-1].label, len(periods)) == ("2019Q2", "2026Q3", 30)


def test_target_path_without_a_target_for_the_year() -> None:
    ind = indicator("NT", target={"basis": "annual_total", "by_year": {2026: 120}})
    assert target_path(ind, Period.parse("2026-03")) == pytest.approx(30.0)
    assert target_path(ind, Period.parse("2025-03")) is None


def test_a_load_run_reads_like_cockpit_runs() -> None:
    run = LoadRun(
        7,
        "stats_files",
        datetime(2026, 11, 25, 19, 45, tzinfo=UTC),
        datetime(2026, 11, 25, 19, 46, tzinfo=UTC),
        "succeeded",
        4305,
        14599,
        2,
        None,
    )
    assert (
        run_text(run, "zh")
        == "#7 stats_files 成功 · 2026-11-26 03:46 北京时间 · 读4305 写14599 拒2"
    )


def test_key_figures_leave_out_rows_that_cannot_apply(
    tiny_catalog: Catalog, tiny_store: MetricStore
) -> None:
    cpi = detail(tiny_catalog, tiny_store, "T_CPI")  # a band rule, no target, no growth
    keys = [f.key for f in key_figures(cpi.snapshot, "zh")]
    assert keys == ["value", "mom", "status", "source", "loaded_at", "load_runs"]
