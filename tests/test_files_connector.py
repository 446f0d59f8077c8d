"""The `files` connector reads bureau tables as they are written: title lines, 单位 lines,
当月 and 1-N月 columns side by side, missing marks, full-width digits, GB18030 CSV; and every
unusable cell, file or header is a rejection naming where it is."""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from connectors.base import ReadResult, Rejection, SourceContext, no_progress
from connectors.registry import ConnectorConfigError, build_connector
from connectors.tables import parse_head, period_in_text, window_label, with_window
from indicators.model import PublishedAs
from indicators.periods import Period
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.store import ValueRow

TITLE = "新河市规模以上工业主要指标（2026年1-10月）"
INDUSTRY_HEADER = [
    "地区",
    "工业总产值（10月）",
    "工业总产值（1-10月）",
    "工业增加值增速（10月）（%）",
    "工业增加值增速（1-10月）（%）",
]
INDUSTRY_COLUMNS = [
    {"head": "工业总产值", "indicator": "ECO_IND_OUTPUT"},
    {"head": "工业增加值增速（%）", "indicator": "ECO_IND_VA_GROWTH_M", "window": "period"},
    {"head": "工业增加值增速（%）", "indicator": "ECO_IND_VA_GROWTH_YTD", "window": "ytd"},
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1") -> Path:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def read(
    catalog: Catalog, base: Path, *tables: dict[str, Any], progress: Any = no_progress
) -> ReadResult:
    connector = build_connector("files", {"tables": list(tables)}, "test_files")
    return connector.read(SourceContext(catalog, base), progress)


def industry_table(files: str = "*.xlsx", **extra: Any) -> dict[str, Any]:
    return {
        "name": "规模以上工业主要指标",
        "files": files,
        "area_column": "地区",
        "columns": INDUSTRY_COLUMNS,
        **extra,
    }


def values(result: ReadResult) -> dict[tuple[str, str, str], float]:
    return {(r.indicator_code, r.period, r.area): r.value for r in result.rows}


def test_title_unit_and_published_window_are_read(catalog: Catalog, tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "2026年10月 规上工业.xlsx",
        [
            [TITLE],
            ["单位：万元、%", None, None, "制表单位：市统计局"],
            [],
            INDUSTRY_HEADER,
            ["全市", 130000, 1234567, 6.1, 5.8],
            ["滨 江 区", 20000, 234567.8, 7.0, "6.5%"],
            ["注：本表为快报数。"],
        ],
    )
    result = read(catalog, tmp_path, industry_table())
    assert result.rejections == []
    assert result.rows_read == 2
    assert values(result) == pytest.approx(
        {
            # 1-10月 column (published_as ytd), 万元 → 亿元
            ("ECO_IND_OUTPUT", "2026-10", "xinhe"): 123.4567,
            ("ECO_IND_OUTPUT", "2026-10", "binjiang"): 23.45678,
            # growth rates: 当月 and 累计 columns by the mapping's window, % as written
            ("ECO_IND_VA_GROWTH_M", "2026-10", "xinhe"): 6.1,
            ("ECO_IND_VA_GROWTH_M", "2026-10", "binjiang"): 7.0,
            ("ECO_IND_VA_GROWTH_YTD", "2026-10", "xinhe"): 5.8,
            ("ECO_IND_VA_GROWTH_YTD", "2026-10", "binjiang"): 6.5,
        }
    )


def test_missing_marks_are_skipped_and_full_width_digits_read(
    catalog: Catalog, tmp_path: Path
) -> None:
    write_xlsx(
        tmp_path / "t.xlsx",
        [
            [TITLE],
            ["单位：万元"],
            INDUSTRY_HEADER,
            ["全市", "—", "１，２３４，５６７．０", "-", "…"],
            ["老城区", None, "", "－", "５．５％"],
        ],
    )
    result = read(catalog, tmp_path, industry_table())
    assert result.rejections == []
    assert values(result) == pytest.approx(
        {
            ("ECO_IND_OUTPUT", "2026-10", "xinhe"): 123.4567,
            ("ECO_IND_VA_GROWTH_YTD", "2026-10", "laocheng"): 5.5,
        }
    )


def test_gb18030_and_utf8_bom_csv_are_detected(catalog: Catalog, tmp_path: Path) -> None:
    rows = [
        ["新河市金融运行（2026年10月）"],
        ["单位：万元"],
        ["指标名称", "10月"],
        ["本外币各项存款余额", "12,345,678"],
        ["其中：普惠小微贷款余额", "98765"],
    ]
    (tmp_path / "gb").mkdir()
    (tmp_path / "bom").mkdir()
    write_csv(tmp_path / "gb" / "金融.csv", rows, "gb18030")
    write_csv(tmp_path / "bom" / "金融.csv", rows, "utf-8-sig")
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "gb" / "金融.csv").read_bytes().decode("utf-8")
    columns = [
        {"item": "本外币各项存款余额", "indicator": "ECO_DEPOSITS"},
        {"item": "普惠小微贷款余额", "indicator": "ECO_INCLUSIVE_LOANS"},
    ]
    expected = {
        ("ECO_DEPOSITS", "2026-10", "xinhe"): 1234.5678,
        ("ECO_INCLUSIVE_LOANS", "2026-10", "xinhe"): 9.8765,
    }
    for folder in ("gb", "bom"):
        table = {
            "name": "金融运行",
            "files": f"{folder}/*.csv",
            "item_column": "指标名称",
            "columns": columns,
        }
        result = read(catalog, tmp_path, table)
        assert result.rejections == []
        assert values(result) == pytest.approx(expected)


def test_an_encoding_option_overrides_detection(catalog: Catalog, tmp_path: Path) -> None:
    write_csv(tmp_path / "金融.csv", [["指标名称", "10月"], ["本外币各项存款余额", "1"]], "gb18030")
    table = {
        "name": "金融运行",
        "files": "*.csv",
        "item_column": "指标名称",
        "period": "file_name",
        "encoding": "utf-8",
        "columns": [{"item": "本外币各项存款余额", "indicator": "ECO_DEPOSITS"}],
    }
    [rejection] = read(catalog, tmp_path, table).rejections
    assert (rejection.location, rejection.field) == ("金融.csv", "file")
    assert rejection.reason == "the file is not text in utf-8"


def test_current_month_column_of_a_period_flow(catalog: Catalog, tmp_path: Path) -> None:
    """用电量 is published 当月: its 10月 column is read, not the 1-10月 one beside it."""
    write_csv(
        tmp_path / "电力运行月报_2026年10月.csv",
        [
            ["指标名称", "10月", "1-10月"],
            ["全社会用电量", "12.05", "118.40"],
            ["其中：工业用电量", "7.31", "70.02"],
        ],
        "utf-8",
    )
    table = {
        "name": "电力运行月报",
        "files": "电力运行月报_*.csv",
        "item_column": "指标名称",
        "period": "file_name",
        "columns": [
            {"item": "全社会用电量", "indicator": "ECO_ELECTRICITY"},
            {"item": "工业用电量", "indicator": "ECO_IND_ELECTRICITY"},
        ],
    }
    assert values(read(catalog, tmp_path, table)) == {
        ("ECO_ELECTRICITY", "2026-10", "xinhe"): 12.05,
        ("ECO_IND_ELECTRICITY", "2026-10", "xinhe"): 7.31,
    }


def test_february_carries_1_2_and_january_is_not_published_alone(
    catalog: Catalog, tmp_path: Path
) -> None:
    header = [
        "地区",
        "企业单位数（个）",
        "工业总产值（1月）",
        "工业总产值（1月累计）",
        "工业增加值增速（1月）（%）",
        "工业增加值增速（1月累计）（%）",
    ]
    write_xlsx(
        tmp_path / "2026年1月.xlsx",
        [["（2026年1月）"], ["单位：万元"], header, ["全市", 1372, "—", "—", "—", "—"]],
    )
    write_xlsx(
        tmp_path / "2026年2月.xlsx",
        [
            ["（2026年1-2月）"],
            ["单位：万元"],
            [h.replace("1月累计", "1-2月").replace("1月", "2月") for h in header],
            ["全市", 1378, 270000, 270000, 5.0, 5.0],
        ],
    )
    write_xlsx(
        tmp_path / "2027年1月.xlsx",
        [["（2027年1月）"], ["单位：万元"], header, ["全市", 1400, 100000, 100000, "—", "—"]],
    )
    columns = [{"head": "企业单位数（个）", "indicator": "ECO_IND_ENTERPRISES"}, *INDUSTRY_COLUMNS]
    result = read(catalog, tmp_path, industry_table(columns=columns))
    assert values(result) == {
        ("ECO_IND_ENTERPRISES", "2026-01", "xinhe"): 1372,
        ("ECO_IND_ENTERPRISES", "2026-02", "xinhe"): 1378,
        ("ECO_IND_OUTPUT", "2026-02", "xinhe"): 27.0,
        ("ECO_IND_VA_GROWTH_M", "2026-02", "xinhe"): 5.0,
        ("ECO_IND_VA_GROWTH_YTD", "2026-02", "xinhe"): 5.0,
        ("ECO_IND_ENTERPRISES", "2027-01", "xinhe"): 1400,
    }
    [rejection] = result.rejections
    assert (rejection.location, rejection.field, rejection.value) == (
        "2027年1月.xlsx row 4",
        "工业总产值（1月累计）",
        "100000",
    )
    assert rejection.reason == "ECO_IND_OUTPUT publishes January with February (1-2月), not alone"


def test_a_bad_cell_is_rejected_naming_file_row_and_head(catalog: Catalog, tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "2026年10月 规上工业.xlsx",
        [
            [TITLE],
            ["单位：万元"],
            INDUSTRY_HEADER,
            ["全市", 1, "12O5.3", 6.1, 5.8],
            ["滨江区", 1, 2, 7.0, 6.5],
        ],
    )
    result = read(catalog, tmp_path, industry_table())
    assert result.rejections == [
        Rejection(
            "2026年10月 规上工业.xlsx row 4",
            "工业总产值（1-10月）",
            "12O5.3",
            "'12O5.3' is not a number",
            "ECO_IND_OUTPUT",  # so a reader not cleared for it is not shown the cell
        )
    ]
    assert ("ECO_IND_VA_GROWTH_M", "2026-10", "xinhe") in values(
        result
    )  # the rest of the row is read
    assert len(result.rows) == 5


def test_an_unknown_district_is_rejected(catalog: Catalog, tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "t.xlsx",
        [[TITLE], INDUSTRY_HEADER, ["滨海新区", 1, 2, 3, 4], ["临港区", 1, 2, 3, 4]],
    )
    result = read(catalog, tmp_path, industry_table())
    assert result.rejections == [
        Rejection("t.xlsx row 3", "地区", "滨海新区", "unknown area '滨海新区'")
    ]
    assert {r.area for r in result.rows} == {"lingang"}


def test_unreadable_files_and_missing_headers_are_rejections(
    catalog: Catalog, tmp_path: Path
) -> None:
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip at all")
    write_xlsx(
        tmp_path / "no_header.xlsx", [[TITLE], ["区域", "工业总产值（1-10月）"], ["全市", 1]]
    )
    write_xlsx(
        tmp_path / "no_period.xlsx",
        [["规模以上工业主要指标"], INDUSTRY_HEADER, ["全市", 1, 2, 3, 4]],
    )
    result = read(catalog, tmp_path, industry_table())
    assert result.rows == []
    found = {r.location: (r.field, r.reason) for r in result.rejections}
    assert found["broken.xlsx"][0] == "file"
    assert found["broken.xlsx"][1].startswith("not a readable .xlsx workbook")
    assert found["no_header.xlsx"] == ("header", "no header row starting with '地区'")
    assert found["no_period.xlsx"] == ("period", "no period in the title")


def test_a_table_without_files_is_a_rejection(catalog: Catalog, tmp_path: Path) -> None:
    result = read(catalog, tmp_path, industry_table(files="stats/*.xlsx"))
    assert result.rejections == [
        Rejection("规模以上工业主要指标", "files", "stats/*.xlsx", "no file matches stats/*.xlsx")
    ]


def test_period_from_a_column_takes_the_year_from_the_title(
    catalog: Catalog, tmp_path: Path
) -> None:
    write_xlsx(
        tmp_path / "gdp.xlsx",
        [
            ["新河市地区生产总值（2026年）"],
            ["单位：亿元"],
            ["时期", "地区", "地区生产总值"],
            ["一季度", "全市", 3000.5],
            ["上半年", "全市", 6200],
            ["2026Q3", "滨江区", 1100],
            ["三季度末", "全市", 1],
        ],
    )
    table = {
        "name": "地区生产总值",
        "files": "gdp.xlsx",
        "header": "时期",
        "area_column": "地区",
        "period": "column",
        "period_column": "时期",
        "columns": [{"head": "地区生产总值", "indicator": "ECO_GDP"}],
    }
    result = read(catalog, tmp_path, table)
    assert values(result) == {
        ("ECO_GDP", "2026Q1", "xinhe"): 3000.5,
        ("ECO_GDP", "2026Q2", "xinhe"): 6200,
        ("ECO_GDP", "2026Q3", "binjiang"): 1100,
    }
    assert [(r.location, r.field, r.value) for r in result.rejections] == [
        ("gdp.xlsx row 7", "时期", "三季度末")
    ]


def test_sheets_of_one_workbook_and_progress(catalog: Catalog, tmp_path: Path) -> None:
    workbook = Workbook(write_only=True)
    for sheet, head, value in (
        ("一般公共预算", "一般公共预算收入合计", 50000),
        ("政府性基金", "国有土地使用权出让收入", 8000),
    ):
        worksheet = workbook.create_sheet(sheet)
        for row in (
            ["（2026年1-9月）"],
            ["单位：万元"],
            ["地区", f"{head}（9月）", f"{head}（1-9月）"],
            ["全市", 1, value],
        ):
            worksheet.append(row)
    workbook.save(tmp_path / "2026年9月 财政收支月报.xlsx")
    tables = [
        {
            "name": "一般公共预算",
            "files": "*.xlsx",
            "sheet": "一般公共预算",
            "area_column": "地区",
            "columns": [{"head": "一般公共预算收入合计", "indicator": "ECO_FISCAL_REVENUE"}],
        },
        {
            "name": "政府性基金",
            "files": "*.xlsx",
            "sheet": "政府性基金",
            "area_column": "地区",
            "columns": [{"head": "国有土地使用权出让收入", "indicator": "ECO_LAND_TRANSFER"}],
        },
    ]
    calls: list[tuple[str, int, int | None]] = []
    result = read(catalog, tmp_path, *tables, progress=lambda *call: calls.append(call))
    assert result.rows == [
        ValueRow("ECO_FISCAL_REVENUE", "2026-09", "xinhe", 5.0),
        ValueRow("ECO_LAND_TRANSFER", "2026-09", "xinhe", 0.8),
    ]
    assert calls == [("read", 0, 2), ("read", 1, 2), ("read", 2, 2)]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {"columns": [{"head": "x", "indicator": "NO_SUCH"}]},
            "options.tables[0].columns[0].indicator: unknown indicator code 'NO_SUCH'",
        ),
        (
            {"columns": [{"head": "x", "indicator": "ECO_IND_OUTPUT", "window": "period"}]},
            "ECO_IND_OUTPUT is published as ytd",
        ),
        (
            {"columns": [{"head": "x", "indicator": "ECO_GDP_PER_CAPITA"}]},
            "ECO_GDP_PER_CAPITA is computed, not read",
        ),
    ],
)
def test_mappings_the_catalog_cannot_honour_are_config_errors(
    catalog: Catalog, tmp_path: Path, table: dict[str, Any], message: str
) -> None:
    with pytest.raises(ConnectorConfigError, match=re.escape(message)):
        read(catalog, tmp_path, industry_table(**table))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"item_column": "指标名称"}, "exactly one of area_column"),
        ({"period": "column"}, "period_column goes with period: column"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_inconsistent_tables_are_refused(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ConnectorConfigError, match=message):
        build_connector("files", {"tables": [industry_table(**extra)]}, "test_files")


@pytest.mark.parametrize("window", list(PublishedAs))
@pytest.mark.parametrize(
    "period",
    [Period.month(2026, m) for m in range(1, 13)]
    + [Period.quarter(2026, q) for q in range(1, 5)]
    + [Period.of_year(2025)],
)
def test_heads_written_for_a_window_read_back_as_that_window(
    period: Period, window: PublishedAs
) -> None:
    """The sample bureaus write heads with window_label; the connector must read them back."""
    for head in ("工业总产值（当年价格）", "增速（%）", ""):
        parsed = parse_head(with_window(head, window_label(period, window)))
        assert (parsed.name, parsed.window) == (head.replace("（", "(").replace("）", ")"), window)


@pytest.mark.parametrize(
    ("head", "name", "window"),
    [
        ("本月", "", PublishedAs.period),
        ("10月末", "", PublishedAs.period),
        ("1－10月累计", "", PublishedAs.ytd),
        ("本年累计", "", PublishedAs.ytd),
        ("工业总产值 （前三季度）", "工业总产值", PublishedAs.ytd),
        ("指标名称", "指标名称", None),
        ("居民消费价格指数（上年同月=100）", "居民消费价格指数(上年同月=100)", None),
    ],
)
def test_heads_as_bureaus_write_them(head: str, name: str, window: PublishedAs | None) -> None:
    parsed = parse_head(head)
    assert (parsed.name, parsed.window) == (name, window)


def test_a_missing_column_rejects_that_column_only(catalog: Catalog, tmp_path: Path) -> None:
    header = ["地区", "工业总产值（10月）", "工业总产值（1-10月）", "工业增加值增速（1-10月）（%）"]
    write_xlsx(tmp_path / "t.xlsx", [[TITLE], ["单位：万元"], header, ["全市", 1, 20000, 5.8]])
    result = read(catalog, tmp_path, industry_table())
    assert result.rejections == [
        Rejection("t.xlsx", "工业增加值增速（%）", "", "no column 工业增加值增速（%） (period)")
    ]
    assert values(result) == {
        ("ECO_IND_OUTPUT", "2026-10", "xinhe"): 2.0,
        ("ECO_IND_VA_GROWTH_YTD", "2026-10", "xinhe"): 5.8,
    }


AREA_TABLE = {"name": "t", "files": "*.xlsx", "area_column": "地区"}


@pytest.mark.parametrize(
    ("title", "head", "indicator", "reason"),
    [
        # a 当月 flow under a 1-10月 title: the total is not October's value
        (
            TITLE,
            "全社会用电量",
            "ECO_ELECTRICITY",
            "holds 1-10月累计, ECO_ELECTRICITY is published as 当月",
        ),
        # a 累计 flow under a 10月 title
        (
            "新河市规模以上工业（2026年10月）",
            "工业总产值",
            "ECO_IND_OUTPUT",
            "holds 10月当月, ECO_IND_OUTPUT is published as 累计",
        ),
        # a rate mapped to its 当期 window under a 1-10月 title
        (
            TITLE,
            "工业增加值增速（%）",
            "ECO_IND_VA_GROWTH_M",
            "holds 1-10月累计, ECO_IND_VA_GROWTH_M is published as 当月",
        ),
        # quarters: 前三季度 is 累计
        (
            "（2026年前三季度）",
            "地区生产总值",
            "ECO_GDP_QUARTER",
            "holds 前三季度累计, ECO_GDP_QUARTER is published as 当季",
        ),
    ],
    ids=["period-flow-ytd-title", "ytd-flow-month-title", "period-rate-ytd-title", "quarter"],
)
def test_a_plain_head_holds_the_window_its_title_states(
    catalog: Catalog, tmp_path: Path, title: str, head: str, indicator: str, reason: str
) -> None:
    if indicator == "ECO_GDP_QUARTER":  # a 当季 quarterly flow: ECO_GDP as a 当季 source
        gdp = catalog.get("ECO_GDP").model_copy(
            update={"code": indicator, "published_as": PublishedAs.period}
        )
        catalog = replace(catalog, indicators={**catalog.indicators, indicator: gdp})
    write_xlsx(tmp_path / "t.xlsx", [[title], ["地区", head, "企业单位数"], ["全市", 1, 2]])
    columns = [
        {"head": head, "indicator": indicator, **({"window": "period"} if "增速" in head else {})},
        {"head": "企业单位数", "indicator": "ECO_IND_ENTERPRISES"},  # a stock: any window
    ]
    result = read(catalog, tmp_path, {**AREA_TABLE, "columns": columns})
    assert result.rejections == [Rejection("t.xlsx", head, "", f"column {head} {reason}")]
    assert [(r.indicator_code, r.value) for r in result.rows] == [("ECO_IND_ENTERPRISES", 2)]


def test_a_plain_head_read_in_the_window_its_title_states(catalog: Catalog, tmp_path: Path) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "y").mkdir()
    write_xlsx(
        tmp_path / "m" / "t.xlsx", [["（2026年10月）"], ["地区", "全社会用电量"], ["全市", 1]]
    )
    write_xlsx(tmp_path / "y" / "t.xlsx", [[TITLE], ["地区", "工业总产值"], ["全市", 2]])
    tables = [
        {
            **AREA_TABLE,
            "files": "m/*.xlsx",
            "columns": [{"head": "全社会用电量", "indicator": "ECO_ELECTRICITY"}],
        },
        {
            **AREA_TABLE,
            "files": "y/*.xlsx",
            "columns": [{"head": "工业总产值", "indicator": "ECO_IND_OUTPUT"}],
        },
    ]
    result = read(catalog, tmp_path, *tables)
    assert result.rejections == []
    assert values(result) == {
        ("ECO_ELECTRICITY", "2026-10", "xinhe"): 1,
        ("ECO_IND_OUTPUT", "2026-10", "xinhe"): 2,
    }


def test_a_period_cell_states_the_window_of_its_row(catalog: Catalog, tmp_path: Path) -> None:
    write_xlsx(
        tmp_path / "t.xlsx",
        [
            ["时期", "地区", "全社会用电量"],
            ["2026年10月", "全市", 1],
            ["2026年1-10月", "全市", 10],
            ["2026-09", "全市", 0.9],  # states no window
            ["2026年1月", "全市", 0.8],  # January: 当月 and 累计 are one figure
        ],
    )
    table = {
        **AREA_TABLE,
        "header": "时期",
        "period": "column",
        "period_column": "时期",
        "columns": [{"head": "全社会用电量", "indicator": "ECO_ELECTRICITY"}],
    }
    result = read(catalog, tmp_path, table)
    assert values(result) == {
        ("ECO_ELECTRICITY", "2026-10", "xinhe"): 1,
        ("ECO_ELECTRICITY", "2026-09", "xinhe"): 0.9,
        ("ECO_ELECTRICITY", "2026-01", "xinhe"): 0.8,
    }
    reason = "column 全社会用电量 holds 1-10月累计, ECO_ELECTRICITY is published as 当月"
    expected = Rejection("t.xlsx row 3", "全社会用电量", "10", reason, "ECO_ELECTRICITY")
    assert result.rejections == [expected]


def test_merged_february_reads_its_1_2_heads_as_the_period(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Bureaus head February's columns of a 1-2月 release 1-2月 only: that is its 当期 too."""
    write_xlsx(
        tmp_path / "2026年2月 规上工业.xlsx",
        [
            ["新河市规模以上工业主要指标（2026年1-2月）"],
            ["单位：万元"],
            ["地区", "企业单位数（个）", "工业总产值（1-2月）", "工业增加值增速（1-2月）（%）"],
            ["全市", 1378, 270000, 5.2],
        ],
    )
    columns = [{"head": "企业单位数（个）", "indicator": "ECO_IND_ENTERPRISES"}, *INDUSTRY_COLUMNS]
    result = read(catalog, tmp_path, industry_table(columns=columns))
    assert result.rejections == []
    assert values(result) == {
        ("ECO_IND_ENTERPRISES", "2026-02", "xinhe"): 1378,
        ("ECO_IND_OUTPUT", "2026-02", "xinhe"): 27.0,
        ("ECO_IND_VA_GROWTH_M", "2026-02", "xinhe"): 5.2,
        ("ECO_IND_VA_GROWTH_YTD", "2026-02", "xinhe"): 5.2,
    }


def test_a_1_2_head_is_not_march(catalog: Catalog, tmp_path: Path) -> None:
    """Only February's 当期 is 1-2月: a 1-3月 head stays 累计."""
    write_xlsx(
        tmp_path / "t.xlsx",
        [[" （2026年1-3月）"], ["地区", "工业增加值增速（1-3月）（%）"], ["全市", 5.2]],
    )
    result = read(catalog, tmp_path, industry_table(columns=INDUSTRY_COLUMNS[1:]))
    assert values(result) == {("ECO_IND_VA_GROWTH_YTD", "2026-03", "xinhe"): 5.2}
    assert [r.reason for r in result.rejections] == ["no column 工业增加值增速（%） (period)"]


def _with_cached_value(path: Path, cell: str, value: str) -> None:
    """The workbook as Excel saves it: the formula of `cell` with its computed value."""
    copy = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                found = re.search(
                    rf'<c r="{cell}"[^>]*><f>([^<]*)</f>(<v>\s*</v>|<v\s*/>)?</c>', text
                )
                assert found, text
                cached = f'<c r="{cell}"><f>{found.group(1)}</f><v>{value}</v></c>'
                data = text.replace(found.group(0), cached).encode()
            target.writestr(item, data)
    copy.replace(path)


def test_formulas_without_a_computed_value_are_rejected(catalog: Catalog, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    for row in (
        [TITLE],
        ["单位：万元"],
        INDUSTRY_HEADER,
        ["滨江区", 1, 10000, 6.0, 5.0],
        ["老城区", 1, 20000, 7.0, 6.0],
        ["全市", 2, "=SUM(C4:C5)", 6.5, "=AVERAGE(E4:E5)"],
    ):
        sheet.append(row)
    workbook.save(tmp_path / "computed.xlsx")
    workbook.save(tmp_path / "written.xlsx")
    _with_cached_value(tmp_path / "computed.xlsx", "C6", "30000")
    _with_cached_value(tmp_path / "computed.xlsx", "E6", "5.5")
    result = read(catalog, tmp_path, industry_table())
    reason = "formula without a computed value (open and save the file in Excel/WPS)"
    assert result.rejections == [
        Rejection(
            "written.xlsx row 6", "工业总产值（1-10月）", "=SUM(C4:C5)", reason, "ECO_IND_OUTPUT"
        ),
        Rejection(
            "written.xlsx row 6",
            "工业增加值增速（1-10月）（%）",
            "=AVERAGE(E4:E5)",
            reason,
            "ECO_IND_VA_GROWTH_YTD",
        ),
    ]
    read_values = {(k[1], k[2], k[0]): v for k, v in values(result).items()}
    assert read_values[("2026-10", "xinhe", "ECO_IND_OUTPUT")] == pytest.approx(3.0)  # cached
    assert read_values[("2026-10", "xinhe", "ECO_IND_VA_GROWTH_YTD")] == 5.5
    # 3 values of 2 districts in 2 files, the computed 全市 row, 当月 growth of the other
    assert len(result.rows) == 2 * 2 * 3 + 3 + 1


@pytest.mark.parametrize(
    "name", ["2026-10 电力.csv", "202610_电力.csv", "2026年10月 电力.csv", "电力_2026年10月.csv"]
)
def test_the_period_in_a_file_name(catalog: Catalog, tmp_path: Path, name: str) -> None:
    write_csv(tmp_path / name, [["指标名称", "10月"], ["全社会用电量", "12.05"]], "utf-8")
    table = {
        "name": "电力运行月报",
        "files": "*.csv",
        "item_column": "指标名称",
        "period": "file_name",
        "columns": [{"item": "全社会用电量", "indicator": "ECO_ELECTRICITY"}],
    }
    result = read(catalog, tmp_path, table)
    assert result.rejections == []
    assert values(result) == {("ECO_ELECTRICITY", "2026-10", "xinhe"): 12.05}


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2026-10 工业.csv", "2026-10"),
        ("202610_工业.csv", "202610"),
        ("2026年10月", "2026年10月"),
        ("新河市（2026年1-10月）", "2026年1-10月"),
        ("2026Q3 地区生产总值", "2026Q3"),
        ("（2025年）", "2025年"),
        ("20261015.csv", None),  # a date, not a month
        ("电话：0571-88888888", None),
    ],
)
def test_period_in_text(text: str, period: str | None) -> None:
    assert period_in_text(text) == period


def test_a_percent_sign_is_read_for_percent_units_only(catalog: Catalog, tmp_path: Path) -> None:
    """0.5% is 5‰: taken as 0.5 it would be off by ten."""
    rate = catalog.get("ECO_UNEMPLOYMENT").model_copy(
        update={"code": "ECO_BIRTH_RATE", "unit": "‰"}
    )
    catalog = replace(catalog, indicators={**catalog.indicators, rate.code: rate})
    write_csv(
        tmp_path / "2026年10月.csv",
        [["指标名称", "10月"], ["出生率", "0.5%"], ["城镇调查失业率", "5.1%"]],
        "utf-8",
    )
    table = {
        "name": "人口",
        "files": "*.csv",
        "item_column": "指标名称",
        "period": "file_name",
        "columns": [
            {"item": "出生率", "indicator": "ECO_BIRTH_RATE"},
            {"item": "城镇调查失业率", "indicator": "ECO_UNEMPLOYMENT"},
        ],
    }
    result = read(catalog, tmp_path, table)
    assert values(result) == {("ECO_UNEMPLOYMENT", "2026-10", "xinhe"): 5.1}
    assert result.rejections == [
        Rejection(
            "2026年10月.csv row 2",
            "10月",
            "0.5%",
            "'0.5%' is a percentage where a plain number is expected",
            "ECO_BIRTH_RATE",
        )
    ]
