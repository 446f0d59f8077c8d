"""The 基层填报 template: the workbook a bureau fills in by hand and sends back.

One layout for the blank template (`write_template`), for filled files made by other programs
(the sample city) and for the reader in `connectors.manual`: a `填报` sheet with a title row,
a header row and one value per row, and a `说明` sheet telling the person filling it in how to
write periods, areas, units and missing values. Written in openpyxl's streaming mode, so a
bureau's year of figures is written in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.describe import AREAS_ZH, FREQUENCY_ZH, PUBLISHED_ZH
from indicators.export import HEAD_FILL
from indicators.model import Area, AreaScope, Indicator, Kind, PublishedAs
from indicators.registry import Catalog

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MANUAL_SOURCE = "manual_report"  # the catalog's source of 基层填报 indicators
ENTRY_SHEET = "填报"
GUIDE_SHEET = "说明"
CITY_ALIAS = "全市"  # how a bureau names the whole city, besides its own name

# Column heads of the 填报 sheet and their widths. 指标名称 and 计量单位 are for the person
# filling it in; the code decides the indicator and the unit may be a convertible one.
CODE, NAME, UNIT, PERIOD, AREA, VALUE, REPORTER, NOTE = (
    "指标代码",
    "指标名称",
    "计量单位",
    "统计期",
    "地区",
    "数值",
    "填报单位",
    "备注",
)
HEADS: tuple[str, ...] = (CODE, NAME, UNIT, PERIOD, AREA, VALUE, REPORTER, NOTE)
WIDTHS = (34, 28, 10, 16, 12, 14, 22, 24)
TITLE_ROW, HEAD_ROW = 1, 2

_GUIDE = (
    "一、本表用于向{city}政务驾驶舱报送基层填报指标。请在“填报”工作表逐行填写："
    "一行为一个指标、一个统计期、一个地区的数值。",
    "二、指标代码决定所报指标，请勿改动；指标名称、计量单位两列供核对。",
    "三、统计期按指标频率填写：月度写 2026年10月（或 2026-10），季度写 2026年三季度"
    "（或 2026Q3），年度写 2026年。",
    "四、报送方式为“累计”的指标填 1-N月累计值，统计期可写 2026年10月 或 2026年1-10月；"
    "1-2月合并报送的指标不单独报 1 月，2 月填 1-2月累计值。",
    "五、地区填区名（如 滨江区）或区代码（如 binjiang）；全市数据填“全市”或“{city}”。"
    "仅统计全市的指标只填全市一行。",
    "六、数值只填数字，可带千分位；计量单位为 % 的指标可写 85.3 或 85.3%。"
    "没有数据请留空，不要填 0：留空视为未报送。",
    "七、计量单位须与指标单位一致，或为可换算的单位（如指标单位为亿元时可按万元填报，"
    "系统自动换算）。",
    "八、同一指标、统计期、地区只填一行；各次报送的同一数值须一致。",
    "九、文件中任何一行不符合要求时，整份文件不入库；请按系统列出的行号、列名修改后重新报送。",
)
_GUIDE_HEADS = ("指标代码", "指标名称", "计量单位", "频率", "报送方式", "地区范围", "口径")
_GUIDE_WIDTHS = (34, 28, 10, 6, 16, 12, 80)


def reporting_indicators(catalog: Catalog, owner: str | None = None) -> list[Indicator]:
    """The stored indicators bureaus report by hand, of one bureau (`owner`) or all."""
    return [
        ind
        for ind in catalog
        if ind.kind is Kind.base
        and ind.source.connector == MANUAL_SOURCE
        and (owner is None or ind.owner == owner)
    ]


def reported_areas(catalog: Catalog, ind: Indicator) -> tuple[Area, ...]:
    """The areas an indicator is reported for: the city alone, or the city and each district."""
    deployment = catalog.deployment
    return deployment.areas if ind.areas is AreaScope.all else (deployment.city,)


def area_label(catalog: Catalog, area: Area) -> str:
    """How the template names an area: 全市 for the city, the district's Chinese name."""
    return CITY_ALIAS if area == catalog.deployment.city else area.name_zh


def publication_zh(ind: Indicator) -> str:
    """报送方式 in words: 当期, or 1-N月累计 (with 1-2月 merged where it is)."""
    if ind.published_as is PublishedAs.period:
        return PUBLISHED_ZH[ind.published_as]
    return "1-N月累计（1-2月合并）" if ind.merged_jan_feb else "1-N月累计"


def entry_row(
    ind: Indicator, area: str, period: str | None = None, value: object = None, unit: str = ""
) -> list[object]:
    """One row of the 填报 sheet in the order of HEADS (`unit` defaults to the catalog's)."""
    note = "填1-N月累计值" if ind.published_as is PublishedAs.ytd else None
    return [ind.code, ind.name_zh, unit or ind.unit, period, area, value, ind.owner, note]


def write_workbook(
    path: Path, catalog: Catalog, rows: Iterable[Sequence[object]], owner: str | None = None
) -> None:
    """Write a 填报 workbook holding `rows` (each in the order of HEADS) and its 说明 sheet."""
    city = catalog.deployment.city.name_zh
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ENTRY_SHEET)
    _layout(sheet, WIDTHS)
    sheet.column_dimensions[_letter(PERIOD)].number_format = "@"  # 2026-10 stays text, not a date
    sheet.freeze_panes = f"A{HEAD_ROW + 1}"
    sheet.merged_cells.add(f"A{TITLE_ROW}:{get_column_letter(len(HEADS))}{TITLE_ROW}")
    sheet.data_validations.append(_area_choices(catalog))
    title = f"{city}指标数据填报表" + (f"（{owner}）" if owner else "")
    sheet.append([_styled(sheet, title, Font(bold=True, size=14))])
    sheet.append(_heads(sheet, HEADS))
    for row in rows:
        sheet.append(row)
    _write_guide(workbook, catalog, owner)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def write_template(catalog: Catalog, path: Path, owner: str | None = None) -> int:
    """A blank template with one row per indicator and area of `owner` (or of every bureau);
    the bureau fills in 统计期 and 数值, copying rows for more periods. Returns the number of
    indicators."""
    indicators = reporting_indicators(catalog, owner)
    if not indicators:
        raise ValueError(f"no {MANUAL_SOURCE} indicators" + (f" of {owner}" if owner else ""))
    rows = (
        entry_row(ind, area_label(catalog, area))
        for ind in indicators
        for area in reported_areas(catalog, ind)
    )
    write_workbook(path, catalog, rows, owner)
    return len(indicators)


def _write_guide(workbook: Workbook, catalog: Catalog, owner: str | None) -> None:
    city = catalog.deployment.city.name_zh
    sheet = workbook.create_sheet(GUIDE_SHEET)
    _layout(sheet, _GUIDE_WIDTHS)
    sheet.append([_styled(sheet, "填报说明", Font(bold=True, size=14))])
    for line in _GUIDE:
        sheet.append([line.format(city=city)])
    sheet.append([])
    sheet.append(_heads(sheet, _GUIDE_HEADS))
    for ind in reporting_indicators(catalog, owner):
        sheet.append(
            [
                ind.code,
                ind.name_zh,
                ind.unit,
                FREQUENCY_ZH[ind.frequency],
                publication_zh(ind),
                AREAS_ZH[ind.areas],
                ind.definition.strip(),
            ]
        )


def _area_choices(catalog: Catalog) -> DataValidation:
    """A drop-down of area names on the 地区 column; a warning only, so codes still go in."""
    names = ",".join(area_label(catalog, area) for area in catalog.deployment.areas)
    column = _letter(AREA)
    choices = DataValidation(
        type="list", formula1=f'"{names}"', allow_blank=True, errorStyle="warning"
    )
    choices.add(f"{column}{HEAD_ROW + 1}:{column}1048576")
    return choices


def _layout(sheet: WriteOnlyWorksheet, widths: Sequence[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _heads(sheet: WriteOnlyWorksheet, heads: Sequence[str]) -> list[WriteOnlyCell]:
    cells = [_styled(sheet, head, Font(bold=True, color="FFFFFF")) for head in heads]
    for cell in cells:
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(vertical="center")
    return cells


def _styled(sheet: WriteOnlyWorksheet, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _letter(head: str) -> str:
    return get_column_letter(HEADS.index(head) + 1)
