"""Numbers and times as Chinese users read them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from indicators import formatting as fmt


def test_numbers_changes_and_percentages() -> None:
    assert fmt.number(12345.678, 2) == "12,345.68"
    assert fmt.number(None, 1) == "—"
    assert fmt.change(5.23, "%") == "+5.2%"
    assert fmt.change(-0.46, "个百分点") == "-0.5个百分点"
    assert fmt.change(-0.04, "个百分点") == "0.0个百分点"  # never -0.0
    assert fmt.change(0.004, "%", 2) == "0.00%" and fmt.change(0.005, "%", 2) == "+0.01%"
    assert fmt.change(float("nan"), "%") == "—"
    assert fmt.percent(83.333) == "83.3%"


def test_stored_utc_is_shown_in_beijing_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COCKPIT_TIMEZONE", raising=False)
    moment = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)
    assert fmt.local_time(moment) == "2026-11-01 07:30 北京时间"  # already November in Beijing
    monkeypatch.setenv("COCKPIT_TIMEZONE", "UTC")
    assert fmt.local_time(moment) == "2026-10-31 23:30 UTC"
    assert fmt.local_time(None) == "—"


def test_set_figures_are_written_plainly() -> None:
    assert [fmt.plain(v) for v in (2580.0, 85.0, 99.5, 1_500_000.0, 0.0, 3.25)] == [
        "2,580",
        "85",
        "99.5",
        "1,500,000",
        "0",
        "3.25",
    ]
