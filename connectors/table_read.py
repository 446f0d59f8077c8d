"""Reading one table file of a `files` source into ValueRows and Rejections."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from connectors.base import ReadResult, Rejection
from connectors.cells import CellError, convert_unit, parse_number, same_measure
from connectors.table_spec import ColumnMap, TableSpec
from connectors.tables import (
    Head,
    Rows,
    TableError,
    find_header,
    fold,
    parse_head,
    period_in_text,
    read_rows,
    unit_in_text,
)
from indicators.model import Area, Indicator
from indicators.periods import Period, PeriodError, parse_window
from indicators.registry import Catalog
from indicators.store import ValueRow

CITY_NAMES = {"全市", "合计", "总计", "全市合计"}  # besides the city's own name
NOTE_PREFIXES = ("注", "说明", "备注", "资料来源", "数据来源")


@dataclass(frozen=True)
class Column:
    """A mapping found in one file's header."""

    index: int
    head: Head
    map: ColumnMap
    ind: Indicator
    unit: str


class FileRejected(ValueError):
    def __init__(self, field: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.value = field, value


def read_table(
    table: TableSpec, path: Path, catalog: Catalog, indicators: dict[str, Indicator]
) -> ReadResult:
    """The values of one file; a file without a usable header or period is one rejection."""
    try:
        rows = read_rows(path, table.sheet, table.encoding)
        return _TableFile(table, path.name, rows, catalog, indicators).read()
    except TableError as exc:
        return ReadResult(rejections=[Rejection(path.name, "file", str(path), str(exc))])
    except FileRejected as exc:
        return ReadResult(rejections=[Rejection(path.name, exc.field, exc.value, str(exc))])


class _TableFile:
    def __init__(
        self,
        table: TableSpec,
        name: str,
        rows: Rows,
        catalog: Catalog,
        indicators: dict[str, Indicator],
    ) -> None:
        self.table, self.name, self.catalog = table, name, catalog
        marker = table.header or table.key_column
        at = find_header(rows, marker)
        if at is None:
            raise FileRejected("header", marker, f"no header row starting with '{marker}'")
        self.header_at, self.body = at, rows[at + 1 :]
        self.heads = [parse_head(cell) for cell in rows[at]]
        title = [str(cell) for row in rows[:at] for cell in row if cell is not None]
        named = next(filter(None, map(period_in_text, [*title, name])), None)
        self.year = named[:4] if named else None  # for period cells without one (一季度)
        self.key_index = self._index_of(table.key_column)
        self.period_index = self._index_of(table.period_column) if table.period_column else None
        self.fixed_period = self._fixed_period(title)
        title_unit = next(filter(None, map(unit_in_text, title)), None)
        self.columns = [
            self._column(mapping, indicators[mapping.indicator], title_unit)
            for mapping in table.columns
        ]

    def _index_of(self, head: str) -> int:
        for index, parsed in enumerate(self.heads):
            if fold(parsed.raw) == fold(head):
                return index
        raise FileRejected(head, "", f"no column headed '{head}'")

    def _fixed_period(self, title: list[str]) -> str | None:
        if self.table.period == "column":
            return None
        texts = [self.name] if self.table.period == "file_name" else title
        found = next(filter(None, map(period_in_text, texts)), None)
        if found is None:
            raise FileRejected("period", "", f"no period in the {self.table.period}")
        return found

    def _column(self, mapping: ColumnMap, ind: Indicator, title_unit: str | None) -> Column:
        window = mapping.window or ind.published_as
        name = fold(mapping.head)
        candidates = [
            (head.window is None, index)
            for index, head in enumerate(self.heads)
            if head.name == name and head.window in (window, None) and not head.is_blank
        ]
        if not candidates:
            shown = mapping.head or "the window columns"
            raise FileRejected(mapping.head, "", f"no column {shown} ({window.value})")
        index = min(candidates)[1]  # a head naming the window wins over a plain one
        unit = source_unit(mapping.unit, title_unit, ind)
        return Column(index, self.heads[index], mapping, ind, unit)

    def read(self) -> ReadResult:
        result = ReadResult()
        seen_items: set[str] = set()
        for number, row in enumerate(self.body, start=self.header_at + 2):
            key = _cell(row, self.key_index)
            if not fold(key) or fold(key).startswith(NOTE_PREFIXES):
                continue
            result.rows_read += 1
            location = f"{self.name} row {number}"
            try:
                area, columns = self._row_target(key, seen_items)
                period_text = self._period_text(row)
            except FileRejected as exc:
                result.rejections.append(Rejection(location, exc.field, exc.value, str(exc)))
                continue
            for column in columns:
                outcome = _value(column, _cell(row, column.index), period_text, area)
                if isinstance(outcome, ValueRow):
                    result.rows.append(outcome)
                elif outcome is not None:
                    raw = "" if (cell := _cell(row, column.index)) is None else str(cell)
                    result.rejections.append(Rejection(location, column.head.raw, raw, outcome))
        for item in {_item_name(c.map.item) for c in self.columns if c.map.item} - seen_items:
            reason = f"no row '{item}'"
            result.rejections.append(Rejection(self.name, self.table.key_column, item, reason))
        return result

    def _row_target(self, key: object, seen_items: set[str]) -> tuple[Area, list[Column]]:
        """The area of the row's values and the columns to read in it."""
        if self.table.item_column is None:
            return self._area(key), self.columns
        item = _item_name(key)
        seen_items.add(item)
        columns = [c for c in self.columns if _item_name(c.map.item) == item]
        area = self._area(self.table.area) if self.table.area else self.catalog.deployment.city
        return area, columns

    def _area(self, name: object) -> Area:
        text = fold(name)
        deployment = self.catalog.deployment
        area = deployment.city if text in CITY_NAMES else deployment.find(text)
        if area is None:
            head = self.table.area_column or "area"
            raise FileRejected(head, str(name), f"unknown area '{text}'")
        return area

    def _period_text(self, row: list[object]) -> str:
        if self.period_index is None:
            return self.fixed_period or ""
        raw = _cell(row, self.period_index)
        cell = _period_cell(raw)
        with_year = [cell, f"{self.year}年{cell}"] if self.year else [cell]  # 一季度 → 2026年一季度
        for text in with_year:
            try:
                parse_window(text)
            except PeriodError:
                continue
            return text
        raise FileRejected(self.table.period_column or "", str(raw), f"unreadable period '{cell}'")


def source_unit(configured: str | None, title_unit: str | None, ind: Indicator) -> str:
    """The unit cells are written in: the mapping's, else the title's 单位 where it measures the
    same quantity as the catalog unit (单位：万元 covers 亿元 columns, not 个 or %), else the
    catalog's. The sample bureaus write by this rule too."""
    if configured:
        return configured
    if title_unit and same_measure(title_unit, ind.unit):
        return title_unit
    return ind.unit


def _value(column: Column, cell: object, period_text: str, area: Area) -> ValueRow | str | None:
    """The cell's ValueRow, None where the table marks it missing, or why it is unusable."""
    ind = column.ind
    try:
        number = parse_number(cell, allow_percent=ind.is_rate_unit)
        if number is None:
            return None
        period = _period(period_text, ind)
        value = convert_unit(number, column.unit, ind.unit)
    except (CellError, PeriodError) as exc:
        return str(exc)
    return ValueRow(ind.code, period.label, area.code, value)


def _period(text: str, ind: Indicator) -> Period:
    period, _ = parse_window(text, ind.frequency)
    if period.frequency is not ind.frequency:
        raise PeriodError(f"period '{text}' is not a {ind.frequency.value} of {ind.code}")
    if ind.merged_jan_feb and period.is_january:
        raise PeriodError(f"{ind.code} publishes January with February (1-2月), not alone")
    return period


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _period_cell(raw: object) -> str:
    """A period cell as text: Excel turns a typed 2026-10 into a date, 202610 into a number."""
    if isinstance(raw, date):
        return f"{raw.year}年{raw.month}月"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return fold(raw)


def _item_name(cell: object) -> str:
    """An item as compared: indentation and a leading 其中： dropped."""
    return fold(cell).removeprefix("其中:")
