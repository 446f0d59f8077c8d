"""Quality checks on a load: row count against recent runs, districts missing from the
latest period, impossible values, and jumps beyond the usual change."""

from __future__ import annotations

import pandas as pd

from connectors.config import QualityLimits
from connectors.quality import check_load
from indicators.store import ValueRow

LIMITS = QualityLimits()
COLUMNS = ["indicator_code", "period", "area", "value"]


def history(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def monthly(code: str, area: str, values: list[float], year: int = 2025) -> list[tuple]:
    return [(code, f"{year}-{m:02d}", area, v) for m, v in enumerate(values, start=1)]


def checks(catalog, rows, past=(), read=None, previous=()) -> list[tuple]:
    found = check_load(
        catalog, rows, history(list(past)), read or len(rows), list(previous), LIMITS
    )
    return [
        (f.check_name, f.severity, f.indicator_code, f.area, f.period, f.message) for f in found
    ]


def test_row_count_far_below_recent_runs(tiny_catalog) -> None:
    rows = [ValueRow("T_CPI", "2026-10", "city", 101.2)]
    assert checks(tiny_catalog, rows, read=40, previous=[100, 98, 103]) == [
        (
            "row_count",
            "warning",
            None,
            None,
            None,
            "40 rows read, against a median of 100 over the last runs",
        )
    ]
    assert checks(tiny_catalog, rows, read=60, previous=[100, 98, 103]) == []
    assert checks(tiny_catalog, rows, read=1, previous=[100, 98]) == []  # too little history


def test_districts_missing_from_the_latest_period(tiny_catalog) -> None:
    rows = [ValueRow("T_ORDERS", "2026-10", "city", 10), ValueRow("T_ORDERS", "2026-10", "east", 6)]
    assert checks(tiny_catalog, rows) == [
        ("missing_areas", "warning", "T_ORDERS", None, "2026-10", "no value for 西区")
    ]
    stored_west = [("T_ORDERS", "2026-10", "west", 4.0)]  # delivered by an earlier run
    assert checks(tiny_catalog, rows, past=stored_west) == []


def test_negative_counts_are_impossible_negative_rates_are_not(tiny_catalog) -> None:
    rows = [ValueRow("T_CPI", "2026-10", "city", -0.3), ValueRow("T_POP", "2026-10", "city", -5)]
    found = [f for f in checks(tiny_catalog, rows) if f[0] == "range"]
    assert found == [("range", "error", "T_POP", "city", "2026-10", "negative value -5")]


def test_a_jump_beyond_the_usual_change_is_flagged(tiny_catalog) -> None:
    past = monthly("T_CPI", "city", [100, 101, 100, 102, 101, 100, 101, 102, 100, 101, 100, 101])
    assert checks(tiny_catalog, [ValueRow("T_CPI", "2026-01", "city", 102)], past=past) == []
    [jump] = checks(tiny_catalog, [ValueRow("T_CPI", "2026-01", "city", 130)], past=past)
    assert jump[:5] == ("jump", "warning", "T_CPI", "city", "2026-01")
    assert jump[5].startswith("change of +29 is ")


def test_a_tiny_change_of_a_smooth_series_is_no_jump(tiny_catalog) -> None:
    past = monthly("T_POP", "city", [300, 300, 300, 300, 301, 301, 301, 301, 301, 302, 302, 302])

    def jumps(value: float) -> list[tuple]:
        found = checks(tiny_catalog, [ValueRow("T_POP", "2026-01", "city", value)], past=past)
        return [f for f in found if f[0] == "jump"]

    assert jumps(305) == []  # 6 SD for this series, but +3 is under 1 % of 302
    [jump] = jumps(330)
    assert jump[:5] == ("jump", "warning", "T_POP", "city", "2026-01")


def test_a_cumulative_series_resetting_in_january_is_no_jump(tiny_catalog) -> None:
    # T_OUTPUT is published as 1–N月累计 with 1–2月 merged: the totals fall every February,
    # from about 1,100 to about 200; on 当月 values that is an ordinary month.
    monthly_values = [190, 104, 96, 103, 97, 105, 95, 102, 98, 104, 96]  # 1–2月, 3月 … 12月
    past = []
    for year in (2023, 2024, 2025):
        total = 0.0
        for month, value in zip(range(2, 13), monthly_values, strict=True):
            total += value
            past.append(("T_OUTPUT", f"{year}-{month:02d}", "city", total))
    assert checks(tiny_catalog, [ValueRow("T_OUTPUT", "2026-02", "city", 195.0)], past=past) == []
    [jump] = checks(tiny_catalog, [ValueRow("T_OUTPUT", "2026-02", "city", 400.0)], past=past)
    assert jump[:5] == ("jump", "warning", "T_OUTPUT", "city", "2026-02")


def test_stored_rows_of_another_frequency_are_ignored(tiny_catalog) -> None:
    past = monthly("T_CPI", "city", [100, 101, 100, 102, 101, 100, 101, 102, 100, 101, 100, 101])
    past.append(("T_CPI", "2025Q4", "city", 100.5))  # a stray quarterly row
    assert checks(tiny_catalog, [ValueRow("T_CPI", "2026-01", "city", 102)], past=past) == []
