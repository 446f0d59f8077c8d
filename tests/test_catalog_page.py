"""The 指标体系 page: lists the catalog, filters by domain and text, shows one 口径."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from indicators.registry import DEFAULT_CATALOG, load_catalog
from tests.apptest_pages import open_page

pytestmark = pytest.mark.usefixtures("in_sample_city")


def run_app() -> AppTest:
    return open_page("catalog")


def test_page_lists_every_indicator_without_errors() -> None:
    app = run_app()
    assert not app.exception
    assert app.title[0].value == "指标体系"
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    assert len(app.dataframe[0].value) == len(catalog)


def test_filter_by_domain_and_text_then_read_the_definition() -> None:
    app = run_app()
    app.selectbox(key="catalog_domain").select("政务服务").run()
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    service = [ind for ind in catalog if ind.domain.value == "service"]
    assert len(app.dataframe[0].value) == len(service)
    app.text_input(key="catalog_query").input("12345").run()
    codes = set(app.dataframe[0].value["指标编码"])
    assert 0 < len(codes) < len(service)
    for code in codes:
        ind = catalog.get(code)
        assert "12345" in " ".join((ind.code, ind.name_zh, ind.name_en, ind.definition, ind.owner))
    code = app.selectbox(key="catalog_code").value
    markdown = " ".join(m.value for m in app.markdown)
    assert catalog.get(code).definition.strip() in markdown


def test_no_match_says_so() -> None:
    app = run_app()
    app.text_input(key="catalog_query").input("不存在的指标名称").run()
    assert app.info[0].value == "没有符合条件的指标。"
