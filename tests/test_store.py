"""The metric store on SQLite and PostgreSQL: upserts, atomic loads, load runs, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, inspect, select

from indicators.store import MetricStore, ValueRow, open_store
from indicators.store.repository import LoadError
from indicators.store.schema import load_run

ROWS = [
    ValueRow("T_ORDERS", "2026-09", "city", 100.0),
    ValueRow("T_ORDERS", "2026-10", "city", 110.0),
    ValueRow("T_ORDERS", "2026-10", "east", 66.0),
]


def stored(store: MetricStore) -> list[tuple[str, str, str, float]]:
    frame = store.values()
    return sorted(
        frame[["indicator_code", "period", "area", "value"]].itertuples(index=False, name=None)
    )


def test_migrations_create_the_schema_and_rerun_as_no_op(store_url: str) -> None:
    first = open_store(store_url)
    tables = set(inspect(first.engine).get_table_names())
    assert {"load_run", "metric_value", "alembic_version"} <= tables
    first.load("hotline_db", ROWS)
    second = open_store(store_url)  # migrating an up-to-date store changes nothing
    assert second.count_values() == 3
    first.engine.dispose()
    second.engine.dispose()


def test_load_writes_values_with_their_run(store: MetricStore) -> None:
    run = store.load("hotline_db", ROWS)
    assert run.status == "succeeded"
    assert (run.rows_read, run.rows_written, run.rows_rejected) == (3, 3, 0)
    assert stored(store) == [
        ("T_ORDERS", "2026-09", "city", 100.0),
        ("T_ORDERS", "2026-10", "city", 110.0),
        ("T_ORDERS", "2026-10", "east", 66.0),
    ]
    assert set(store.values()["load_run_id"]) == {run.id}


def test_upsert_is_idempotent_and_updates_changed_values(store: MetricStore) -> None:
    store.load("hotline_db", ROWS)
    store.load("hotline_db", ROWS)
    assert store.count_values() == 3
    second = store.load("hotline_db", [ValueRow("T_ORDERS", "2026-10", "city", 111.0)])
    frame = store.values(codes=["T_ORDERS"], areas=["city"], periods=["2026-10"])
    assert frame["value"].tolist() == [111.0]
    assert frame["load_run_id"].tolist() == [second.id]
    assert store.count_values() == 3


def test_failed_load_leaves_previous_values_exactly_and_records_why(store: MetricStore) -> None:
    store.load("hotline_db", ROWS)
    before = store.values()
    bad = [
        ValueRow("T_ORDERS", "2026-10", "city", 999.0),  # would overwrite…
        ValueRow("T_ORDERS", "2026-11", "city", float("nan")),  # …but this row is bad
    ]
    with pytest.raises(LoadError, match=r"T_ORDERS 2026-11 city: value nan is not a number"):
        store.load("hotline_db", bad)
    after = store.values()
    assert after.equals(before)
    failed = store.runs("hotline_db")[0]
    assert failed.status == "failed"
    assert failed.rows_written == 0
    assert "2026-11" in (failed.message or "")


def test_large_load_spans_batches_in_one_transaction(store: MetricStore) -> None:
    rows = [
        ValueRow("T_ORDERS", f"{2000 + i // 12}-{i % 12 + 1:02d}", f"a{j}", float(i))
        for i in range(600)
        for j in range(10)
    ]
    run = store.load("hotline_db", rows)
    assert run.rows_written == 6000
    assert store.count_values() == 6000
    assert store.values()["period"].max() == "2049-12"


def test_timestamps_are_aware_utc(store: MetricStore) -> None:
    before = datetime.now(UTC)
    run = store.load("hotline_db", ROWS)
    loaded_at = store.values()["loaded_at"].iloc[0].to_pydatetime()
    for stamp in (run.started_at, run.finished_at, loaded_at):
        assert stamp is not None
        assert stamp.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=5) <= stamp <= datetime.now(UTC) + timedelta(seconds=5)


def test_local_times_are_stored_as_the_same_instant(store: MetricStore) -> None:
    beijing = timezone(timedelta(hours=8))
    local = datetime(2026, 11, 25, 9, 30, tzinfo=beijing)
    with store.engine.begin() as conn:
        conn.execute(insert(load_run).values(source="x", started_at=local, status="succeeded"))
    with store.engine.connect() as conn:
        started = conn.execute(
            select(load_run.c.started_at).where(load_run.c.source == "x")
        ).scalar_one()
    assert started == local
    assert started.hour == 1  # 09:30 in Beijing is 01:30 UTC


def test_naive_timestamps_are_refused(store: MetricStore) -> None:
    with pytest.raises(Exception, match="timezone-aware"), store.engine.begin() as conn:
        conn.execute(
            insert(load_run).values(source="x", started_at=datetime(2026, 1, 1), status="running")
        )


def test_period_labels_are_stored_in_one_spelling(store: MetricStore) -> None:
    store.load(
        "hotline_db",
        [
            ValueRow("T_ORDERS", "2026-1", "city", 1.0),
            ValueRow("T_ORDERS", "2026年2月", "city", 2.0),
        ],
    )
    store.load(
        "hotline_db", [ValueRow("T_ORDERS", "2026-01", "city", 5.0)]
    )  # the same period again
    assert stored(store) == [
        ("T_ORDERS", "2026-01", "city", 5.0),
        ("T_ORDERS", "2026-02", "city", 2.0),
    ]


def test_unreadable_period_fails_the_load_naming_the_row(store: MetricStore) -> None:
    with pytest.raises(LoadError, match=r"T_ORDERS 2026-13 city: unreadable period '2026-13'"):
        store.load(
            "hotline_db",
            [
                ValueRow("T_ORDERS", "2026-12", "city", 1.0),
                ValueRow("T_ORDERS", "2026-13", "city", 1.0),
            ],
        )
    assert store.count_values() == 0


def test_migrations_build_exactly_the_declared_schema(store: MetricStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from indicators.store.schema import metadata

    with store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_data_version_moves_when_any_run_finishes(store: MetricStore) -> None:
    """Screens keep their figures until this moves; a failed run moves it too (freshness)."""
    empty = store.data_version()
    assert empty == (0, None)
    store.load("hotline_db", ROWS)
    loaded = store.data_version()
    assert loaded[0] == 1 and loaded[1] is not None and loaded[1].tzinfo is not None
    running = store.start_run("hotline_db")
    assert store.data_version() == loaded  # a run still going changes nothing yet
    store.fail_run(running, "source unreachable")
    assert store.data_version()[0] == 2
