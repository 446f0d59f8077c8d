"""The sample city's 基层填报: each bureau's filled-in templates, one workbook per year.

Values are written as the bureau publishes them (1–N月累计 where the catalog says so, with
January folded into 1–2月 where it is merged), rounded to the catalog's decimals, and every
period the model has is filled in, so reading the inbox back gives the model exactly. One
bureau writes money in 万元 where the catalog keeps 亿元, so the reader's conversion is used.
The reports are the same at every scale: a bureau's year is a few hundred rows.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from connectors.base import Progress
from connectors.template import (
    area_label,
    entry_row,
    reported_areas,
    reporting_indicators,
    write_workbook,
)
from indicators.cumulation import period_from_ytd, ytd_from_period
from indicators.model import Indicator, PublishedAs
from indicators.periods import Period
from sample_data.model import CityModel
from sample_data.plan import Scale

FOLDER = "manual"
# Bureaus that report in a smaller unit than the catalog's: catalog unit → (unit, 10ⁿ as n).
SMALLER_UNITS: dict[str, dict[str, tuple[str, int]]] = {
    "市发展改革委": {"亿元": ("万元", 4)},
}


def write(model: CityModel, out_dir: Path, scale: Scale, progress: Progress) -> None:
    """Write `out_dir/manual/<year>年 <bureau> 指标填报.xlsx` for every bureau and year."""
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    indicators = reporting_indicators(model.catalog)
    published = {ind.code: published_values(model, ind) for ind in indicators}
    books = sorted(
        {(ind.owner, year) for ind in indicators for year in published[ind.code].index.year}
    )
    for done, (owner, year) in enumerate(books, start=1):
        smaller = SMALLER_UNITS.get(owner, {})
        rows = [
            row
            for ind in indicators
            if ind.owner == owner
            for row in _rows(model, ind, published[ind.code], year, smaller)
        ]
        write_workbook(folder / f"{year}年 {owner} 指标填报.xlsx", model.catalog, rows, owner)
        progress("manual reports", done, len(books))


def published_values(model: CityModel, ind: Indicator) -> pd.DataFrame:
    """The model's values as the bureau publishes them: 当期, or 1–N月累计; with a merged
    release January has no row and 2月 holds 1–2月."""
    frame = model.frame(ind.code)
    if ind.published_as is PublishedAs.period and not ind.merged_jan_feb:
        return frame
    ytd = ytd_from_period(frame)  # the model has January as a month of its own
    if ind.merged_jan_feb:
        ytd = ytd[ytd.index.month != 1]
    if ind.published_as is PublishedAs.ytd:
        return ytd
    return period_from_ytd(ytd, merged_jan_feb=True)


def _rows(
    model: CityModel,
    ind: Indicator,
    values: pd.DataFrame,
    year: int,
    smaller: dict[str, tuple[str, int]],
) -> list[list[object]]:
    unit, shift = smaller.get(ind.unit, (ind.unit, 0))
    digits = max(ind.decimals - shift, 0)  # 12.35 亿元 is 123500 万元
    rows = []
    for stamp, line in values[values.index.year == year].iterrows():
        period = Period.from_pandas(stamp)
        label = _period_label(ind, period)
        for area in reported_areas(model.catalog, ind):
            value = line[area.code]
            if pd.isna(value):
                continue
            written = round(round(float(value), ind.decimals) * 10**shift, digits)
            cell = int(written) if digits == 0 else written
            rows.append(entry_row(ind, area_label(model.catalog, area), label, cell, unit))
    return rows


def _period_label(ind: Indicator, period: Period) -> str:
    """2026年10月, 2026年第三季度, 2026年; a 累计 as its window: 2026年1-10月."""
    if ind.published_as is PublishedAs.ytd:
        return f"{period.year}年{period.ytd_label_zh(ind.merged_jan_feb)}"
    return period.label_zh()
