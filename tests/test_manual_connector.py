"""The 基层填报 template: written blank, filled in by hand (here by openpyxl), read back with
every problem named by file, row and column; an inbox of several files read as one source."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from connectors.base import ReadResult, Rejection, SourceContext, no_progress
from connectors.manual import KEY_FIELD, read_template, validate_import
from connectors.registry import ConnectorConfigError, build_connector
from connectors.template import ENTRY_SHEET, GUIDE_SHEET, HEAD_ROW, HEADS, write_template
from indicators.registry import DEFAULT_CATALOG, Catalog, load_catalog
from indicators.store import ValueRow


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DEFAULT_CATALOG).catalog


def row(code: str, period: object, area: str, value: object, unit: str | None = None) -> list:
    """A row in the order of the 填报 heads; no unit means the cell is left blank."""
    return [code, "（名称供核对）", unit, period, area, value, "测试单位", None]


def filled(
    catalog: Catalog, path: Path, rows: list[list], percent_rows: tuple[int, ...] = ()
) -> Path:
    """Write the blank template, replace its pre-filled rows by `rows` (from row 3), and give
    the 数值 cell of the listed rows Excel's percent format."""
    write_template(catalog, path)
    workbook = load_workbook(path)
    sheet = workbook[ENTRY_SHEET]
    sheet.delete_rows(HEAD_ROW + 1, sheet.max_row)
    for values in rows:
        sheet.append(values)
    for number in percent_rows:
        sheet.cell(number, HEADS.index("数值") + 1).number_format = "0.0%"
    workbook.save(path)
    return path


def test_blank_template_of_one_bureau(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "水务.xlsx"
    assert write_template(catalog, path, owner="市水务局") == 2
    workbook = load_workbook(path)
    assert workbook.sheetnames == [ENTRY_SHEET, GUIDE_SHEET]
    sheet = workbook[ENTRY_SHEET]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "新河市指标数据填报表（市水务局）"
    assert values[1] == HEADS
    assert len(values) == 2 + 2 * 9  # two indicators, each for the city and 8 districts
    assert values[2] == (
        "ECL_SEWAGE_DISCHARGED",
        "城市污水排放量",
        "万吨",
        None,
        "全市",
        None,
        "市水务局",
        None,
    )
    assert [v[4] for v in values[2:11]] == [
        "全市",
        "滨江区",
        "老城区",
        "高新区",
        "临港区",
        "东湖区",
        "西山区",
        "南湾区",
        "北塘区",
    ]
    (choices,) = sheet.data_validations.dataValidation
    assert str(choices.sqref) == "E3:E1048576"
    assert "滨江区" in choices.formula1
    assert sheet.column_dimensions["D"].number_format == "@"  # a typed 2026-10 stays text
    guide = [line for (line, *_) in workbook[GUIDE_SHEET].iter_rows(values_only=True) if line]
    assert any("2026年三季度" in line and "2026年10月" in line for line in guide)
    assert any("万元" in line and "亿元" in line for line in guide)
    assert any("留空" in line for line in guide)


def test_blank_template_of_every_bureau(catalog: Catalog, tmp_path: Path) -> None:
    manual = [i for i in catalog if i.source.connector == "manual_report" and i.kind == "base"]
    assert write_template(catalog, tmp_path / "all.xlsx") == len(manual) == 59
    with pytest.raises(ValueError, match="no manual_report indicators of 市不存在局"):
        write_template(catalog, tmp_path / "none.xlsx", owner="市不存在局")


def test_an_unfilled_template_reads_as_nothing_and_is_no_import(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = tmp_path / "blank.xlsx"
    write_template(catalog, path, owner="市水务局")
    assert read_template(path, catalog) == ReadResult(rows=[], rejections=[], rows_read=18)
    assert validate_import(path, catalog).rejections == [
        Rejection("blank.xlsx", "数值", "", "no value is filled in: nothing to import")
    ]


def test_the_template_s_own_rows_filled_in(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "水务.xlsx"
    write_template(catalog, path, owner="市水务局")
    workbook = load_workbook(path)
    sheet = workbook[ENTRY_SHEET]
    for number in range(3, 21):
        sheet.cell(number, 4).value = "2026年10月"
        sheet.cell(number, 6).value = number * 1.5
    workbook.save(path)
    result = read_template(path, catalog)
    assert result.rejections == []
    assert len(result.rows) == 18
    assert result.rows[0] == ValueRow("ECL_SEWAGE_DISCHARGED", "2026-10", "xinhe", 4.5)
    assert result.rows[-1] == ValueRow("ECL_SEWAGE_TREATED", "2026-10", "beitang", 30.0)


def test_good_rows_become_exact_values(catalog: Catalog, tmp_path: Path) -> None:
    path = filled(
        catalog,
        tmp_path / "a.xlsx",
        [
            row("ECL_SEWAGE_TREATED", "2026年10月", "滨江区", "１２３．４", "万吨"),  # full width
            row("ecl_sewage_treated", "2026-09", "binjiang", "1,200", "吨"),  # 吨 → 万吨
            row("ECO_MAJOR_PROJECT_INVEST", "2026年1-10月", "全市", 123456, "万元"),  # 万元 → 亿元
            row("ECO_MAJOR_PROJECT_INVEST", "2026年9月", "gaoxin", 10.5, "亿元"),  # 累计 as month
            row("ECO_RETAIL_ONLINE", "2026年1-2月", "新河市", 300.25, "亿元"),  # merged 1-2月
            row("ECL_MSW_SORTING_COVERAGE", "2026年三季度", "老城区", "85.3%", "%"),
            row("ECL_MSW_SORTING_COVERAGE", "2026Q2", "老城区", 0.853, "％"),  # 0.0% format
            row("ECL_MSW_COLLECTED", "2026年1-3月", "全市", 40.5),  # one quarter: its own 累计
            row("ECO_NEW_URBAN_JOBS", "2026年上半年", "滨江区", 1.25),  # 累计 1-6月
            row("SVC_ASSESSMENT_SCORE", 2025, "全市", 88.5),
            row("GOV_FIRES", datetime(2026, 10, 1), "东湖区", 7),  # Excel made 2026-10 a date
            row("GOV_FIRES", "2026年9月", "东湖区", None),  # not reported: skipped
            row("GOV_FIRES", "2026年8月", "东湖区", "—"),  # missing mark: skipped
        ],
        percent_rows=(9,),
    )
    result = read_template(path, catalog)
    assert result.rejections == []
    assert result.rows == [
        ValueRow("ECL_SEWAGE_TREATED", "2026-10", "binjiang", 123.4),
        ValueRow("ECL_SEWAGE_TREATED", "2026-09", "binjiang", 0.12),
        ValueRow("ECO_MAJOR_PROJECT_INVEST", "2026-10", "xinhe", 12.3456),
        ValueRow("ECO_MAJOR_PROJECT_INVEST", "2026-09", "gaoxin", 10.5),
        ValueRow("ECO_RETAIL_ONLINE", "2026-02", "xinhe", 300.25),
        ValueRow("ECL_MSW_SORTING_COVERAGE", "2026Q3", "laocheng", 85.3),
        ValueRow("ECL_MSW_SORTING_COVERAGE", "2026Q2", "laocheng", 85.3),
        ValueRow("ECL_MSW_COLLECTED", "2026Q1", "xinhe", 40.5),
        ValueRow("ECO_NEW_URBAN_JOBS", "2026-06", "binjiang", 1.25),
        ValueRow("SVC_ASSESSMENT_SCORE", "2025", "xinhe", 88.5),
        ValueRow("GOV_FIRES", "2026-10", "donghu", 7.0),
    ]
    assert result.rows_read == 13


@pytest.mark.parametrize(
    ("cells", "field", "shown", "reason"),
    [
        (
            row("ECL_SEWAGE_TREATD", "2026年10月", "全市", 1),
            "指标代码",
            "ECL_SEWAGE_TREATD",
            "unknown indicator code 'ECL_SEWAGE_TREATD' (did you mean ECL_SEWAGE_TREATED",
        ),
        (row(None, "2026年10月", "全市", 1), "指标代码", "", "no indicator code"),
        (
            row("ECL_PM25", "2026年10月", "全市", 1),
            "指标代码",
            "ECL_PM25",
            "ECL_PM25 is not reported by hand: its source is env_api",
        ),
        (
            row("ECL_SEWAGE_TREATMENT_RATE", "2026年10月", "全市", 90),
            "指标代码",
            "ECL_SEWAGE_TREATMENT_RATE",
            "is computed (ratio) from other indicators",
        ),
        (
            row("ECO_TOURISTS", "2026年10月", "滨江区", 1),
            "地区",
            "滨江区",
            "ECO_TOURISTS is reported for the whole city only",
        ),
        (row("GOV_FIRES", "2026年10月", "江北区", 1), "地区", "江北区", "unknown area '江北区'"),
        (row("GOV_FIRES", "2026年10月", None, 1), "地区", "", "no area"),
        (row("GOV_FIRES", "2026年13月", "全市", 1), "统计期", "2026年13月", "unreadable period"),
        (row("GOV_FIRES", "去年十月", "全市", 1), "统计期", "去年十月", "unreadable period"),
        (row("GOV_FIRES", None, "全市", 1), "统计期", "", "no period"),
        (
            row("ECL_MSW_COLLECTED", "2026年10月", "全市", 1),
            "统计期",
            "2026年10月",
            "is a month period; ECL_MSW_COLLECTED is reported by quarter",
        ),
        (
            row("ECL_MSW_COLLECTED", "2026年1-10月", "全市", 1),
            "统计期",
            "2026年1-10月",
            "is a month period; ECL_MSW_COLLECTED is reported by quarter",
        ),
        (
            row("GOV_FIRES", "2026年1-10月", "全市", 1),
            "统计期",
            "2026年1-10月",
            "GOV_FIRES is reported for the period itself (当期), not as 1-N累计",
        ),
        (
            row("ECL_MSW_COLLECTED", "2026年上半年", "全市", 1),
            "统计期",
            "2026年上半年",
            "ECL_MSW_COLLECTED is reported for the period itself (当期), not as 1-N累计",
        ),
        (
            row("ECO_RETAIL_ONLINE", "2026年1月", "全市", 1),
            "统计期",
            "2026年1月",
            "ECO_RETAIL_ONLINE reports January with February: write 2026年1-2月",
        ),
        (
            row("ECL_SEWAGE_TREATED", "2026年10月", "全市", 1, "立方米"),
            "计量单位",
            "立方米",
            "unit 立方米 does not convert to ECL_SEWAGE_TREATED's unit 万吨",
        ),
        (
            row("GOV_WORK_DEATHS", "2026年10月", "全市", 1, "人次"),
            "计量单位",
            "人次",
            "unit 人次 does not convert to GOV_WORK_DEATHS's unit 人",
        ),
        (
            row("ECL_VEHICLE_STOCK", "2026年10月", "全市", 1, "台"),
            "计量单位",
            "台",
            "unit 台 does not convert to ECL_VEHICLE_STOCK's unit 万辆",
        ),
        (
            row("GOV_FIRES", "2026年10月", "全市", "约100"),
            "数值",
            "约100",
            "'约100' is not a number",
        ),
        (row("GOV_FIRES", "2026年10月", "全市", "12%"), "数值", "12%", "is a percentage"),
    ],
)
def test_each_problem_is_a_rejection_naming_row_and_field(
    catalog: Catalog, tmp_path: Path, cells: list, field: str, shown: str, reason: str
) -> None:
    path = filled(catalog, tmp_path / "a.xlsx", [row("GOV_FIRES", "2026年9月", "全市", 3), cells])
    result = read_template(path, catalog)
    assert result.rows == [ValueRow("GOV_FIRES", "2026-09", "xinhe", 3.0)]  # the good row stays
    assert len(result.rejections) == 1
    (rejection,) = result.rejections
    assert (rejection.location, rejection.field, rejection.value) == ("a.xlsx row 4", field, shown)
    assert reason in rejection.reason


def test_a_percent_formatted_cell_where_no_percent_belongs(
    catalog: Catalog, tmp_path: Path
) -> None:
    path = filled(catalog, tmp_path / "a.xlsx", [row("GOV_FIRES", "2026年9月", "全市", 0.5)], (3,))
    (rejection,) = read_template(path, catalog).rejections
    assert (rejection.field, rejection.reason) == ("数值", "a percentage where GOV_FIRES takes 起")


def test_every_problem_of_a_row_is_reported(catalog: Catalog, tmp_path: Path) -> None:
    path = filled(catalog, tmp_path / "a.xlsx", [row("GOV_FIRES", "十月", "江北区", "many", "条")])
    result = read_template(path, catalog)
    assert result.rows == []
    assert [(r.location, r.field) for r in result.rejections] == [
        ("a.xlsx row 3", "地区"),
        ("a.xlsx row 3", "统计期"),
        ("a.xlsx row 3", "计量单位"),
        ("a.xlsx row 3", "数值"),
    ]


def test_a_repeated_row_is_rejected_and_the_first_kept(catalog: Catalog, tmp_path: Path) -> None:
    path = filled(
        catalog,
        tmp_path / "a.xlsx",
        [
            row("GOV_FIRES", "2026年10月", "滨江区", 5),
            row("GOV_FIRES", "2026年9月", "滨江区", 4),
            row("GOV_FIRES", "2026-10", "binjiang", 6),  # same key written another way
        ],
    )
    result = read_template(path, catalog)
    assert result.rows == [
        ValueRow("GOV_FIRES", "2026-10", "binjiang", 5.0),
        ValueRow("GOV_FIRES", "2026-09", "binjiang", 4.0),
    ]
    assert result.rejections == [
        Rejection(
            "a.xlsx row 5",
            KEY_FIELD,
            "GOV_FIRES 2026-10 binjiang",
            "GOV_FIRES 2026-10 binjiang is also reported in row 3",
            "GOV_FIRES",
        )
    ]


def test_files_that_are_no_template(catalog: Catalog, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    (rejection,) = read_template(text, catalog).rejections
    assert (rejection.location, rejection.field) == ("notes.xlsx", "文件")
    assert "not a readable .xlsx workbook" in rejection.reason

    path = filled(catalog, tmp_path / "a.xlsx", [])
    workbook = load_workbook(path)
    workbook[ENTRY_SHEET].cell(HEAD_ROW, HEADS.index("数值") + 1).value = "金额"
    workbook.save(path)
    assert read_template(path, catalog).rejections == [
        Rejection("a.xlsx", "数值", "", "no column headed 数值 in the first 10 rows")
    ]


def test_the_inbox_reads_every_file_and_refuses_conflicting_values(
    catalog: Catalog, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    filled(
        catalog,
        inbox / "a.xlsx",
        [
            row("GOV_FIRES", "2026年10月", "全市", 10),
            row("GOV_FIRES", "2026年9月", "全市", 9),
            row("GOV_FIRES", "2026年8月", "全市", 8),
        ],
    )
    filled(
        catalog,
        inbox / "b.xlsx",
        [
            row("GOV_FIRES", "2026年10月", "全市", 11),  # conflicts with a.xlsx row 3
            row("GOV_FIRES", "2026-09", "xinhe", 9),  # the same figure sent again
            row("GOV_FIRES", "2026年7月", "全市", 7),
        ],
    )
    (inbox / "~$a.xlsx").write_bytes(b"Excel lock file")
    calls: list[tuple[str, int, int | None]] = []
    connector = build_connector("manual", {"inbox": "inbox/*.xlsx"}, "manual_report")
    result = connector.read(SourceContext(catalog, tmp_path), lambda *args: calls.append(args))
    assert result.rows == [
        ValueRow("GOV_FIRES", "2026-09", "xinhe", 9.0),
        ValueRow("GOV_FIRES", "2026-08", "xinhe", 8.0),
        ValueRow("GOV_FIRES", "2026-07", "xinhe", 7.0),
    ]
    assert result.rejections == [
        Rejection(
            "b.xlsx row 3",
            "数值",
            "11",
            "GOV_FIRES 2026-10 xinhe is 10 in a.xlsx row 3",
            "GOV_FIRES",
        )
    ]
    assert result.rows_read == 6
    assert calls == [("read filled templates", 1, 2), ("read filled templates", 2, 2)]


def test_an_absolute_inbox_and_an_empty_one(catalog: Catalog, tmp_path: Path) -> None:
    filled(catalog, tmp_path / "a.xlsx", [row("GOV_FIRES", "2026年10月", "全市", 10)])
    absolute = build_connector("manual", {"inbox": str(tmp_path / "*.xlsx")}, "manual_report")
    elsewhere = SourceContext(catalog, Path("/nonexistent"), folders=(tmp_path,))
    assert absolute.read(elsewhere, no_progress).rows == [
        ValueRow("GOV_FIRES", "2026-10", "xinhe", 10.0)
    ]
    empty = build_connector("manual", {"inbox": "nothing/*.xlsx"}, "manual_report")
    assert empty.read(SourceContext(catalog, tmp_path), no_progress) == ReadResult()


def test_the_inbox_option_is_required() -> None:
    with pytest.raises(
        ConnectorConfigError, match=r"manual_report: options\.inbox: Field required"
    ):
        build_connector("manual", {}, "manual_report")
    with pytest.raises(ConnectorConfigError, match=r"options\.folder: Extra inputs"):
        build_connector("manual", {"inbox": "a/*.xlsx", "folder": "a"}, "manual_report")
