"""Options of the `files` kind: how a site describes a bureau's tables without code.

```yaml
tables:
  - name: 规模以上工业主要指标           # the title, for messages
    files: "stats/* 规模以上工业主要指标.xlsx"
    area_column: 地区                   # rows are areas (or item_column: 指标名称)
    period: title                       # title | file_name | column (+ period_column)
    columns:
      - {head: 工业总产值, indicator: ECO_IND_OUTPUT}        # 当月 or 1-N月 by published_as
      - {head: 工业增加值增速（%）, indicator: ECO_IND_VA_GROWTH_YTD, window: ytd}
```
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from connectors.config import Strict
from indicators.model import PublishedAs


class ColumnMap(Strict):
    """One value column and the indicator it holds."""

    indicator: str
    head: str = ""  # the head without its window; "" = the window columns of an item table
    item: str | None = None  # item tables: the 指标名称 of the row
    window: PublishedAs | None = None  # period (当月/当季) or ytd (累计); default: published_as
    unit: str | None = None  # unit as written; default: the title's 单位, else the catalog's


class TableSpec(Strict):
    """One family of files with the same layout (e.g. a monthly 规模以上工业 workbook)."""

    name: str = Field(min_length=1)  # the table's title, for messages and sample files
    files: str = Field(min_length=1)  # glob, relative to the sources file unless absolute
    header: str | None = None  # first cell of the header row; default: the key column's head
    area_column: str | None = None  # rows are areas: 滨江区…, 全市
    item_column: str | None = None  # rows are indicators (指标名称)…
    area: str | None = None  # …all of one area (default: the city)
    period: Literal["title", "file_name", "column"] = "title"
    period_column: str | None = None  # with period: column
    sheet: str | None = None  # Excel sheet (default: the first)
    encoding: str | None = None  # CSV (default: UTF-8, else GB18030)
    columns: tuple[ColumnMap, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> TableSpec:
        if (self.area_column is None) == (self.item_column is None):
            raise ValueError("give exactly one of area_column (rows are areas) or item_column")
        items = [c.item is not None for c in self.columns]
        if self.item_column and not all(items):
            raise ValueError("every column of an item table needs its item (the row)")
        if self.area_column and (any(items) or self.area):
            raise ValueError("item and area belong to item tables (item_column)")
        if (self.period == "column") != (self.period_column is not None):
            raise ValueError("period_column goes with period: column, and only with it")
        return self

    @property
    def key_column(self) -> str:
        return self.area_column or self.item_column or ""


class FilesOptions(Strict):
    tables: tuple[TableSpec, ...] = Field(min_length=1)
