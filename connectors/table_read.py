"""Reading one table file of a `files` source into ValueRows and Rejections.

A column is found by its head: one naming the mapping's window, else (where 当期 and 累计
are one figure, as 1-2月 of a merged release in February) one naming the other window, else a
plain head. A plain head holds the window its title, file name or period cell states (1-10月
is 累计, 10月 当月; 2026-10, 202610 or 2026Q3 state none): a flow, or a mapping naming its
window, that needs the other one is rejected, never loaded as the wrong figure. A column
that is missing or holds the wrong window is rejected alone; the file's other columns are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from connectors.base import ReadResult, Rejection
from connectors.cells import CellError, convert_unit, parse_number, same_measure
from connectors.table_spec import ColumnMap, TableSpec
from connectors.tables import (
    Head,
    Rows,
    TableError,
    Uncomputed,
    find_header,
    fold,
    parse_head,
    period_in_text,
    read_rows,
    unit_in_text,
    window_label,
)
from indicators.model import Area, Frequency, Indicator, Nature, PublishedAs
from indicators.periods import Period, PeriodError, parse_window
from indicators.registry import Catalog
from indicators.store import ValueRow

CITY_NAMES = {"全市", "合计", "总计", "全市合计"}  # besides the city's own name
NOTE_PREFIXES = ("注", "说明", "备注", "资料来源", "数据来源")
UNCOMPUTED = "formula without a computed value (open and save the file in Excel/WPS)"
_STATES_WINDOW = re.compile(r"[月季]|半年|全年")  # 2026-10, 202610, 2026Q3 state no window
_CURRENT = {Frequency.month: "当月", Frequency.quarter: "当季", Frequency.year: "当年"}


@dataclass(frozen=True)
class Column:
    """A mapping found in one file's header."""

    index: int
    head: Head
    map: ColumnMap
    ind: Indicator
    unit: str

    @property
    def needs(self) -> PublishedAs | None:
        """The window the mapping reads: a flow's published_as or the one the mapping names;
        None where any will do (a stock, a rate without a window)."""
        if self.map.window is not None:
            return self.map.window
        return self.ind.published_as if self.ind.nature is Nature.flow else None


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
        self.columns: list[Column] = []
        self.rejected: list[Rejection] = []  # columns the file lacks or holds in another window
        for mapping in table.columns:
            try:
                ind = indicators[mapping.indicator]
                self.columns.append(self._column(mapping, ind, title_unit))
            except FileRejected as exc:
                self.rejected.append(Rejection(name, exc.field, exc.value, str(exc)))

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
        found: dict[PublishedAs | None, int] = {}  # window → first head with it
        for index, head in enumerate(self.heads):
            if head.name == name and not head.is_blank:
                found.setdefault(head.window, index)
        stated = self._stated(ind)
        one_figure = stated is not None and _one_figure(stated[0], ind)
        other = PublishedAs.ytd if window is PublishedAs.period else PublishedAs.period
        if window in found:
            index = found[window]
        elif one_figure and other in found:  # 1-2月 is February's 当期 of a merged release
            index = found[other]
        elif None in found:
            index = found[None]
        else:
            shown = mapping.head or "the window columns"
            raise FileRejected(mapping.head, "", f"no column {shown} ({window.value})")
        unit = source_unit(mapping.unit, title_unit, ind)
        column = Column(index, self.heads[index], mapping, ind, unit)
        if stated is not None and (conflict := window_conflict(column, *stated)):
            raise FileRejected(column.head.raw, "", conflict)
        return column

    def _stated(self, ind: Indicator) -> tuple[Period, PublishedAs | None] | None:
        """The period of a title or file name and the window it states, in `ind`'s terms;
        None where rows state their own or it cannot be read (each cell then says so)."""
        if self.fixed_period is None:
            return None
        try:
            return stated_window(self.fixed_period, ind)
        except PeriodError:
            return None

    def read(self) -> ReadResult:
        result = ReadResult(rejections=list(self.rejected))
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
                outcome = _value(column, _cell(row, column.index), period_text, area, location)
                if isinstance(outcome, ValueRow):
                    result.rows.append(outcome)
                elif outcome is not None:
                    raw = "" if (cell := _cell(row, column.index)) is None else str(cell)
                    rejected = Rejection(location, column.head.raw, raw, outcome, column.ind.code)
                    result.rejections.append(rejected)
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
                _window(text, None)
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


def _value(
    column: Column, cell: object, period_text: str, area: Area, location: str
) -> ValueRow | str | None:
    """The cell's ValueRow, None where the table marks it missing, or why it is unusable."""
    ind = column.ind
    if isinstance(cell, Uncomputed):
        return UNCOMPUTED
    try:
        number = parse_number(cell, allow_percent=ind.unit == "%")  # never 0.5% for a ‰
        if number is None:
            return None
        period, stated = stated_window(period_text, ind)
        value = convert_unit(number, column.unit, ind.unit)
    except (CellError, PeriodError) as exc:
        return str(exc)
    if conflict := window_conflict(column, period, stated):
        return conflict
    return ValueRow(ind.code, period.label, area.code, value, f"{location} {column.head.raw}")


def stated_window(text: str, ind: Indicator) -> tuple[Period, PublishedAs | None]:
    """The period `text` names as `ind` is kept, and the window it states: 2026年1-10月 →
    累计, 2026年10月 → 当月; a label without 月/季/年 words (2026-10, 202610, 2026Q3) none."""
    period, is_ytd = _window(text, ind.frequency)
    if period.frequency is not ind.frequency:
        raise PeriodError(f"period '{text}' is not a {ind.frequency.value} of {ind.code}")
    if ind.merged_jan_feb and period.is_january:
        raise PeriodError(f"{ind.code} publishes January with February (1-2月), not alone")
    if not _STATES_WINDOW.search(text):
        return period, None
    return period, PublishedAs.ytd if is_ytd else PublishedAs.period


def window_conflict(column: Column, period: Period, stated: PublishedAs | None) -> str | None:
    """Why a plain head cannot be read for the mapping: it holds the stated window and the
    mapping needs the other one (where the two are different figures)."""
    needs = column.needs
    if column.head.window is not None or needs is None or stated in (None, needs):
        return None
    if _one_figure(period, column.ind):
        return None
    holds = f"{window_label(period, stated)}{_window_word(period, stated)}"
    return (
        f"column {column.head.raw} holds {holds}, "
        f"{column.ind.code} is published as {_window_word(period, needs)}"
    )


def _one_figure(period: Period, ind: Indicator) -> bool:
    """当期 and 累计 are the same figure: a year, a first month or quarter, and February of a
    1–2月 merged release."""
    if period.frequency is Frequency.year or period.position_in_year == 1:
        return True
    return ind.merged_jan_feb and period.frequency is Frequency.month and period.index == 2


def _window_word(period: Period, window: PublishedAs) -> str:
    return "累计" if window is PublishedAs.ytd else _CURRENT.get(period.frequency, "当期")


@lru_cache(maxsize=4096)
def _window(text: str, frequency: Frequency | None) -> tuple[Period, bool]:
    """parse_window, remembered: a table repeats one period text on every row and column."""
    return parse_window(text, frequency)


def _cell(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else None


def _period_cell(raw: object) -> str:
    """A period cell as text: Excel turns a typed 2026-10 into a date, 202610 into a number."""
    if isinstance(raw, date):  # states no window, as 2026-10 typed as text does not
        return f"{raw.year}-{raw.month:02d}"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return fold(raw)


def _item_name(cell: object) -> str:
    """An item as compared: indentation and a leading 其中： dropped."""
    return fold(cell).removeprefix("其中:")
