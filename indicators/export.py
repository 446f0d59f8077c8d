"""The indicator system as an Excel table a bureau can read (Chinese headers)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators.describe import (
    AREAS_ZH,
    DIRECTION_ZH,
    FREQUENCY_ZH,
    GROWTH_ZH,
    KIND_ZH,
    NATURE_ZH,
    PRICE_ZH,
    PUBLISHED_ZH,
    SENSITIVITY_ZH,
    method_zh,
    rule_zh,
    target_zh,
)
from indicators.model import DOMAIN_NAMES_ZH, Indicator
from indicators.registry import Catalog

# (header, width, value of one indicator)
COLUMNS: list[tuple[str, int]] = [
    ("指标编码", 30),
    ("指标名称", 24),
    ("英文名称", 30),
    ("领域", 12),
    ("主题", 14),
    ("口径", 60),
    ("单位", 8),
    ("小数位", 7),
    ("频率", 6),
    ("时期/时点", 10),
    ("报送方式", 9),
    ("指标类型", 10),
    ("计算方法", 36),
    ("方向", 6),
    ("目标值", 26),
    ("预警规则", 40),
    ("责任单位", 22),
    ("数据来源", 40),
    ("发布时滞（天）", 9),
    ("区域范围", 10),
    ("密级", 6),
    ("增速来源", 10),
    ("价格口径", 8),
]

# The header of every workbook the cockpit writes (catalog, templates, rejected rows).
HEAD_FILL = PatternFill("solid", fgColor="1F4E79")


def indicator_row(catalog: Catalog, ind: Indicator) -> list[object]:
    topic = catalog.topic_of(ind)
    return [
        ind.code,
        ind.name_zh,
        ind.name_en,
        DOMAIN_NAMES_ZH[ind.domain],
        topic.name_zh,
        ind.definition.strip(),
        ind.unit,
        ind.decimals,
        FREQUENCY_ZH[ind.frequency],
        NATURE_ZH[ind.nature],
        PUBLISHED_ZH[ind.published_as] + ("（1-2月合并）" if ind.merged_jan_feb else ""),
        KIND_ZH[ind.kind],
        method_zh(ind, catalog),
        DIRECTION_ZH[ind.direction],
        target_zh(ind),
        rule_zh(ind),
        ind.owner,
        f"{ind.source.connector}：{ind.source.reads}",
        ind.release.lag_days,
        AREAS_ZH[ind.areas],
        SENSITIVITY_ZH[ind.sensitivity],
        GROWTH_ZH[ind.growth],
        PRICE_ZH[ind.price_basis],
    ]


def export_catalog_xlsx(catalog: Catalog, path: Path) -> int:
    """Write the catalog to `path`; return the number of indicators written."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "指标体系"
    sheet.append([header for header, _ in COLUMNS])
    for ind in sorted(
        catalog, key=lambda i: (list(DOMAIN_NAMES_ZH).index(i.domain), i.topic, i.code)
    ):
        sheet.append(indicator_row(catalog, ind))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEAD_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, (_, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "C2"
    sheet.auto_filter.ref = sheet.dimensions
    areas = workbook.create_sheet("区域")
    areas.append(["区域编码", "区域名称", "英文名称", "层级"])
    for area in catalog.deployment.areas:
        level = "市" if area == catalog.deployment.city else "区"
        areas.append([area.code, area.name_zh, area.name_en, level])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return len(catalog)
