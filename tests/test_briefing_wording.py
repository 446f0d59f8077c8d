"""The briefing says one thing one way: the window a figure covers (1-10月 for a 1–N月
growth rate, in the tables, the ranking note and the prose alike), the decimals of a 同比 and
the gap to a target in words that carry their sign. The shipped catalog declares the window
of every cumulative rate."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from indicators.model import Deployment, Indicator, Kind, Nature, PublishedAs
from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from reports.blocks import kinds
from reports.context import BriefingContext
from reports.document import DocumentMeta
from reports.narrative import window
from tests.catalog_builder import indicator, make_catalog
from tests.test_narrative import builder

SHIPPED = load_catalog(DEFAULT_CATALOG).catalog
OCTOBER = Period.parse("2026-10")
META = DocumentMeta("测试市经济运行月度简报", "测试市统计局", "2026年10月", "2026年第10期", "")
CSS = Path(__file__).parents[1] / "reports" / "document.css"


def with_districts(*indicators: Indicator) -> Catalog:
    deployment = Deployment.model_validate(
        {
            "city": {"code": "city", "name_zh": "测试市", "name_en": "Test"},
            "districts": [
                {"code": "east", "name_zh": "东湖区", "name_en": "Donghu"},
                {"code": "west", "name_zh": "西山区", "name_en": "Xishan"},
            ],
        }
    )
    return dataclasses.replace(make_catalog(*indicators), deployment=deployment)


Values = dict[tuple[str, str], dict[str, float]]  # by (code, area), then period label


def context(catalog: Catalog, values: Values) -> BriefingContext:
    """The October 2026 briefing of the city."""
    return BriefingContext(catalog, builder(catalog, values), OCTOBER, "city", META)


def block_html(ctx: BriefingContext, block: str, **params: Any) -> str:
    registered = kinds()[block]
    return registered.build(ctx, registered.params.model_validate(params), "s1").html


def table_rows(markup: str) -> list[list[str]]:
    """The body rows of a block's table, cell texts unescaped."""
    rows = re.findall(r"<tr>(.*?)</tr>", markup.split("<tbody>")[1])
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)] for r in rows]


def paragraphs(markup: str) -> list[str]:
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", markup)]


# --- the window: 1–N月 rates are said over 1-10月 everywhere -------------------------------

IND_VA = "ECO_IND_VA_GROWTH_YTD"  # 1–N月 growth of a total the catalog does not hold


def growth_context() -> BriefingContext:
    """The shipped 1–N月 growth rates: 规上工业增加值 (no total in the catalog) and 固定资产
    投资 (the growth of ECO_FAI), in October 2026."""
    codes = (IND_VA, "ECO_FAI", "ECO_FAI_GROWTH")
    values = {
        (IND_VA, "city"): {"2026-10": 7.7},
        (IND_VA, "east"): {"2026-10": 8.1},
        (IND_VA, "west"): {"2026-10": 6.0},
        ("ECO_FAI", "city"): {"2025-10": 900.0, "2026-10": 918.9},
        ("ECO_FAI_GROWTH", "city"): {"2026-10": 2.1},  # official, not 918.9 / 900
    }
    return context(with_districts(*(SHIPPED.get(code) for code in codes)), values)


def test_a_cumulative_growth_rate_reads_as_the_1_to_n_month_growth_of_its_total() -> None:
    ctx = growth_context()
    markup = block_html(ctx, "narrative", codes=[IND_VA, "ECO_FAI_GROWTH", "ECO_FAI"])
    assert paragraphs(markup) == [
        "1-10月，全市规模以上工业增加值同比增长7.7%，高于年度目标1.2个百分点。",
        "1-10月，全市固定资产投资额（不含农户）同比增长2.1%，低于年度目标3.9个百分点。",
        "1-10月，全市固定资产投资额（不含农户）918.90亿元，同比增长2.1%。",
    ]


def test_the_tables_and_the_ranking_note_name_the_window_the_narrative_opens_with() -> None:
    ctx = growth_context()
    headline = table_rows(block_html(ctx, "headline", codes=[IND_VA, "ECO_FAI_GROWTH"]))
    assert [row[:3] for row in headline] == [
        ["规模以上工业增加值增速（累计）", "1-10月", "7.7%"],
        ["固定资产投资增速（不含农户）", "1-10月", "2.1%"],
    ]
    (off_target,) = table_rows(block_html(ctx, "off_target"))
    assert off_target[:2] == ["固定资产投资增速（不含农户）", "1-10月"]
    (note, *_) = paragraphs(block_html(ctx, "ranking", code=IND_VA))
    assert note == "统计期：2026年1-10月；按规模以上工业增加值增速（累计）由好到差排列。"
    chart = block_html(ctx, "chart", code=IND_VA, kind="districts")
    assert chart.endswith("由好到差排列，2026年1-10月</figcaption></figure>")


@pytest.mark.parametrize(
    ("label", "fields", "words"),
    [
        ("2026-10", {"rate_window": "ytd"}, "2026年1-10月"),
        ("2026-02", {"rate_window": "ytd", "merged_jan_feb": True}, "2026年1-2月"),
        ("2026-10", {}, "2026年10月"),
        ("2026Q3", {"rate_window": "ytd", "frequency": "quarter"}, "2026年前三季度"),
        ("2026Q3", {"frequency": "quarter"}, "2026年三季度"),
        ("2025", {"frequency": "year"}, "2025年"),  # not 2025年2025年
    ],
)
def test_a_window_standing_alone_names_its_year(
    label: str, fields: dict[str, Any], words: str
) -> None:
    made = builder(make_catalog(indicator("RATE", unit="%", nature="rate", **fields)), {})
    assert window(made.snapshot("RATE", Period.parse(label), "city"), with_year=True) == words


# --- the shipped catalog declares every cumulative rate ------------------------------------


def test_every_rate_holding_a_totals_growth_has_the_totals_window() -> None:
    """A total's 累计同比 (ytd_yoy) is a 1–N月 rate, its 当期同比 (yoy) the period's own."""
    declared = {}
    for total in SHIPPED:
        growth = total.supplied_growth
        if growth is not None:
            declared |= {growth.yoy: PublishedAs.period, growth.ytd_yoy: PublishedAs.ytd}
    declared.pop(None, None)
    assert declared  # the shipped catalog has such rates
    assert {code: SHIPPED.get(code).rate_window for code in declared} == declared


def test_every_published_rate_defined_as_cumulative_covers_1_to_n_months() -> None:
    stated = {
        ind.code
        for ind in SHIPPED
        if ind.nature is Nature.rate
        and ind.kind is Kind.base
        and ("累计" in ind.definition or "1–N" in ind.definition)
    }
    declared = {ind.code for ind in SHIPPED if ind.rate_window is PublishedAs.ytd}
    assert IND_VA in stated and "ECO_CPI_YTD" in stated
    assert declared == stated


def test_the_shipped_catalog_loads_without_problems() -> None:
    assert load_catalog(DEFAULT_CATALOG).problems == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rate_window": "ytd"}, "only a rate read as published"),  # a flow: published_as
        (
            {"rate_window": "ytd", "nature": "rate", "kind": "ratio", "numerator": "A"},
            "only a rate read as published",
        ),
        ({"rate_window": "ytd", "nature": "rate", "frequency": "year"}, "monthly or quarterly"),
        ({"growth_of": "工业增加值", "nature": "rate", "unit": "倍"}, "growth_of names"),
        ({"growth_of": "工业增加值"}, "growth_of names"),  # a flow is not a growth rate
    ],
)
def test_the_wording_fields_are_refused_where_they_cannot_hold(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        indicator("X", **fields)


# --- the gap to a target: the indicator's decimals, in words that carry the sign -----------

SCHEDULE = {"target": {"basis": "annual_total", "value": 1200}, "rag": {"rule": "schedule"}}


def gap_context() -> BriefingContext:
    def level(value: float, amber: float) -> dict[str, Any]:
        return {
            "target": {"basis": "level", "value": value},
            "rag": {"rule": "threshold", "amber": amber},
        }

    catalog = make_catalog(
        indicator("RATIO", name_zh="城乡居民收入比", unit="倍", nature="rate", decimals=2,
                  direction="down", **level(2.05, 2.15)),
        indicator("PARKS", name_zh="口袋公园", unit="个", nature="stock", decimals=0,
                  **level(10, 8)),
        indicator("GOOD", name_zh="优良天数比率", unit="%", nature="rate", **level(85, 80)),
        indicator("SALES", name_zh="销售额", unit="亿元", **SCHEDULE),
        indicator("ENERGY", name_zh="能源消费量", unit="万吨标准煤", direction="down",
                  **SCHEDULE),
    )  # fmt: skip
    values = {
        ("RATIO", "city"): {"2026-10": 2.07},
        ("PARKS", "city"): {"2026-10": 9},
        ("GOOD", "city"): {"2026-10": 81.9},
        ("SALES", "city"): {f"2026-{m:02d}": 96.4 for m in range(1, 11)},  # 80.3% done
        ("ENERGY", "city"): {f"2026-{m:02d}": 108.0 for m in range(1, 11)},  # 90.0% used
    }
    return context(catalog, values)


def test_the_off_target_gap_says_where_the_figure_stands_with_its_decimals() -> None:
    rows = table_rows(block_html(gap_context(), "off_target"))
    assert {row[0]: row[4] for row in rows} == {
        "城乡居民收入比": "高于目标0.02倍",  # was 0.0倍
        "口袋公园": "低于目标1个",  # was -1.0个
        "优良天数比率": "低于目标3.1个百分点",
        "销售额": "低于序时进度3.0个百分点",
        "能源消费量": "高于序时进度6.7个百分点",  # a ceiling used ahead of the schedule
    }


def test_the_narrative_states_the_gap_in_the_off_target_tables_words() -> None:
    ctx = gap_context()
    gaps = {row[0]: row[4] for row in table_rows(block_html(ctx, "off_target"))}
    sentences = paragraphs(block_html(ctx, "narrative", codes=list(ctx.catalog.indicators)))
    for name, gap in gaps.items():
        (sentence,) = [s for s in sentences if name in s]
        assert sentence.endswith(f"，{gap}。"), sentence


# --- a 同比 prints with the same decimals in the tables and the prose ------------------------


@pytest.mark.parametrize(
    ("decimals", "table", "prose"),
    [(2, "+0.04个百分点", "同比提高0.04个百分点"), (1, "0.0个百分点", "同比持平")],
)
def test_a_rates_yoy_has_its_decimals_in_the_table_and_the_prose(
    decimals: int, table: str, prose: str
) -> None:
    rate = indicator("SHARE", name_zh="占比", unit="%", nature="rate", decimals=decimals)
    ctx = context(make_catalog(rate), {("SHARE", "city"): {"2025-10": 40.0, "2026-10": 40.04}})
    (row,) = table_rows(block_html(ctx, "headline", codes=["SHARE"]))
    assert row[3] == table
    (sentence,) = paragraphs(block_html(ctx, "narrative", codes=["SHARE"]))
    assert prose in sentence


# --- print: figures right-aligned, headers on one line --------------------------------------


def test_figures_are_right_aligned_and_headers_do_not_wrap() -> None:
    markup = block_html(gap_context(), "headline", codes=["SALES"])
    cells = re.findall(r"<td( class=\"num\")?>", markup)
    assert cells == ["", "", ' class="num"', ' class="num"', ""]  # 数值 and 同比
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"(?m)^td\.num \{[^}]*text-align: right", css)
    assert re.search(r"(?m)^th \{[^}]*white-space: nowrap", css)
