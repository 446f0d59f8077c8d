"""The sample city's 基层填报 files read back through the `manual` source of sources.yaml give
every model value of every hand-reported indicator, as published and rounded as written."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from connectors.base import ReadResult, SourceContext, no_progress
from connectors.config import load_sources
from connectors.registry import build_connector
from indicators.model import PublishedAs
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from sample_data import manual
from sample_data.model import CityModel
from sample_data.plan import Scale
from tests.catalog_builder import indicator, make_catalog

SOURCES = Path(manual.__file__).with_name("sources.yaml")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


@pytest.fixture(scope="module")
def model(catalog: Catalog) -> CityModel:
    return CityModel(catalog, seed=7, today=date(2026, 11, 25))


@pytest.fixture(scope="module")
def home(model: CityModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """COCKPIT_HOME as `cockpit sample` lays it out: sources.yaml beside sample/."""
    home = tmp_path_factory.mktemp("home")
    manual.write(model, home / "sample", Scale.small, no_progress)
    return home


@pytest.fixture(scope="module")
def read_back(catalog: Catalog, home: Path) -> ReadResult:
    source = load_sources(SOURCES).get("manual_report")
    connector = build_connector(source.kind, source.options, source.id)
    return connector.read(SourceContext(catalog, home), no_progress)


def expected_values(model: CityModel) -> dict[tuple[str, str, str], float]:
    """The model's 当期 values as each bureau publishes them, rounded to the catalog decimals."""
    expected = {}
    for code in model.base_codes("manual_report"):
        ind = model.catalog.get(code)
        frame = model.frame(code)
        if ind.published_as is PublishedAs.ytd:
            frame = frame.groupby(frame.index.year).cumsum()
        if ind.merged_jan_feb:  # 1-2月 merged: only ever a 累计 in this catalog
            assert ind.published_as is PublishedAs.ytd
            frame = frame[frame.index.month != 1]
        for period, values in frame.iterrows():
            for area, value in values.items():
                expected[(code, str(period), area)] = round(value, ind.decimals)
    return expected


def test_every_model_value_comes_back(model: CityModel, read_back: ReadResult) -> None:
    assert read_back.rejections == []
    got = {(r.indicator_code, r.period, r.area): r.value for r in read_back.rows}
    assert len(got) == len(read_back.rows)
    assert got == expected_values(model)
    assert {code for code, _, _ in got} == set(model.base_codes("manual_report"))


def test_published_forms(model: CityModel, read_back: ReadResult) -> None:
    got = {(r.indicator_code, r.period, r.area): r.value for r in read_back.rows}
    retail = model.frame("ECO_RETAIL_ONLINE")["xinhe"]  # 1-N月累计, 1-2月 merged
    assert ("ECO_RETAIL_ONLINE", "2026-01", "xinhe") not in got
    assert got[("ECO_RETAIL_ONLINE", "2026-02", "xinhe")] == round(
        retail["2026-01"] + retail["2026-02"], 2
    )
    assert got[("ECO_RETAIL_ONLINE", "2026-10", "xinhe")] == round(
        retail["2026-01":"2026-10"].sum(), 2
    )
    fires = model.frame("GOV_FIRES")["binjiang"]  # 当月
    assert got[("GOV_FIRES", "2026-10", "binjiang")] == fires["2026-10"]
    last = model.last_period("GOV_FIRES").label
    assert max(period for code, period, _ in got if code == "GOV_FIRES") == last


def test_one_file_per_bureau_and_year_with_money_in_wan_yuan(model: CityModel, home: Path) -> None:
    files = sorted(p.name for p in (home / "sample" / "manual").glob("*.xlsx"))
    assert "2021年 市发展改革委 指标填报.xlsx" in files
    assert "2026年 市水务局 指标填报.xlsx" in files
    owners = {ind.owner for ind in model.catalog if ind.source.connector == "manual_report"}
    assert {name.split(" ")[1] for name in files} <= owners
    sheet = load_workbook(home / "sample" / "manual" / "2026年 市发展改革委 指标填报.xlsx")["填报"]
    rows = sheet.iter_rows(min_row=3, values_only=True)
    invest = [r for r in rows if r[0] == "ECO_MAJOR_PROJECT_INVEST"]
    assert {r[2] for r in invest} == {"万元"}
    assert invest[-1][3] == "2026年1-10月"
    cumulative = model.frame("ECO_MAJOR_PROJECT_INVEST")["2026-01":"2026-10"].sum()
    by_area = {r[4]: r[5] for r in invest if r[3] == "2026年1-10月"}
    assert by_area["北塘区"] == round(round(cumulative["beitang"], 2) * 10_000)


def test_a_merged_period_release_puts_january_into_february() -> None:
    monthly = indicator(
        "T_MERGED", merged_jan_feb=True, source={"connector": "manual_report", "reads": "t"}
    )
    model = CityModel(make_catalog(monthly), seed=7, today=date(2026, 11, 25))
    truth = model.frame("T_MERGED")["city"]
    published = manual.published_values(model, monthly)["city"]
    assert pd.Period("2026-01", "M") not in published.index
    assert published["2026-02"] == pytest.approx(truth["2026-01"] + truth["2026-02"])
    assert published["2026-03"] == pytest.approx(truth["2026-03"])
