"""The tables 市统计局, 市财政局 and 国网新河供电公司 deliver as files.

Each table is written exactly as sources.yaml describes it to the `files` connector (the
same TableSpec), so the sample and its sources file cannot drift apart. What the sources file
does not say is the bureaus' habit, kept here: a title naming the period and a 单位 line,
money in 万元, a flow's 当月 and 1–N月累计 columns side by side, "—" where nothing is
published (a merged indicator's January, a district of a city-only figure), February of a
1–2月 merged release headed 1-2月 in both windows and written once, a closing note, GB18030
for the statistics bureau's CSV and UTF-8 with BOM for the grid company's export.
The latest file of plan.BROKEN_SOURCE gets one unreadable cell. Scale changes nothing here:
a bureau's table is a few rows whatever the size of the city.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from connectors.base import Progress
from connectors.cells import convert_unit
from connectors.config import load_sources
from connectors.table_read import source_unit
from connectors.table_spec import ColumnMap, FilesOptions, TableSpec
from connectors.tables import window_label, with_window
from indicators.cumulation import period_from_ytd, ytd_from_period
from indicators.model import Frequency, Indicator, Nature, PublishedAs
from indicators.periods import Period
from sample_data.model import CityModel
from sample_data.plan import BROKEN_SOURCE, SAMPLE_DIR, Scale

SOURCES_FILE = Path(__file__).with_name("sources.yaml")
FILE_SOURCES = ("stats_files", "finance_files", "power_files")
CSV_ENCODINGS = {"stats_files": "gb18030", "finance_files": "gb18030", "power_files": "utf-8-sig"}
WRITTEN_IN = {"亿元": "万元"}  # bureaus write money in 万元
MISSING = "—"
CITY_ROW = "全市"
NOTE = "注：“—”表示该项不公布或无此项数据。"

Cell = object


def write(model: CityModel, out_dir: Path, scale: Scale, progress: Progress) -> None:
    """Write every table file of the three file sources under `out_dir` (COCKPIT_HOME/sample)."""
    sources = load_sources(SOURCES_FILE)
    files = [
        planned
        for source_id in FILE_SOURCES
        for planned in _plan(model, out_dir, source_id, sources.get(source_id).options)
    ]
    for done, planned in enumerate(files, start=1):
        planned.save()
        progress("write", done, len(files))


# --- one table ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Written:
    """One column as written: a mapping in one window (None: a head without a window)."""

    map: ColumnMap
    ind: Indicator
    window: PublishedAs | None
    unit: str
    values: dict[str, dict[str, float]]  # period label → area → value, in the catalog unit

    @property
    def read(self) -> bool:
        """Whether the connector reads this column (the other window is there for people)."""
        return self.window in (None, self.map.window or self.ind.published_as)

    def head(self, period: Period) -> str:
        if self.window is None:
            return self.map.head
        label = window_label(period, self.window, self.ind.merged_jan_feb)
        return with_window(self.map.head, label)

    def cell(self, period: Period, area: str) -> Cell:
        value = self.values.get(period.label, {}).get(area)
        if value is None or math.isnan(value):
            return MISSING
        written = convert_unit(float(value), self.ind.unit, self.unit)
        shift = round(math.log10(convert_unit(1.0, self.ind.unit, self.unit)))
        digits = max(self.ind.decimals - shift, 0)  # 12.35 亿元 is 123500 万元
        return round(written) if digits == 0 else round(written, digits)


class TableWriter:
    """The rows of one table for each period it has."""

    def __init__(self, model: CityModel, table: TableSpec) -> None:
        self.table, self.catalog = table, model.catalog
        inds = [model.catalog.get(mapping.indicator) for mapping in table.columns]
        frequencies = {ind.frequency for ind in inds}
        if len(frequencies) != 1:
            raise ValueError(f"{table.name}: the indicators of one table must share a frequency")
        title_unit = next((WRITTEN_IN[i.unit] for i in inds if i.unit in WRITTEN_IN), None)
        self.title_unit = title_unit or next((i.unit for i in inds if i.unit != "%"), "%")
        self.columns = [
            self._written(model, mapping, ind, window)
            for mapping, ind in zip(table.columns, inds, strict=True)
            for window in _windows(mapping, ind)
        ]
        labels = {label for column in self.columns for label in column.values}
        self.periods = sorted(Period.parse(label) for label in labels)

    def written(self, period: Period) -> list[Written]:
        """The columns of `period`'s file. In February a merged release's 当期 and 累计 are
        one 1-2月 column, as bureaus print it: one column per head, holding the 累计 figure
        (工业增加值增速（1-2月）serves 当月 and 累计 growth alike)."""
        kept: dict[tuple[str | None, str], Written] = {}
        for column in self.columns:
            key = (column.map.item, column.head(period))
            if key not in kept or column.window is PublishedAs.ytd:
                kept[key] = column
        return list(kept.values())

    def _written(
        self, model: CityModel, mapping: ColumnMap, ind: Indicator, window: PublishedAs | None
    ) -> Written:
        values = _labelled(window_values(model, ind, window or ind.published_as))
        unit = source_unit(mapping.unit, self.title_unit, ind)  # the rule the connector reads by
        return Written(mapping, ind, window, unit, values)

    def rows(self, period: Period) -> tuple[list[list[Cell]], tuple[int, int]]:
        """The rows for `period`, and (row, column) of the first cell the connector reads."""
        used = [c.unit for c in self.columns]
        # The connector takes the first unit listed as the title's 单位: list it only if used.
        units = dict.fromkeys([self.title_unit, *used] if self.title_unit in used else used)
        title = [
            [f"{self.catalog.deployment.city.name_zh}{self.table.name}（{self._label(period)}）"],
            [f"单位：{'、'.join(units)}"],
        ]
        body, first_read = (
            self._item_rows(period) if self.table.item_column else self._area_rows(period)
        )
        return [*title, *body, [NOTE]], (first_read[0] + len(title), first_read[1])

    def _label(self, period: Period) -> str:
        """The title's period: 2026年1-10月 where the table has 累计 columns, else 2026年10月."""
        if any(c.window is PublishedAs.ytd for c in self.columns):
            return f"{period.year}年{period.ytd_label_zh()}"
        return period.label_zh()

    def _area_rows(self, period: Period) -> tuple[list[list[Cell]], tuple[int, int]]:
        areas = [(CITY_ROW, self.catalog.deployment.city.code)] + [
            (a.name_zh, a.code) for a in self.catalog.deployment.districts
        ]
        columns = self.written(period)
        header = [self.table.area_column, *(c.head(period) for c in columns)]
        body = [[name, *(c.cell(period, code) for c in columns)] for name, code in areas]
        first = next(i for i, c in enumerate(columns) if c.read)
        return [header, *body], (1, first + 1)

    def _item_rows(self, period: Period) -> tuple[list[list[Cell]], tuple[int, int]]:
        area = self.catalog.deployment.find(self.table.area) if self.table.area else None
        code = (area or self.catalog.deployment.city).code
        columns = self.written(period)
        heads = list(dict.fromkeys(c.head(period) for c in columns))
        items = list(dict.fromkeys(c.map.item or "" for c in columns))
        cells = {(c.map.item, c.head(period)): c.cell(period, code) for c in columns}
        body = [[item, *(cells.get((item, head), MISSING) for head in heads)] for item in items]
        first = next(c for c in columns if c.read)
        position = (items.index(first.map.item or "") + 1, heads.index(first.head(period)) + 1)
        return [[self.table.item_column, *heads], *body], position


def window_values(model: CityModel, ind: Indicator, window: PublishedAs) -> pd.DataFrame:
    """当期 or 1–N月累计 of `ind` as a bureau writes it. The model has January as a month of
    its own; with a merged release January has no row and 2月 holds 1–2月."""
    frame = model.frame(ind.code)
    if ind.nature is Nature.flow and (ind.merged_jan_feb or window is PublishedAs.ytd):
        ytd = ytd_from_period(frame)
        if ind.merged_jan_feb:
            ytd = ytd[ytd.index.month != 1]
        if window is PublishedAs.ytd:
            return ytd
        return period_from_ytd(ytd, merged_jan_feb=ind.merged_jan_feb)
    if ind.merged_jan_feb:
        return frame[frame.index.month != 1]
    return frame


def _windows(mapping: ColumnMap, ind: Indicator) -> list[PublishedAs | None]:
    """The columns a bureau writes for a mapping: a monthly flow's 当月 and 1–N月累计 side by
    side, a quarter's window in its head, a year's head alone."""
    if mapping.window:
        return [mapping.window]
    if ind.nature is Nature.flow and ind.frequency is Frequency.month:
        return [PublishedAs.period, PublishedAs.ytd]
    if ind.frequency is Frequency.quarter or not mapping.head:
        return [ind.published_as]
    return [None]


def _labelled(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    rows = frame.dropna(how="all").to_dict("index")
    return {str(stamp): values for stamp, values in rows.items()}


# --- files --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlannedFile:
    path: Path
    sheets: list[tuple[str, list[list[Cell]]]]
    encoding: str

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.path.suffix == ".csv":
            [(_, rows)] = self.sheets
            with self.path.open("w", encoding=self.encoding, newline="") as handle:
                csv.writer(handle).writerows(rows)
            return
        workbook = Workbook(write_only=True)
        for name, rows in self.sheets:
            sheet = workbook.create_sheet(name[:31])
            for row in rows:
                sheet.append(row)
        workbook.save(self.path)


def _plan(
    model: CityModel, out_dir: Path, source_id: str, options: dict[str, object]
) -> Iterator[PlannedFile]:
    """One file per files glob and period; tables sharing a glob are sheets of one workbook."""
    tables = FilesOptions.model_validate(options).tables
    by_glob: dict[str, list[TableWriter]] = {}
    for table in tables:
        by_glob.setdefault(table.files, []).append(TableWriter(model, table))
    for pattern, writers in by_glob.items():
        periods = sorted({period for writer in writers for period in writer.periods})
        for period in periods:
            sheets = []
            for writer in writers:
                if period in writer.periods:
                    rows, first_read = writer.rows(period)
                    if source_id == BROKEN_SOURCE and period == periods[-1] and not sheets:
                        _break(rows, first_read)
                    sheets.append((writer.table.sheet or writer.table.name, rows))
            path = out_dir / _file_path(pattern, period)
            yield PlannedFile(path, sheets, CSV_ENCODINGS[source_id])


def _file_path(pattern: str, period: Period) -> Path:
    """sample/stats/* 金融运行.xlsx → stats/2026年10月 金融运行.xlsx (under the sample folder)."""
    relative = Path(pattern).relative_to(SAMPLE_DIR)
    if relative.name.count("*") != 1 or "*" in str(relative.parent):
        raise ValueError(f"{pattern}: the sample names files by one * in the file name")
    return relative.with_name(relative.name.replace("*", period.label_zh()))


def _break(rows: list[list[Cell]], position: tuple[int, int]) -> None:
    """A letter O typed for a digit (12O5.3, 1O.67), which no reader can take for a number."""
    row, column = position
    text = str(rows[row][column])
    rows[row][column] = text.replace("0", "O", 1) if "0" in text else f"{text[:1]}O{text[2:]}"
