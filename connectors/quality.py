"""Quality checks run on every load, before it is written. Findings are stored with the run
and shown to operators; they never stop a load (bad rows are rejected earlier, in
`validation`). Checks: row count against recent runs, districts missing from the latest
period, values outside a plausible range, and jumps beyond `jump_sd` standard deviations of
the usual period-to-period change (on 当期 values, so a 累计 reset each January is no jump).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import pandas as pd

from connectors.config import QualityLimits
from indicators.cumulation import period_from_ytd
from indicators.model import AreaScope, Frequency, Indicator, Nature, PublishedAs
from indicators.periods import PANDAS_FREQ, Period, PeriodError
from indicators.registry import Catalog
from indicators.store import Finding, ValueRow

# Every check's name as operators read it (the console, the alerts).
CHECK_NAMES_ZH = {
    "row_count": "行数骤降",
    "missing_areas": "区县缺报",
    "range": "数值越界",
    "jump": "异常跳变",
    "duplicate": "重复记录",
    "partial_period": "当期未结束",
}
JUMP_WINDOW = 24  # changes of the last two years make "the usual"
KEY_AND_VALUE = ["indicator_code", "period", "area", "value"]


def check_load(
    catalog: Catalog,
    rows: Sequence[ValueRow],
    history: pd.DataFrame,
    rows_read: int,
    previous_reads: Sequence[int],
    limits: QualityLimits,
) -> list[Finding]:
    """Findings about a load of `rows` given the values already stored (`history`, a frame
    from MetricStore.values) and the rows_read of the source's recent successful runs."""
    findings = _row_count(rows_read, previous_reads, limits)
    if not rows:
        return findings
    new = pd.DataFrame(
        [(r.indicator_code, r.period, r.area, r.value) for r in rows], columns=KEY_AND_VALUE
    )
    for code, loaded in new.groupby("indicator_code"):
        ind = catalog.get(str(code))
        past = history[history["indicator_code"] == code][KEY_AND_VALUE]
        series = pd.concat([_of_frequency(past, ind), loaded]).drop_duplicates(
            subset=["period", "area"], keep="last"
        )
        latest = max(loaded["period"], key=lambda label: Period.parse(label))
        findings += _missing_areas(catalog, ind, series, latest)
        findings += _out_of_range(ind, loaded)
        findings += _jumps(ind, series, latest, limits)
    return findings


def _of_frequency(values: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Stored rows of the indicator's own frequency (the calculator ignores others too)."""
    keep = [_frequency_of(label) is ind.frequency for label in values["period"]]
    return values[keep]


def _frequency_of(label: str) -> Frequency | None:
    try:
        return Period.parse(label).frequency
    except PeriodError:
        return None


def _row_count(rows_read: int, previous: Sequence[int], limits: QualityLimits) -> list[Finding]:
    if len(previous) < 3:
        return []
    usual = statistics.median(previous)
    if rows_read >= usual * limits.row_count_drop:
        return []
    message = f"{rows_read} rows read, against a median of {usual:g} over the last runs"
    return [Finding("row_count", "warning", message)]


def _missing_areas(
    catalog: Catalog, ind: Indicator, values: pd.DataFrame, period: str
) -> list[Finding]:
    if ind.areas is not AreaScope.all:
        return []
    present = set(values.loc[values["period"] == period, "area"])
    missing = [a for a in catalog.deployment.districts if a.code not in present]
    if not missing:
        return []
    names = "、".join(a.name_zh for a in missing)
    return [Finding("missing_areas", "warning", f"no value for {names}", ind.code, None, period)]


def _out_of_range(ind: Indicator, loaded: pd.DataFrame) -> list[Finding]:
    """Counts, amounts and stocks cannot be negative (rates and growth can)."""
    if ind.nature is Nature.rate:
        return []
    negative = loaded[loaded["value"] < 0]
    return [
        Finding("range", "error", f"negative value {r.value:g}", ind.code, r.area, r.period)
        for r in negative.itertuples()
    ]


def _jumps(
    ind: Indicator, values: pd.DataFrame, latest: str, limits: QualityLimits
) -> list[Finding]:
    frame = values.pivot(index="period", columns="area", values="value")
    frame.index = pd.PeriodIndex(
        [Period.parse(p).to_pandas() for p in frame.index], freq=PANDAS_FREQ[ind.frequency]
    )
    frame = frame.sort_index()
    if ind.published_as is PublishedAs.ytd:
        frame = period_from_ytd(frame, ind.merged_jan_feb)
    previous = frame.shift(1)
    changes = frame.diff().dropna(how="all")
    target = Period.parse(latest).to_pandas()
    if target not in changes.index:
        return []
    usual = changes.loc[changes.index < target].tail(JUMP_WINDOW)
    findings = []
    for area in changes.columns:
        history = usual[area].dropna()
        change = changes.at[target, area]
        if len(history) < limits.min_history or pd.isna(change):
            continue
        spread = history.std()
        material = abs(change) >= limits.jump_min_share * abs(previous.at[target, area])
        if material and spread > 0 and abs(change - history.mean()) > limits.jump_sd * spread:
            sds = abs(change - history.mean()) / spread
            message = f"change of {change:+.4g} is {sds:.1f} SD from the usual change"
            findings.append(Finding("jump", "warning", message, ind.code, area, latest))
    return findings
