"""A refresh is one all-or-nothing load run per source: rows checked against the catalog,
rejections kept with their reasons, failures leaving the stored values exactly as they were."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from connectors.base import ReadResult, ValueRow
from connectors.locks import SourceBusyError, source_lock
from connectors.refresh import import_rows, refresh_source
from indicators.model import Frequency, Sensitivity
from indicators.periods import Period
from indicators.settings import local_today
from indicators.store import MetricStore
from tests.refresh_kinds import inline_sources

GOOD = [
    ("T_ORDERS", "2026-09", "city", 120),
    ("T_ORDERS", "2026-09", "east", 70),
    ("T_ORDERS", "2026-09", "west", 50),
    ("T_CLOSED", "2026-09", "city", 100),
]


def stored(store: MetricStore) -> list[tuple]:
    frame = store.values()
    return sorted(zip(frame.indicator_code, frame.period, frame.area, frame.value, strict=True))


def test_a_good_refresh_writes_every_row_and_records_the_run(store, tiny_catalog, tmp_path) -> None:
    sources = inline_sources(tmp_path, hotline_db={"rows": GOOD})
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert outcome.succeeded
    run = outcome.run
    assert (run.source, run.rows_read, run.rows_written, run.rows_rejected) == (
        "hotline_db",
        4,
        4,
        0,
    )
    assert stored(store) == sorted((c, p, a, float(v)) for c, p, a, v in GOOD)
    again = refresh_source(store, tiny_catalog, sources, "hotline_db")  # idempotent
    assert again.succeeded and stored(store) == sorted((c, p, a, float(v)) for c, p, a, v in GOOD)


def test_a_failed_runs_message_withholds_a_restricted_value(store, tiny_catalog, tmp_path) -> None:
    bad = [("T_ORDERS", "2026-10", "city", "7315.2")]  # a figure, as text: rejected
    sources = inline_sources(tmp_path, hotline_db={"rows": bad})
    shown = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert "7315.2" in shown.run.message  # operators may read an internal figure
    restricted = tiny_catalog.indicators["T_ORDERS"].model_copy(
        update={"sensitivity": Sensitivity.restricted}
    )
    catalog = replace(tiny_catalog, indicators=tiny_catalog.indicators | {"T_ORDERS": restricted})
    withheld = refresh_source(store, catalog, sources, "hotline_db")
    assert withheld.run.message == (
        "1 row(s) rejected, 0 allowed; first: T_ORDERS 2026-10 city: value: "
        "restricted indicator T_ORDERS, details withheld"
    )  # the message reaches the console's tables and the alert channels


@pytest.mark.parametrize(
    ("bad_row", "field", "reason"),
    [
        (("T_NOPE", "2026-09", "city", 1), "indicator", "not in the catalog"),
        (("T_PM25", "2026-09", "city", 1), "indicator", "belongs to source env_api"),
        (("T_CLOSE_RATE", "2026-09", "city", 1), "indicator", "a ratio indicator is computed"),
        (("T_ORDERS", "2026-09", "north", 1), "area", "published for the city and its districts"),
        (("T_ORDERS", "2026Q3", "city", 1), "period", "has month periods, not quarter"),
        (("T_ORDERS", "2026-13", "city", 1), "period", "unreadable period"),
        (("T_ORDERS", "2026-10", "city", float("nan")), "value", "not a finite number"),
        (("T_ORDERS", "2026-10", "city", "12"), "value", "not a number"),
    ],
)
def test_one_bad_row_fails_the_run_and_keeps_what_was_stored(
    store, tiny_catalog, tmp_path, bad_row, field, reason
) -> None:
    refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": GOOD}), "hotline_db"
    )
    before = stored(store)
    changed = [("T_ORDERS", "2026-09", "city", 999), bad_row]
    outcome = refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": changed}), "hotline_db"
    )
    assert not outcome.succeeded
    assert stored(store) == before  # not even the good row of the failed run
    [rejection] = store.rejections(outcome.run.id)
    assert rejection.field == field and reason in rejection.reason
    assert rejection.location == f"{bad_row[0]} {bad_row[1]} {bad_row[2]}"
    # stored with the indicator it was for (a catalog one), for clearance on the console
    assert rejection.indicator_code == (None if bad_row[0] == "T_NOPE" else bad_row[0])
    assert outcome.run.message.startswith("1 row(s) rejected, 0 allowed; first: ")
    assert outcome.run.rows_rejected == 1 and outcome.run.rows_written == 0


def test_a_source_may_tolerate_some_rejected_rows_which_are_kept(
    store, tiny_catalog, tmp_path
) -> None:
    sources = inline_sources(
        tmp_path,
        hotline_db={
            "rows": GOOD,
            "rejections": [("工单.csv row 7", "办结时间", "2026-13-01", "not a date")],
            "max_rejected": 1,
        },
    )
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert outcome.succeeded and outcome.run.rows_rejected == 1
    assert [r.describe() for r in store.rejections(outcome.run.id)] == [
        "工单.csv row 7: 办结时间: not a date ('2026-13-01')"
    ]
    assert len(stored(store)) == 4


def test_two_values_for_one_key_are_both_rejected_a_repeat_is_noted(
    store, tiny_catalog, tmp_path
) -> None:
    rows = [*GOOD, ("T_ORDERS", "2026-9", "east", 70), ("T_CLOSED", "2026-09", "city", 101)]
    outcome = refresh_source(
        store,
        tiny_catalog,
        inline_sources(tmp_path, hotline_db={"rows": rows, "max_rejected": 5}),
        "hotline_db",
    )
    assert outcome.succeeded
    reasons = [(r.location, r.field, r.value, r.reason) for r in store.rejections(outcome.run.id)]
    clash = "2 different values for one indicator, period and area: 100, 101"
    assert reasons == [
        ("T_CLOSED 2026-09 city", "value", "100.0", clash),
        ("T_CLOSED 2026-09 city", "value", "101.0", clash),
    ]
    assert outcome.run.rows_rejected == 2
    assert ("T_CLOSED", "2026-09", "city", 100.0) not in stored(store)
    duplicates = [f for f in store.findings(outcome.run.id) if f.check_name == "duplicate"]
    assert [(f.indicator_code, f.period, f.area) for f in duplicates] == [
        ("T_ORDERS", "2026-09", "east")
    ]


def test_a_period_not_over_yet_is_not_loaded(store, tiny_catalog, tmp_path) -> None:
    this_month = Period.containing(Frequency.month, local_today()).label
    rows = [*GOOD, ("T_ORDERS", this_month, "city", 40)]  # a live database's month so far
    sources = inline_sources(tmp_path, hotline_db={"rows": rows})
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert outcome.succeeded and outcome.run.rows_written == 4
    assert this_month not in set(store.values().period)
    [note] = [f for f in outcome.findings if f.check_name == "partial_period"]
    assert (note.indicator_code, note.period, note.severity) == ("T_ORDERS", this_month, "info")


def test_a_connector_error_is_the_failed_runs_message(store, tiny_catalog, tmp_path) -> None:
    sources = inline_sources(tmp_path, hotline_db={"error": "connection refused by 10.1.2.3"})
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert (outcome.run.status, outcome.run.message) == ("failed", "connection refused by 10.1.2.3")
    assert store.count_values() == 0


def test_a_run_left_running_by_a_dead_process_is_marked_failed(
    store, tiny_catalog, tmp_path
) -> None:
    orphan = store.start_run("hotline_db")
    refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": GOOD}), "hotline_db"
    )
    run = store.run(orphan)
    assert run.status == "failed" and run.message.startswith("interrupted")


class Stopped(BaseException):
    """What Streamlit raises in a script it stops (StopException is a BaseException too)."""


def test_a_refresh_stopped_from_outside_is_recorded_failed_and_writes_nothing(
    store, tiny_catalog, tmp_path
) -> None:
    sources = inline_sources(tmp_path, hotline_db={"rows": GOOD})

    def stop_after_reading(stage: str, done: int, total: int | None) -> None:
        if stage == "check":
            raise Stopped

    with pytest.raises(Stopped):
        refresh_source(store, tiny_catalog, sources, "hotline_db", stop_after_reading)
    (run,) = store.runs("hotline_db")
    assert (run.status, run.message) == (
        "failed",
        "interrupted: the refresh was stopped before finishing; nothing was written",
    )
    assert store.count_values() == 0
    assert refresh_source(store, tiny_catalog, sources, "hotline_db").succeeded  # lock released


def test_a_second_refresh_of_the_same_source_is_refused_while_one_runs(
    store, tiny_catalog, tmp_path
) -> None:
    sources = inline_sources(tmp_path, hotline_db={"rows": GOOD}, env_api={"rows": []})
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with source_lock(store.engine, "hotline_db"):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        with pytest.raises(SourceBusyError, match="hotline_db is being refreshed"):
            refresh_source(store, tiny_catalog, sources, "hotline_db", wait_seconds=0.3)
        assert refresh_source(store, tiny_catalog, sources, "env_api").succeeded  # others run
    finally:
        release.set()
        holder.join()
    assert refresh_source(store, tiny_catalog, sources, "hotline_db").succeeded
    assert store.runs("hotline_db")[0].status == "succeeded" and len(store.runs("hotline_db")) == 1


def test_a_refused_row_is_named_by_where_the_source_had_it(store, tiny_catalog, tmp_path) -> None:
    rows = [*GOOD, ("T_ORDERS", "2026-09", "north", 5, "工单月报.csv row 7")]
    outcome = refresh_source(
        store, tiny_catalog, inline_sources(tmp_path, hotline_db={"rows": rows}), "hotline_db"
    )
    [rejection] = store.rejections(outcome.run.id)
    assert rejection.location == "工单月报.csv row 7 (T_ORDERS 2026-09 north)"
    assert "first: 工单月报.csv row 7 (T_ORDERS 2026-09 north): area:" in outcome.run.message


def test_an_unexpected_error_fails_the_run_and_the_next_source_still_runs(
    store, tiny_catalog, tmp_path, monkeypatch
) -> None:
    def broken_check(*args, **kwargs):
        raise RuntimeError("quality check crashed")

    monkeypatch.setattr("connectors.refresh.check_load", broken_check)
    sources = inline_sources(tmp_path, hotline_db={"rows": GOOD}, env_api={"error": "down"})
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert (outcome.run.status, outcome.run.message) == (
        "failed",
        "RuntimeError: quality check crashed",
    )
    assert store.count_values() == 0
    assert refresh_source(store, tiny_catalog, sources, "env_api").run.status == "failed"


def test_a_very_long_location_is_cut_not_a_second_failure(store, tiny_catalog, tmp_path) -> None:
    place = "/data/inbox/" + "很长的目录名/" * 60 + "工单.csv row 3"
    sources = inline_sources(
        tmp_path, hotline_db={"rows": GOOD, "rejections": [(place, "数值", "x", "bad")]}
    )
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db")
    assert outcome.run.status == "failed" and outcome.run.rows_rejected == 1
    [kept] = store.rejections(outcome.run.id)
    assert len(kept.location) == 255 and kept.location.endswith("…")


def test_a_template_reporting_an_unfinished_month_is_refused(store, tiny_catalog, tmp_path) -> None:
    this_month = Period.containing(Frequency.month, local_today()).label
    result = ReadResult(rows=[ValueRow("T_ORDERS", this_month, "city", 3.0, "填报.xlsx row 3")])
    config = inline_sources(tmp_path, hotline_db={}).get("hotline_db")
    outcome = import_rows(store, tiny_catalog, config, result)
    assert outcome.run.status == "failed"
    [rejection] = store.rejections(outcome.run.id)
    assert rejection.reason == f"{this_month} is not over yet; report it after it ends"


def test_wait_lets_a_second_refresh_run_after_the_first(store, tiny_catalog, tmp_path) -> None:
    sources = inline_sources(tmp_path, hotline_db={"rows": GOOD})
    held = threading.Event()

    def hold_briefly() -> None:
        with source_lock(store.engine, "hotline_db"):
            held.set()
            time.sleep(0.6)

    holder = threading.Thread(target=hold_briefly)
    holder.start()
    assert held.wait(10)
    outcome = refresh_source(store, tiny_catalog, sources, "hotline_db", wait_seconds=10)
    holder.join()
    assert outcome.succeeded
