"""The briefing's narrative states the snapshot's figures in report Chinese: 累计 against
序时进度, published growth rates, rates in 个百分点, missing data, districts, quarters.
Sentences are read from the narrative block, as a briefing builds them."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.model import Deployment, Indicator
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.snapshot import Snapshot, SnapshotBuilder
from reports.blocks import kinds
from reports.context import BriefingContext
from reports.document import DocumentMeta
from reports.narrative import indicator_sentence, period_words
from tests.catalog_builder import indicator, make_catalog

OCTOBER = Period.parse("2026-10")
Q3 = Period.parse("2026Q3")
SCHEDULE = {"rag": {"rule": "schedule"}}


def with_district(*indicators: Indicator) -> Catalog:
    """A test catalog whose city has one district, 东湖区 (code east)."""
    deployment = Deployment.model_validate(
        {
            "city": {"code": "city", "name_zh": "测试市", "name_en": "Test"},
            "districts": [{"code": "east", "name_zh": "东湖区", "name_en": "Donghu"}],
        }
    )
    return dataclasses.replace(make_catalog(*indicators), deployment=deployment)


def builder(catalog: Catalog, values: dict[tuple[str, str], dict[str, float]]) -> SnapshotBuilder:
    """Stored values keyed by (code, area), then by period label."""
    rows = [
        (code, period, area, value, 1, pd.Timestamp("2026-11-01", tz="UTC"))
        for (code, area), periods in values.items()
        for period, value in periods.items()
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    return SnapshotBuilder(catalog, pd.DataFrame(rows, columns=columns))


def months(year: int, per_month: float, last: int = 10) -> dict[str, float]:
    return {f"{year}-{m:02d}": per_month for m in range(1, last + 1)}


def retail(**fields: Any) -> Indicator:
    return indicator(
        "RETAIL", **{"name_zh": "社会消费品零售总额", "unit": "亿元", "decimals": 2, **fields}
    )


def air(**fields: Any) -> Indicator:
    shape = {
        "name_zh": "空气质量优良天数比率",
        "unit": "%",
        "nature": "rate",
        "target": {"basis": "level", "value": 85},
        "rag": {"rule": "threshold", "amber": 82},
    }
    return indicator("AIR", **{**shape, **fields})


META = DocumentMeta("测试市经济运行月度简报", "测试市统计局", "2026年10月", "2026年第10期", "")


def narrative(
    made: SnapshotBuilder, codes: Sequence[str], month: Period = OCTOBER, area: str = "city"
) -> list[str]:
    """The narrative block's paragraphs for the briefing of `month`, as text."""
    ctx = BriefingContext(made.catalog, made, month, area, META)
    registered = kinds()["narrative"]
    params = registered.params.model_validate({"codes": list(codes)})
    section = registered.build(ctx, params, "s1")
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", section.html)]


def one(catalog: Catalog, values: dict, code: str, area: str = "city") -> str:
    """The sentence on `code` in the October 2026 briefing."""
    (paragraph,) = narrative(builder(catalog, values), [code], OCTOBER, area)
    return paragraph


# 911.60 in 1-10月 2026 against 855.16 a year before: 同比 +6.6%.
RETAIL_VALUES = {("RETAIL", "city"): {**months(2025, 85.516), **months(2026, 91.16)}}


def test_ytd_flow_ahead_of_schedule() -> None:
    target = {"basis": "annual_total", "value": 1080}  # 84.4% done, 序时进度 83.3%
    catalog = make_catalog(retail(target=target, **SCHEDULE))
    assert one(catalog, RETAIL_VALUES, "RETAIL") == (
        "1-10月，全市社会消费品零售总额911.60亿元，同比增长6.6%，"
        "完成年度目标的84.4%，高于序时进度1.1个百分点。"
    )


def test_ytd_flow_behind_schedule() -> None:
    target = {"basis": "annual_total", "value": 1134.8}  # 80.3% done
    catalog = make_catalog(retail(target=target, **SCHEDULE))
    assert one(catalog, RETAIL_VALUES, "RETAIL") == (
        "1-10月，全市社会消费品零售总额911.60亿元，同比增长6.6%，"
        "完成年度目标的80.3%，低于序时进度3.0个百分点。"
    )


def test_a_decline_without_a_target_says_so_and_omits_the_target() -> None:
    catalog = make_catalog(retail(published_as="ytd"))
    values = {("RETAIL", "city"): {"2025-10": 931.16, "2026-10": 911.6}}
    assert one(catalog, values, "RETAIL") == (
        "1-10月，全市社会消费品零售总额911.60亿元，同比下降2.1%。"
    )


def gdp_catalog() -> Catalog:
    quarterly = {"frequency": "quarter", "areas": "all"}
    return with_district(
        indicator(
            "GDP",
            name_zh="地区生产总值",
            unit="亿元",
            decimals=2,
            published_as="ytd",
            growth="supplied",
            supplied_growth={"ytd_yoy": "GDP_GROWTH"},
            target={"basis": "annual_total", "value": 2580},
            **SCHEDULE,
            **quarterly,
        ),
        indicator(
            "GDP_GROWTH",
            name_zh="地区生产总值增速",
            unit="%",
            nature="rate",
            growth="none",
            rate_window="ytd",
            target={"basis": "level", "value": 5.0},
            rag={"rule": "threshold", "amber": 4.5},
            **quarterly,
        ),
    )


GDP_VALUES = {
    ("GDP", "city"): {"2025Q3": 1950.0, "2026Q3": 2010.35},  # the levels' ratio is not 5.2%
    ("GDP_GROWTH", "city"): {"2026Q3": 5.2},
}


def test_a_published_growth_rate_is_said_as_the_growth_of_its_total() -> None:
    assert one(gdp_catalog(), GDP_VALUES, "GDP_GROWTH") == (
        "前三季度，全市地区生产总值同比增长5.2%，高于年度目标0.2个百分点。"
    )


def test_a_total_with_a_published_growth_rate_quotes_that_rate() -> None:
    assert one(gdp_catalog(), GDP_VALUES, "GDP") == (
        "前三季度，全市地区生产总值2,010.35亿元，同比增长5.2%，"
        "完成年度目标的77.9%，高于序时进度2.9个百分点。"
    )


AIR_VALUES = {("AIR", "city"): {"2025-10": 84.0, "2026-10": 81.9}}


def test_a_rate_against_a_threshold_is_read_in_points() -> None:
    assert one(make_catalog(air()), AIR_VALUES, "AIR") == (
        "10月，全市空气质量优良天数比率81.9%，同比下降2.1个百分点，低于目标3.1个百分点。"
    )


def test_missing_data_is_said_and_no_number_invented() -> None:
    made = builder(make_catalog(air()), AIR_VALUES)
    assert indicator_sentence(
        made.snapshot("AIR", Period.parse("2026-09"), "city"), made.catalog
    ) == ("9月，全市空气质量优良天数比率暂无数据。")


def test_missing_data_names_the_window_the_indicator_would_report() -> None:
    """Nothing stored by the October briefing: each sentence names the period its indicator
    would report by then, in its own frequency and window, not the briefing's month."""
    freight = indicator("FREIGHT", name_zh="货运量", unit="万吨", frequency="quarter")
    population = indicator("POP", name_zh="常住人口", unit="万人", nature="stock", frequency="year")
    target = {"basis": "annual_total", "value": 1080}
    catalog = make_catalog(freight, population, retail(target=target, **SCHEDULE), air())
    empty = builder(catalog, {("AIR", "city"): {"2026-11": 80.0}})  # after the briefing
    assert narrative(empty, ["FREIGHT", "POP", "RETAIL", "AIR"]) == [
        "三季度，全市货运量暂无数据。",
        "2025年，全市常住人口暂无数据。",
        "1-10月，全市社会消费品零售总额暂无数据。",
        "10月，全市空气质量优良天数比率暂无数据。",
    ]
    (growth,) = narrative(builder(gdp_catalog(), {}), ["GDP_GROWTH"])
    assert growth == "前三季度，全市地区生产总值增速暂无数据。"


def test_a_district_is_named_and_not_judged_against_the_city_amount_target() -> None:
    target = {"basis": "annual_total", "value": 1080}
    catalog = with_district(retail(target=target, areas="all", **SCHEDULE), air(areas="all"))
    values = {
        ("RETAIL", "east"): {**months(2025, 42.758), **months(2026, 45.58)},
        ("AIR", "east"): {"2025-10": 80.0, "2026-10": 86.25},
    }
    assert narrative(builder(catalog, values), ["RETAIL", "AIR"], OCTOBER, "east") == [
        "1-10月，东湖区社会消费品零售总额455.80亿元，同比增长6.6%。",
        "10月，东湖区空气质量优良天数比率86.2%，同比提高6.2个百分点，高于目标1.2个百分点。",
    ]


def test_a_quarter_of_its_own_and_a_year() -> None:
    quarterly = indicator("FREIGHT", name_zh="货运量", unit="万吨", frequency="quarter")
    yearly = indicator("POP", name_zh="常住人口", unit="万人", nature="stock", frequency="year")
    values = {
        ("FREIGHT", "city"): {"2025Q3": 1200.0, "2026Q3": 1200.04},
        ("POP", "city"): {"2024": 300.0, "2025": 299.1},
    }
    made = builder(make_catalog(quarterly, yearly), values)
    assert narrative(made, ["FREIGHT", "POP"]) == [
        "三季度，全市货运量1,200.0万吨，同比持平。",
        "2025年，全市常住人口299.1万人，同比下降0.3%。",
    ]


@pytest.mark.parametrize(
    ("label", "ytd", "merged", "words"),
    [
        ("2026-10", True, False, "1-10月"),
        ("2026-10", False, False, "10月"),
        ("2026-02", True, True, "1-2月"),
        ("2026-01", True, False, "1月"),
        ("2026Q2", True, False, "上半年"),
        ("2026Q3", False, False, "三季度"),
        ("2025", True, False, "2025年"),
        ("2026-10-05", False, False, "10月5日"),
    ],
)
def test_period_words(label: str, ytd: bool, merged: bool, words: str) -> None:
    assert period_words(Period.parse(label), ytd, merged) == words


def test_an_unknown_area_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown area 'west'"):
        narrative(builder(make_catalog(air()), AIR_VALUES), ["AIR"], OCTOBER, "west")


# --- every figure in a sentence is the snapshot's, as printed ------------------------------

NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def figures(sentence: str) -> list[float]:
    """The numbers of a sentence after its opening window (1-10月 is not a figure)."""
    body = sentence.split("，", 1)[1]
    return [float(n.replace(",", "")) for n in NUMBER.findall(body)]


def expected(s: Snapshot) -> list[tuple[float, int]]:
    """(figure, decimals) in the order a sentence states them; changes that print as zero
    are said as 持平, without a number."""
    ind, j = s.indicator, s.judgement
    stated = [(abs(s.headline), ind.decimals)]
    stated += said([(abs(s.headline_yoy), ind.decimals if ind.is_rate_unit else 1)])
    if j.schedule is not None:
        stated += [(j.attainment, 1), *said([(abs(j.gap), 1)])]
    elif j.gap is not None:
        stated += said([(abs(j.gap), ind.decimals)])
    return stated


def said(changes: list[tuple[float, int]]) -> list[tuple[float, int]]:
    return [(value, d) for value, d in changes if round(value, d) != 0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rate=st.booleans(),
    decimals=st.integers(0, 3),
    now=st.lists(st.floats(0.5, 5000), min_size=10, max_size=10),
    before=st.lists(st.floats(0.5, 5000), min_size=10, max_size=10),
    target=st.floats(1, 60000),
)
def test_every_figure_is_the_snapshots_with_its_decimals(
    rate: bool, decimals: int, now: list[float], before: list[float], target: float
) -> None:
    if rate:  # a share judged on the month's own value against a level
        ind = air(decimals=decimals, target={"basis": "level", "value": target % 100})
        values = {("AIR", "city"): {"2025-10": before[0] % 100, "2026-10": now[0] % 100}}
    else:  # a flow judged on its 累计 against 序时进度
        ind = retail(
            decimals=decimals, target={"basis": "annual_total", "value": target}, **SCHEDULE
        )
        values = {
            ("RETAIL", "city"): {
                **{f"2025-{m:02d}": v for m, v in enumerate(before, 1)},
                **{f"2026-{m:02d}": v for m, v in enumerate(now, 1)},
            }
        }
    made = builder(make_catalog(ind), values)
    s = made.snapshot(ind.code, OCTOBER, "city")
    sentence = indicator_sentence(s, made.catalog)
    stated = figures(sentence)
    wanted = expected(s)
    assert len(stated) == len(wanted), sentence
    for number, (value, d) in zip(stated, wanted, strict=True):
        assert number == pytest.approx(value, abs=0.5 * 10**-d + 1e-9), sentence
    growing = s.headline_yoy > 0
    assert ("下降" in sentence.split("，")[2]) == (not growing and "持平" not in sentence), sentence
