"""The shape of a bureau's table: raw rows of a CSV or Excel file, the header row under the
title lines, column heads with their window (当月 or 1–N月累计), and the period and 单位 a
title names.

Heads are compared after NFKC folding with whitespace removed, so "工业总产值（1-10月）" in a
file and "工业总产值(1-10月)" in a sources file are the same head. The window part of a head is
a bracketed 当月/10月/1-10月/前三季度… anywhere in it, or the whole head in tables whose rows are
indicators ("10月", "1-10月"). `window_label` writes heads the same grammar reads, so the
sample bureaus and the connector cannot disagree on it.

Excel cells are their cached values; a formula no spreadsheet program ever computed (openpyxl
writes formulas without values) has none and is read as `Uncomputed`, never as missing.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from indicators.model import Frequency, PublishedAs
from indicators.periods import QUARTER_YTD_ZH, QUARTER_ZH, Period

HEADER_SEARCH_ROWS = 30  # title lines above the header are few
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # tried in order when no encoding is configured
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
CSV_SUFFIXES = {".csv", ".txt"}

_DASH = "[-—–~至到]"  # after NFKC: full-width ～ is ~, － is -
_YTD = re.compile(
    rf"^(?:\d{{4}}年)?(?:1{_DASH}\d{{1,2}}月(?:累计)?|\d{{1,2}}月累计|(?:本年|年初至今)?累计"
    rf"|一季度|上半年|前三季度|1{_DASH}[二三四234]季度|全年)$"
)
_PERIOD = re.compile(
    r"^(?:\d{4}年)?(?:当月|本月|当季|本季|当期|本期|月末|季末|年末|期末"
    r"|\d{1,2}月(?:份|末)?|第[一二三四1-4]季度(?:末)?)$|^\d{4}年$"
)
_BRACKETED = re.compile(r"\(([^()]*)\)")
# A year (1900–2199) alone or with its month, quarter or window: 2026年1-10月, 2026年第三季度,
# 2026Q3, 2026-10, 202610 (yyyymm), 2025年; never a piece of a longer number (20261015).
_PERIOD_IN_TEXT = re.compile(
    rf"(?<!\d)(?:19|20|21)\d\d(?:-?Q[1-4]|-(?:0?[1-9]|1[0-2])|0[1-9]|1[0-2]"
    rf"|年(?:1{_DASH}\d{{1,2}}月|\d{{1,2}}月|第?[一二三四1-4]季度"
    rf"|前三季度|上半年|1{_DASH}[二三四234]季度|全年)?)?(?!\d)"
)
_UNIT_IN_TEXT = re.compile(r"(?:^|\()单位:([^、,;()]+)")  # not 制表单位:市统计局

Rows = list[list[object]]


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Uncomputed:
    """An Excel formula without a cached value: the file was written by a program that does
    not calculate (openpyxl, some exports) and never opened in Excel/WPS. Unknown, not
    missing."""

    formula: str

    def __str__(self) -> str:
        return self.formula


def fold(text: object) -> str:
    """A cell as compared: NFKC (full-width to half-width), all whitespace removed."""
    return "" if text is None else re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


# --- files --------------------------------------------------------------------------------------
def read_rows(path: Path, sheet: str | None = None, encoding: str | None = None) -> Rows:
    """Every row of a CSV or Excel file as cell values (row n of the file is rows[n - 1])."""
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise TableError(f"cannot open the file ({exc.strerror})") from None
        return [list(row) for row in csv.reader(io.StringIO(decode(data, encoding)))]
    if suffix in EXCEL_SUFFIXES:
        return _excel_rows(path, sheet)
    raise TableError(f"unsupported file type '{suffix}' (save it as .xlsx or .csv)")


def decode(data: bytes, encoding: str | None = None) -> str:
    """CSV text: the configured encoding, else UTF-8 (with or without BOM), else GB18030."""
    for candidate in (encoding,) if encoding else CSV_ENCODINGS:
        try:
            return data.decode(candidate)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise TableError(f"unknown encoding '{candidate}'") from None
    tried = encoding or " or ".join(CSV_ENCODINGS)
    raise TableError(f"the file is not text in {tried}")


def _excel_rows(path: Path, sheet: str | None) -> Rows:
    """The cells as written, formulas as their text; only a sheet that has formulas is read a
    second time for the values Excel cached, and a formula without one is `Uncomputed`."""
    rows = _sheet_values(path, sheet, data_only=False)
    formulas = [
        (r, c) for r, row in enumerate(rows) for c, cell in enumerate(row) if _is_formula(cell)
    ]
    if formulas:
        cached = _sheet_values(path, sheet, data_only=True)
        for r, c in formulas:
            value = cached[r][c]
            rows[r][c] = Uncomputed(_formula_text(rows[r][c])) if value is None else value
    return rows


def _sheet_values(path: Path, sheet: str | None, *, data_only: bool) -> Rows:
    try:
        workbook = load_workbook(path, read_only=True, data_only=data_only)
    except (OSError, BadZipFile, InvalidFileException, KeyError) as exc:
        raise TableError(f"not a readable .xlsx workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise TableError(f"no sheet '{sheet}' (sheets: {', '.join(workbook.sheetnames)})")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        return [list(row) for row in worksheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _is_formula(cell: object) -> bool:
    """A formula as openpyxl reads it without data_only (a text cell "=…" is told apart by
    its cached value, which is itself)."""
    if isinstance(cell, str):
        return cell.startswith("=")
    return isinstance(cell, ArrayFormula | DataTableFormula)


def _formula_text(cell: object) -> str:
    if isinstance(cell, ArrayFormula):
        return cell.text or "="
    return cell if isinstance(cell, str) else "=TABLE()"


def find_header(rows: Rows, marker: str) -> int | None:
    """Index of the first row whose first non-blank cell is `marker` (e.g. 地区, 指标名称)."""
    wanted = fold(marker)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        first = next((fold(cell) for cell in row if fold(cell)), "")
        if first == wanted:
            return index
    return None


# --- heads and titles ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Head:
    """A column head: its text as written, its name without the window, and the window."""

    raw: str
    name: str
    window: PublishedAs | None

    @property
    def is_blank(self) -> bool:
        return not self.name and self.window is None


def window_of(text: str) -> PublishedAs | None:
    """当月/本月/10月/第三季度/2025年 → period; 1-10月/累计/一季度/前三季度/全年 → ytd."""
    if _YTD.match(text):
        return PublishedAs.ytd
    if _PERIOD.match(text):
        return PublishedAs.period
    return None


def parse_head(cell: object) -> Head:
    raw = "" if cell is None else str(cell).strip()
    text = fold(raw)
    whole = window_of(text)
    if whole is not None:
        return Head(raw, "", whole)
    for match in _BRACKETED.finditer(text):
        window = window_of(match.group(1))
        if window is not None:
            return Head(raw, text[: match.start()] + text[match.end() :], window)
    return Head(raw, text, None)


def window_label(period: Period, window: PublishedAs, merged_jan_feb: bool = False) -> str:
    """How a head names the window of `period`: 10月 / 1-10月 (1-2月, or 1月累计 for a
    January of its own), 第三季度 / 前三季度, 2025年 / 全年. February of a 1–2月 merged
    release is 1-2月 in both windows, as bureaus head it."""
    if merged_jan_feb and period.frequency is Frequency.month and period.index == 2:
        return "1-2月"
    if window is PublishedAs.period:
        if period.frequency is Frequency.month:
            return f"{period.index}月"
        if period.frequency is Frequency.quarter:
            return f"第{QUARTER_ZH[period.index]}季度"
        return f"{period.year}年"
    if period.frequency is Frequency.quarter:
        return QUARTER_YTD_ZH[period.index]
    if period.frequency is Frequency.year:
        return "全年"
    return f"1-{period.index}月" if period.index > 1 else "1月累计"


def with_window(head: str, label: str) -> str:
    """A head with its window: 工业总产值（1-10月）; 增速（1-10月）（%） keeps the unit last."""
    if not head:
        return label
    unit = re.search(r"[（(][^（）()]*[）)]$", head)
    if unit and window_of(fold(unit.group(0))[1:-1]) is None:
        return f"{head[: unit.start()]}（{label}）{unit.group(0)}"
    return f"{head}（{label}）"


def period_in_text(text: str) -> str | None:
    """The first period a title or file name names: 2026年1-10月, 2026年第三季度, 2026Q3, 2025年."""
    match = _PERIOD_IN_TEXT.search(fold(text))
    return match.group(0) if match else None


def unit_in_text(text: str) -> str | None:
    """The unit of a 单位：万元 line (the first one listed in 单位：万元、%)."""
    match = _UNIT_IN_TEXT.search(fold(text))
    return match.group(1) if match else None
