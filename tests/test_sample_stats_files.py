"""The sample bureaus' files, read back with the sources file `cockpit sample` installs, give
the model's values in their published form; finance is a month short and power has one
unreadable cell, as sample_data.plan says."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from connectors.base import ReadResult, SourceContext, no_progress
from connectors.config import load_sources
from connectors.registry import build_connector
from connectors.table_spec import FilesOptions
from connectors.tables import fold
from indicators.cumulation import ytd_from_period
from indicators.freshness import expected_period
from indicators.model import PublishedAs
from indicators.registry import DEFAULT_CATALOG, load_catalog
from sample_data import plan, stats_files
from sample_data.model import CityModel
from sample_data.plan import Scale

TODAY = date(2026, 11, 25)
Key = tuple[str, str, str]


@pytest.fixture(scope="module")
def model() -> CityModel:
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    return CityModel(catalog, seed=7, today=TODAY, overdue_sources=plan.OVERDUE_SOURCES)


@pytest.fixture(scope="module")
def home(model: CityModel, tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("home")
    stats_files.write(model, home / plan.SAMPLE_DIR, Scale.small, no_progress)
    shutil.copyfile(stats_files.SOURCES_FILE, home / "sources.yaml")
    return home


@pytest.fixture(scope="module")
def results(model: CityModel, home: Path) -> dict[str, ReadResult]:
    sources = load_sources(home / "sources.yaml")
    context = SourceContext(model.catalog, sources.base_dir, folders=sources.folders)
    read = {}
    for source_id in stats_files.FILE_SOURCES:
        source = sources.get(source_id)
        connector = build_connector(source.kind, source.options, source_id)
        read[source_id] = connector.read(context, no_progress)
    return read


def february_twins(model: CityModel, source_id: str) -> dict[str, str]:
    """当期 mappings of a merged release sharing their head with a 累计 mapping (工业增加值
    增速（%）): February prints them as one 1-2月 column, the 累计 figure, which is what a
    1-2月 release's 当期 is (the model draws the two apart)."""
    options = FilesOptions.model_validate(
        load_sources(stats_files.SOURCES_FILE).get(source_id).options
    )
    twins = {}
    for table in options.tables:
        by_window: dict[tuple[str | None, str, PublishedAs], str] = {}
        for column in table.columns:
            ind = model.catalog.get(column.indicator)
            window = column.window or ind.published_as
            by_window[(column.item, fold(column.head), window)] = ind.code
        for (item, head, window), code in by_window.items():
            ytd = by_window.get((item, head, PublishedAs.ytd))
            if window is PublishedAs.period and ytd and model.catalog.get(code).merged_jan_feb:
                twins[code] = ytd
    return twins


def published(model: CityModel, source_id: str) -> dict[Key, tuple[float, int]]:
    """Every model value as the source publishes it (累计 for ytd, no January when merged,
    February's 1-2月 column for a merged 当期 indicator), with the catalog decimals it is
    written to."""
    frames = {}
    for code in model.base_codes(source_id):
        ind = model.catalog.get(code)
        frame = model.frame(code)
        if ind.published_as is PublishedAs.ytd:
            frame = ytd_from_period(frame)
        if ind.merged_jan_feb:
            frame = frame[frame.index.month != 1]
        frames[code] = frame
    for code, twin in february_twins(model, source_id).items():
        one_two = frames[twin][frames[twin].index.month == 2]
        frames[code] = frames[code].copy()
        frames[code].loc[one_two.index] = one_two
    expected = {}
    for code, frame in frames.items():
        ind = model.catalog.get(code)
        for stamp, row in frame.iterrows():
            for area, value in row.items():
                if not math.isnan(value):
                    expected[(code, str(stamp), str(area))] = (float(value), ind.decimals)
    return expected


def read_back(result: ReadResult) -> dict[Key, float]:
    read = {(r.indicator_code, r.period, r.area): r.value for r in result.rows}
    assert len(read) == len(result.rows), "a value was read twice"
    return read


def differing(read: dict[Key, float], expected: dict[Key, tuple[float, int]]) -> dict:
    """Values further from the model than the rounding to the catalog's decimals allows."""
    return {
        key: (read[key], value)
        for key, (value, decimals) in expected.items()
        if abs(read[key] - value) > 0.5 * 10**-decimals + 1e-9
    }


@pytest.mark.parametrize("source_id", ["stats_files", "finance_files"])
def test_every_model_value_comes_back_as_published(
    model: CityModel, results: dict[str, ReadResult], source_id: str
) -> None:
    result = results[source_id]
    assert result.rejections == []
    read, expected = read_back(result), published(model, source_id)
    assert len(expected) > 1000
    assert read.keys() == expected.keys()
    assert differing(read, expected) == {}


def test_merged_february_holds_january_and_february(
    model: CityModel, results: dict[str, ReadResult]
) -> None:
    read = read_back(results["stats_files"])
    months = model.frame("ECO_IND_OUTPUT")["xinhe"]
    assert ("ECO_IND_OUTPUT", "2026-01", "xinhe") not in read
    one_two = months["2026-01"] + months["2026-02"]
    assert read[("ECO_IND_OUTPUT", "2026-02", "xinhe")] == pytest.approx(one_two, abs=5e-5)
    assert ("ECO_IND_ENTERPRISES", "2026-01", "xinhe") in read  # not merged: January alone
    # February heads its merged columns 1-2月 as bureaus do, 当月 growth included
    one_two_growth = read[("ECO_IND_VA_GROWTH_YTD", "2026-02", "xinhe")]
    assert read[("ECO_IND_VA_GROWTH_M", "2026-02", "xinhe")] == one_two_growth


def test_february_heads_merged_columns_1_2(home: Path) -> None:
    workbook = load_workbook(
        home / plan.SAMPLE_DIR / "stats" / "2026年2月 规模以上工业主要指标.xlsx", read_only=True
    )
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    header = next(row for row in rows if row[0] == "地区")
    assert header == (
        "地区",
        "企业单位数（个）",
        "工业总产值（1-2月）（当年价格）",
        "工业总产值增速（1-2月）（%）",
        "工业增加值增速（1-2月）（%）",
        "高技术制造业增加值增速（1-2月）（%）",
    )
    workbook.close()


def test_finance_stops_a_month_before_it_is_due(
    model: CityModel, results: dict[str, ReadResult]
) -> None:
    revenue = model.catalog.get("ECO_FISCAL_REVENUE")
    assert expected_period(revenue, TODAY).label == "2026-10"
    periods = {r.period for r in results["finance_files"].rows}
    assert max(periods) == "2026-09"
    stats = {r.period for r in results["stats_files"].rows if r.indicator_code == "ECO_RETAIL"}
    assert max(stats) == "2026-10"


def test_power_has_exactly_one_unreadable_cell(
    model: CityModel, results: dict[str, ReadResult]
) -> None:
    result = results["power_files"]
    [rejection] = result.rejections
    assert rejection.location == "电力运行月报_2026年10月.csv row 4"
    assert rejection.field == "10月"
    assert "O" in rejection.value
    assert rejection.reason == f"'{rejection.value}' is not a number"
    expected = published(model, "power_files")
    broken = ("ECO_ELECTRICITY", "2026-10", "xinhe")
    assert broken in expected
    del expected[broken]
    read = read_back(result)
    assert read.keys() == expected.keys()
    assert differing(read, expected) == {}


def test_bureaus_write_their_own_formats(home: Path) -> None:
    sample = home / plan.SAMPLE_DIR
    price = (sample / "stats" / "2026年10月 居民消费价格.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        price.decode("utf-8")
    assert price.decode("gb18030").startswith("新河市居民消费价格（2026年1-10月）")
    power = (sample / "power" / "电力运行月报_2026年10月.csv").read_bytes()
    assert power.startswith("\ufeff".encode())
    assert (sample / "stats" / "2026年2月 规模以上工业主要指标.xlsx").exists()
    assert not (sample / "stats" / "2026年1月 固定资产投资.xlsx").exists()  # all merged
    assert (sample / "finance" / "2026年9月 财政收支月报.xlsx").exists()
    assert not (sample / "finance" / "2026年10月 财政收支月报.xlsx").exists()
