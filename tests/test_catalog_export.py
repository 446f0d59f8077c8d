"""`cockpit catalog export --xlsx`: the indicator system as a bureau-readable Excel table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from cockpit.cli import app
from indicators.registry import DEFAULT_CATALOG, load_catalog
from tests.conftest import FIXTURE_CATALOG

runner = CliRunner()


def test_export_writes_every_indicator_with_chinese_headers(tmp_path: Path) -> None:
    target = tmp_path / "指标体系.xlsx"
    result = runner.invoke(app, ["catalog", "export", "--xlsx", str(target)])
    assert result.exit_code == 0, result.output
    catalog = load_catalog(DEFAULT_CATALOG).catalog
    assert f"wrote {len(catalog)} indicators" in result.output
    sheet = load_workbook(target)["指标体系"]
    headers = [cell.value for cell in sheet[1]]
    for header in (
        "指标编码",
        "指标名称",
        "口径",
        "单位",
        "频率",
        "责任单位",
        "目标值",
        "预警规则",
    ):
        assert header in headers
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(catalog)
    assert {row[0] for row in rows} == set(catalog.indicators)


def test_export_row_reads_like_the_definition(tmp_path: Path) -> None:
    target = tmp_path / "tiny.xlsx"
    result = runner.invoke(
        app, ["catalog", "export", "--xlsx", str(target), "--catalog", str(FIXTURE_CATALOG)]
    )
    assert result.exit_code == 0, result.output
    workbook = load_workbook(target)
    sheet = workbook["指标体系"]
    headers = [cell.value for cell in sheet[1]]
    rows = {
        row[0]: dict(zip(headers, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    output = rows["T_OUTPUT"]
    assert output["指标名称"] == "工业产值"
    assert output["单位"] == "亿元"
    assert output["频率"] == "月"
    assert output["报送方式"] == "累计（1-2月合并）"
    assert output["目标值"] == "年度累计目标：1200亿元；2025年 1000亿元"
    assert output["预警规则"] == "对照序时进度：达到为绿，落后10个百分点以内为黄，超过为红"
    assert rows["T_CLOSE_RATE"]["计算方法"] == "T_CLOSED / T_ORDERS×100"
    assert rows["T_CLOSE_RATE"]["预警规则"] == "≥95为绿，≥90为黄，其余为红"
    assert rows["T_PM25"]["预警规则"] == "≤35为绿，≤40为黄，其余为红"
    assert rows["T_CPI"]["预警规则"] == "[1, 3]为绿，[0, 4]为黄，其余为红"
    assert [r[1] for r in workbook["区域"].iter_rows(min_row=2, values_only=True)] == [
        "测试市",
        "东区",
        "西区",
    ]


def test_export_refuses_a_wrong_suffix(tmp_path: Path) -> None:
    result = runner.invoke(app, ["catalog", "export", "--xlsx", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert "must end in .xlsx" in result.output
