"""基层填报: filled-in templates (connectors.template) read back as ValueRows.

Every row is checked in full and every problem becomes a Rejection naming the file, the row
and the column head, so a bureau fixes a file in one pass. A row that fails any check yields
no value; the good rows of the same file are still returned, and whether one rejection blocks
the file is the caller's decision (refresh and `cockpit import` load nothing unless there are
none). Values come back in the catalog's unit and as published: a 1–N月累计 stays 累计.

The inbox glob (`options.inbox`) reads only inside the sources file's folder and the folders
its `folders:` lists (connectors.folders): a pattern reaching elsewhere is a config error, and
a file in the inbox that links elsewhere is a rejection naming it, never read.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.cell.read_only import EMPTY_CELL
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import Field

from connectors.base import Progress, ReadResult, Rejection, SourceContext
from connectors.cells import CellError, convert_unit, parse_number, same_measure
from connectors.config import Strict
from connectors.folders import readable_files
from connectors.registry import register
from connectors.template import (
    AREA,
    CITY_ALIAS,
    CODE,
    ENTRY_SHEET,
    MANUAL_SOURCE,
    PERIOD,
    UNIT,
    VALUE,
    reported_areas,
)
from connectors.workbook_check import workbook_problem
from indicators.model import Area, Indicator, Kind, PublishedAs
from indicators.periods import Period, parse_window
from indicators.registry import Catalog, UnknownIndicatorError
from indicators.store import ValueRow

HEADER_SEARCH_ROWS = 10  # the header row is found by its heads among the first rows
REQUIRED_HEADS = (CODE, PERIOD, AREA, VALUE)  # 计量单位 may be missing: the catalog unit then
KEY_FIELD = f"{CODE}+{PERIOD}+{AREA}"

T = TypeVar("T")
Key = tuple[str, str, str]  # (indicator, period label, area): one stored value


class RowError(ValueError):
    """A cell that cannot be used; the message says why."""


@dataclass(frozen=True)
class Reported:
    """One value a file gave, with where it stands, to name both places in a conflict."""

    row: ValueRow
    location: str
    raw: str

    @property
    def key(self) -> Key:
        return (self.row.indicator_code, self.row.period, self.row.area)


@dataclass
class FileReading:
    reported: list[Reported] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    rows_read: int = 0

    def result(self) -> ReadResult:
        rows = [item.row for item in self.reported]
        return ReadResult(rows=rows, rejections=list(self.rejections), rows_read=self.rows_read)


# --- files ------------------------------------------------------------------------------------
def read_template(path: Path, catalog: Catalog) -> ReadResult:
    """The values of one filled-in template and the rejections of its bad rows."""
    return read_file(path, catalog).result()


def validate_import(path: Path, catalog: Catalog) -> ReadResult:
    """`cockpit import FILE`: the template's values and rejections; a file with no value at
    all is a rejection too (an unfilled template sent by mistake)."""
    result = read_template(path, catalog)
    if not result.rows and not result.rejections:
        result.rejections.append(
            Rejection(path.name, VALUE, "", "no value is filled in: nothing to import")
        )
    return result


def read_file(path: Path, catalog: Catalog) -> FileReading:
    """One workbook's values with their rows; a file that is no workbook is one rejection."""
    reading = FileReading()
    problem = workbook_problem(path)
    if problem is not None:
        reading.rejections.append(Rejection(path.name, "文件", path.name, problem))
        return reading
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, BadZipFile, InvalidFileException, KeyError) as exc:
        reason = f"not a readable .xlsx workbook ({exc})"
        reading.rejections.append(Rejection(path.name, "文件", str(path), reason))
        return reading
    try:
        names = workbook.sheetnames
        sheet = workbook[ENTRY_SHEET] if ENTRY_SHEET in names else workbook.worksheets[0]
        _read_sheet(iter(sheet.iter_rows()), path.name, catalog, reading)
    finally:
        workbook.close()
    return reading


def _read_sheet(
    rows: Iterator[tuple[Any, ...]], name: str, catalog: Catalog, reading: FileReading
) -> None:
    """Rows below the header: blank values skipped, each other row a value or rejections,
    a (indicator, period, area) given twice rejected where it repeats."""
    columns = _find_heads(rows)
    missing = [head for head in REQUIRED_HEADS if head not in columns]
    for head in missing:
        reason = f"no column headed {head} in the first {HEADER_SEARCH_ROWS} rows"
        reading.rejections.append(Rejection(name, head, "", reason))
    if missing:
        return
    first_rows: dict[Key, int] = {}
    for row in rows:
        cells = {head: row[i] if i < len(row) else EMPTY_CELL for head, i in columns.items()}
        filled = [cell for cell in row if cell.value is not None]
        if not filled:
            continue
        reading.rows_read += 1
        if _not_reported(cells[VALUE].value):
            continue
        number = filled[0].row
        location = f"{name} row {number}"
        outcome = _read_row(catalog, location, cells)
        if isinstance(outcome, list):
            reading.rejections.extend(outcome)
            continue
        item = Reported(outcome, location, _shown(cells[VALUE].value))
        if item.key in first_rows:
            reason = f"{' '.join(item.key)} is also reported in row {first_rows[item.key]}"
            code = item.row.indicator_code
            duplicate = Rejection(location, KEY_FIELD, " ".join(item.key), reason, code)
            reading.rejections.append(duplicate)
            continue
        first_rows[item.key] = number
        reading.reported.append(item)


def _find_heads(rows: Iterator[tuple[Any, ...]]) -> dict[str, int]:
    """Column index of each head, from the first row among the first few that has 指标代码."""
    for row in islice(rows, HEADER_SEARCH_ROWS):
        heads = {_text(cell.value): index for index, cell in enumerate(row)}
        if CODE in heads:
            return {head: index for head, index in heads.items() if head}
    return {}


# --- one row ----------------------------------------------------------------------------------
def _read_row(catalog: Catalog, location: str, cells: dict[str, Any]) -> ValueRow | list[Rejection]:
    """The row's value, or one rejection per unusable cell."""
    problems: list[Rejection] = []

    def check(head: str, read: Callable[[Any], T]) -> T | None:
        cell = cells.get(head, EMPTY_CELL)
        try:
            return read(cell)
        except ValueError as exc:  # RowError, CellError, PeriodError
            problems.append(Rejection(location, head, _shown(cell.value), str(exc)))
            return None

    ind = check(CODE, lambda cell: _indicator(catalog, cell.value))
    area = check(AREA, lambda cell: _area(catalog, cell.value, ind))
    if ind is None:
        return problems
    period = check(PERIOD, lambda cell: _period(cell.value, ind))
    unit = check(UNIT, lambda cell: _unit(cell.value, ind))
    number = check(VALUE, lambda cell: _number(cell, ind))
    if problems or area is None or period is None or unit is None or number is None:
        return [replace(problem, indicator_code=ind.code) for problem in problems]
    value = convert_unit(number, unit, ind.unit)
    return ValueRow(ind.code, period.label, area.code, value, origin=location)


def _indicator(catalog: Catalog, raw: object) -> Indicator:
    code = _text(raw).upper()
    if not code:
        raise RowError("no indicator code")
    try:
        ind = catalog.get(code)
    except UnknownIndicatorError as exc:
        raise RowError(str(exc)) from None
    if ind.source.connector != MANUAL_SOURCE:
        raise RowError(f"{code} is not reported by hand: its source is {ind.source.connector}")
    if ind.kind is not Kind.base:
        raise RowError(f"{code} is computed ({ind.kind}) from other indicators, not reported")
    return ind


def _area(catalog: Catalog, raw: object, ind: Indicator | None) -> Area:
    name = _text(raw)
    if not name:
        raise RowError("no area")
    deployment = catalog.deployment
    area = deployment.city if name == CITY_ALIAS else deployment.find(name)
    if area is None:
        raise RowError(f"unknown area '{name}' (write {CITY_ALIAS}, a district's name or code)")
    if ind is not None and area not in reported_areas(catalog, ind):
        raise RowError(f"{ind.code} is reported for the whole city only")
    return area


def _period(raw: object, ind: Indicator) -> Period:
    """The period of `ind` a 统计期 names; a 1–N月 window is read as its last period."""
    text = _period_text(raw)
    if not text:
        raise RowError("no period")
    period, is_window = parse_window(text)
    if period.frequency is not ind.frequency:
        # 上半年 of a monthly indicator is 1-6月; 1-10月 of a quarterly one is no quarter.
        within = Period.containing(ind.frequency, period.end)
        if not is_window or within.end != period.end:
            raise RowError(
                f"'{text}' is a {period.frequency} period; {ind.code} is reported by "
                f"{ind.frequency}"
            )
        period = within
    if (
        is_window
        and ind.published_as is PublishedAs.period
        and len(period.periods_to_date(ind.merged_jan_feb)) > 1
    ):
        raise RowError(f"{ind.code} is reported for the period itself (当期), not as 1-N累计")
    if ind.merged_jan_feb and period.is_january:
        raise RowError(f"{ind.code} reports January with February: write {period.year}年1-2月")
    return period


def _period_text(raw: object) -> str:
    if isinstance(raw, datetime | date):  # Excel turns a typed 2026-10 into 2026-10-01
        return f"{raw.year}-{raw.month:02d}"
    if isinstance(raw, float) and raw.is_integer():  # 2026 or 202610 typed as a number
        return str(int(raw))
    return _text(raw)


def _unit(raw: object, ind: Indicator) -> str:
    """The unit the row is written in: the catalog's, or one that converts to it."""
    unit = _text(raw) or ind.unit
    if unit == ind.unit:
        return unit
    if not same_measure(unit, ind.unit):
        raise RowError(f"unit {unit} does not convert to {ind.code}'s unit {ind.unit}")
    return unit


def _number(cell: Any, ind: Indicator) -> float:
    percent = ind.unit == "%"
    number = parse_number(cell.value, allow_percent=percent)
    if number is None:
        raise RowError("no value")
    if isinstance(cell.value, int | float) and "%" in (cell.number_format or ""):
        if not percent:
            raise RowError(f"a percentage where {ind.code} takes {ind.unit}")
        number = round(number * 100, 10)  # a cell formatted 85.3% holds 0.853
    return number


def _not_reported(raw: object) -> bool:
    """Blank or a missing mark: the row reports nothing and is skipped, never read as 0."""
    try:
        return parse_number(raw, allow_percent=True) is None
    except CellError:
        return False


def _text(raw: object) -> str:
    return "" if raw is None else unicodedata.normalize("NFKC", str(raw)).strip()


def _shown(raw: object) -> str:
    return "" if raw is None else str(raw)


# --- the inbox connector ----------------------------------------------------------------------
def read_inbox(paths: Sequence[Path], catalog: Catalog, progress: Progress) -> ReadResult:
    """Every file's values; a value two files report differently is rejected naming both
    files and kept from neither (the same value sent twice is kept once)."""
    result = ReadResult()
    kept: dict[Key, Reported] = {}
    conflicting: set[Key] = set()
    for done, path in enumerate(paths, start=1):
        reading = read_file(path, catalog)
        result.rejections.extend(reading.rejections)
        result.rows_read += reading.rows_read
        for item in reading.reported:
            first = kept.setdefault(item.key, item)
            if first is not item and not math.isclose(first.row.value, item.row.value):
                conflicting.add(item.key)
                reason = f"{' '.join(item.key)} is {first.raw} in {first.location}"
                code = item.row.indicator_code
                result.rejections.append(Rejection(item.location, VALUE, item.raw, reason, code))
        progress("read filled templates", done, len(paths))
    result.rows.extend(item.row for key, item in kept.items() if key not in conflicting)
    return result


class ManualOptions(Strict):
    inbox: str = Field(min_length=1)  # glob of filled templates, e.g. reports/*.xlsx


@register("manual", ManualOptions, "基层填报: filled-in Excel templates dropped in an inbox")
@dataclass(frozen=True)
class ManualConnector:
    options: ManualOptions

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        files = readable_files(context, self.options.inbox, "options.inbox")
        result = read_inbox(files.paths, context.catalog, progress)
        result.rejections[:0] = files.rejections
        return result
