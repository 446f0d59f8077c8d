"""The indicator page under AppTest on the sample city: it renders without an exception and
its key figures are exactly what `cockpit show` states for the same code, period and area
(a 累计 indicator, a published growth rate, a composite with its parts, a district); an
unknown code is one line naming close codes; an overdue figure is marked."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from html import unescape
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from cockpit.show import snapshot_to_dict
from indicators import formatting as fmt
from indicators.describe import GROWTH_ZH
from indicators.model import Frequency, GrowthSource
from indicators.periods import Period
from indicators.registry import Catalog, load_catalog
from indicators.settings import local_today
from indicators.snapshot import snapshot_for
from indicators.store import open_store
from indicators.targets import STATUS_ZH, Status
from tests.apptest_pages import open_page

FIGURE = re.compile(r'<dd data-key="([\w-]+)"[^>]*>([^<]*)</dd>')
CHILD = re.compile(r'<a class="ind-kid [^"]*" href="([^"]*)" data-code="(\w+)">(.*?)</a>')


@cache
def catalog() -> Catalog:
    return load_catalog().catalog


def show(code: str, area: str | None) -> dict[str, Any]:
    """What `cockpit show CODE [--area AREA] --format json` prints."""
    snapshot = snapshot_for(catalog(), open_store(), code, None, area, local_today())
    return snapshot_to_dict(snapshot)


def page_html(page: AppTest) -> str:
    return "\n".join(h.value for h in page.get("html"))


def figures_on(page: AppTest) -> dict[str, str]:
    return {key: unescape(text) for key, text in FIGURE.findall(page_html(page))}


def expected_figures(shown: dict[str, Any]) -> dict[str, str]:
    """The rows of `cockpit show`, formatted from its JSON with indicators.formatting."""
    ind = catalog().get(shown["code"])
    unit, change_unit = ind.unit, shown["change_unit"]
    source = GrowthSource(shown["growth_source"])
    note = f"（{GROWTH_ZH[source]}）"
    expected = {
        "value": f"{fmt.number(shown['value'], ind.decimals)} {unit}",
        "loaded_at": fmt.local_time(datetime.fromisoformat(shown["loaded_at"])),
        "load_runs": ", ".join(map(str, shown["load_runs"])),
    }
    if shown["ytd"] is not None:
        expected["ytd"] = f"{fmt.number(shown['ytd'], ind.decimals)} {unit}"
    if source is not GrowthSource.none:
        expected["yoy"] = fmt.change(shown["yoy"], change_unit) + note
        expected["ytd_yoy"] = fmt.change(shown["ytd_yoy"], change_unit) + note
    if source is not GrowthSource.supplied:
        expected["mom"] = fmt.change(shown["mom"], change_unit)
    if shown["target"] is not None:
        expected["target"] = f"{fmt.plain(shown['target'])} {unit}"
    for key in ("attainment", "schedule"):
        if shown[key] is not None:
            expected[key] = fmt.percent(shown[key])
    if shown["gap"] is not None:
        expected["gap"] = fmt.change(shown["gap"], shown["gap_unit"])
    return expected


def assert_page_equals_show(code: str, area: str | None = None) -> AppTest:
    params = {"code": code, **({"area": area} if area else {})}
    page = open_page("indicator", **params)
    assert not page.exception
    shown = show(code, area)
    on_page = figures_on(page)
    growth = catalog().get(code).growth
    applies = {  # rows left out exactly where `cockpit show` leaves them out
        "yoy": growth is not GrowthSource.none,
        "mom": growth is not GrowthSource.supplied,
        "ytd_yoy": shown["ytd"] is not None and growth is not GrowthSource.none,
    }
    for key, text in expected_figures(shown).items():
        if not applies.get(key, True):
            assert key not in on_page, (code, key)
            continue
        assert on_page[key] == text, (code, key)
    assert on_page["status"].startswith(STATUS_ZH[Status(shown["status"])] + "（")
    title = page_html(page)
    assert f'<span class="ind-code">{code}</span>' in title
    assert shown["period_zh"] in title
    return page


@pytest.mark.usefixtures("in_sample_city")
def test_a_ytd_indicator_equals_cockpit_show() -> None:
    page = assert_page_equals_show("ECO_RETAIL")
    on_page = figures_on(page)
    assert {"ytd", "ytd_yoy", "target", "attainment", "schedule"} <= on_page.keys()
    assert len(page.get("vega_lite_chart")) == 2  # the series and the 同比 bars
    assert len(page.get("bidi_component")) == 2  # the district map and ranking
    assert "← 返回" in [link.proto.label for link in page.get("page_link")]


@pytest.mark.usefixtures("in_sample_city")
def test_a_supplied_growth_rate_equals_cockpit_show() -> None:
    page = assert_page_equals_show("ECO_GDP_GROWTH")
    assert "yoy" not in figures_on(page)  # itself a growth rate: no 同比 of it


@pytest.mark.usefixtures("in_sample_city")
def test_a_composite_lists_its_parts_with_their_points() -> None:
    page = assert_page_equals_show("SVC_EFFICIENCY_INDEX")
    shown = show("SVC_EFFICIENCY_INDEX", None)
    children = {code: (unescape(href), body) for href, code, body in CHILD.findall(page_html(page))}
    assert list(children) == [c["code"] for c in shown["contributions"]]
    for part in shown["contributions"]:
        href, body = children[part["code"]]
        assert href == f"indicator?code={part['code']}&area=xinhe&period={shown['period']}"
        points = f"{part['score']:.1f}分 × {part['weight']:g} = {part['points']:.1f}分"
        assert points in body


@pytest.mark.usefixtures("in_sample_city")
def test_a_district_equals_cockpit_show() -> None:
    page = assert_page_equals_show("ECO_RETAIL", "xishan")
    assert "西山区" in page_html(page)
    assert "target" not in figures_on(page)  # a city amount target does not judge a district


@pytest.mark.usefixtures("in_sample_city")
def test_english_keeps_the_numbers() -> None:
    page = open_page("indicator", code="ECO_GDP", lang="en")
    assert not page.exception
    shown = show("ECO_GDP", None)
    on_page = figures_on(page)
    assert on_page["ytd"] == f"{fmt.number(shown['ytd'], 2)} 100M yuan"
    assert on_page["ytd_yoy"] == f"{fmt.change(shown['ytd_yoy'], '%')} (supplied)"
    assert "Gross domestic product" in page_html(page)


@pytest.mark.usefixtures("in_sample_city")
def test_an_overdue_figure_is_marked_but_not_a_look_back() -> None:
    page = open_page("indicator", code="ECO_FISCAL_REVENUE")
    assert not page.exception
    warning = re.search(r'<span class="ind-stale">([^<]*)</span>', page_html(page))
    assert warning and "应有" in warning.group(1)
    assert re.search(r'<a class="kpi-tile [^"]*kpi-stale"', page_html(page))  # its tile too
    earlier_month = Period.latest_complete(Frequency.month, local_today()) - 6
    earlier = open_page("indicator", code="ECO_FISCAL_REVENUE", period=earlier_month.label)
    assert 'class="ind-stale"' not in page_html(earlier)


@pytest.mark.usefixtures("in_sample_city")
def test_an_unknown_code_is_one_line_with_close_matches() -> None:
    page = open_page("indicator", code="ECO_GPD")
    assert not page.exception
    assert len(page.error) == 1
    message = unescaped(page.error[0].value)
    assert (
        message.startswith("未知指标编码“ECO_GPD”，是否要找：")
        and "ECO_GDP（地区生产总值）" in message
    )


@pytest.mark.usefixtures("in_sample_city")
def test_an_unknown_area_or_a_city_only_indicator_says_why() -> None:
    page = open_page("indicator", code="ECO_RETAIL", area="atlantis")
    assert unescaped(page.error[0].value).startswith("未知区域“atlantis”")
    city_only = next(ind.code for ind in catalog() if ind.areas.value == "city")
    page = open_page("indicator", code=city_only, area="xishan")
    assert not page.exception
    assert page.error[0].value == "仅全市统计，无分区数据"


def unescaped(markdown: str) -> str:
    """The text an st.error shows: its Markdown source with backslash escapes resolved."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.usefixtures("in_sample_city")
def test_a_crafted_code_stays_text() -> None:
    """st.error renders Markdown: a code from the URL must not become an image or a link."""
    crafted = "![x](http://example.com/p.png)"
    page = open_page("indicator", code=crafted)
    assert not page.exception
    source = page.error[0].value
    assert "![" not in source and "](" not in source and "http://" not in source
    assert crafted in unescaped(source)  # shown as typed


@pytest.mark.usefixtures("in_sample_city")
def test_without_a_code_the_page_says_how_to_get_one() -> None:
    page = open_page("indicator")
    assert not page.exception
    assert page.info[0].value.startswith("请从大屏上的指标进入")
