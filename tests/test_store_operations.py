"""The operators' records beside the values, on every store: first arrival of each city-level
period, verdicts on quality findings and the items operators work from them, and alerts
claimed once however many checkers race for them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from connectors.findings import FindingState, finding_items
from connectors.refresh import refresh_source
from indicators.registry import Catalog
from indicators.store import Finding, LoadRun, MetricStore
from indicators.store.operations import (
    Delivery,
    Review,
    add_deliveries,
    claim_alert,
    deliveries,
    forget_alert,
    raised_alerts,
    resolve_alert,
    review_finding,
    reviews,
    stored_findings,
)
from tests.refresh_kinds import inline_sources

T0 = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # whole seconds: MariaDB keeps no fractions


class Clock:
    """The store's clock, moved by the test: 'later' is exact, not a race with the real one."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    for module in ("indicators.store.operations", "indicators.store.repository"):
        monkeypatch.setattr(f"{module}.utc_now", fake)
    return fake


# --- first arrival of each period ---------------------------------------------------------------
SEPTEMBER = [
    ("T_ORDERS", "2025-09", "city", 120),
    ("T_ORDERS", "2025-09", "east", 70),
    ("T_CLOSED", "2025-09", "city", 100),
]


def test_a_refresh_records_when_each_city_period_first_arrived(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path, clock: Clock
) -> None:
    sources = inline_sources(tmp_path, hotline_db={"rows": SEPTEMBER})
    first = refresh_source(store, tiny_catalog, sources, "hotline_db").run
    assert sorted(deliveries(store.engine), key=lambda d: d.indicator_code) == [
        Delivery("T_CLOSED", "2025-09", "hotline_db", T0, first.id),
        Delivery("T_ORDERS", "2025-09", "hotline_db", T0, first.id),
    ]  # the district row is no delivery of the city's figure

    later = clock.advance(hours=3)
    revised = [("T_ORDERS", "2025-09", "city", 125), ("T_ORDERS", "2025-10", "city", 130)]
    reload = inline_sources(tmp_path, hotline_db={"rows": [*SEPTEMBER[1:], *revised]})
    second = refresh_source(store, tiny_catalog, reload, "hotline_db").run
    assert second.status == "succeeded"
    assert sorted(deliveries(store.engine), key=lambda d: (d.indicator_code, d.period)) == [
        Delivery("T_CLOSED", "2025-09", "hotline_db", T0, first.id),
        Delivery("T_ORDERS", "2025-09", "hotline_db", T0, first.id),  # a reload is no delivery
        Delivery("T_ORDERS", "2025-10", "hotline_db", later, second.id),
    ]
    values = store.values(codes=["T_ORDERS"], areas=["city"], periods=["2025-09"])
    assert values.loaded_at.tolist() == [later]  # why arrivals need a record of their own
    assert deliveries(store.engine, ["hotline_db"]) == deliveries(store.engine)
    assert deliveries(store.engine, ["env_api"]) == []


def test_history_recorded_outside_a_load_keeps_its_first_arrival(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path, clock: Clock
) -> None:
    earlier = T0 - timedelta(days=40)
    add_deliveries(store.engine, [Delivery("T_ORDERS", "2025-09", "hotline_db", earlier)])
    sources = inline_sources(tmp_path, hotline_db={"rows": SEPTEMBER[:1]})
    assert refresh_source(store, tiny_catalog, sources, "hotline_db").succeeded
    assert deliveries(store.engine) == [Delivery("T_ORDERS", "2025-09", "hotline_db", earlier)]


# --- findings, verdicts and items ---------------------------------------------------------------
JUMP = Finding("jump", "warning", "跳变 +80%", "T_ORDERS", "city", "2025-09")
DROP = Finding("row_count", "warning", "3 rows read, usually 40")  # about the source
KEY = "hotline_db|jump|T_ORDERS|city|2025-09"


def found(store: MetricStore, source: str, *findings: Finding) -> LoadRun:
    """A run of `source` that wrote no values and found `findings`."""
    return store.write_run(store.start_run(source), [], findings=findings)


def test_a_verdict_records_who_and_when_and_the_latest_counts(
    store: MetricStore, clock: Clock
) -> None:
    acknowledged = review_finding(store.engine, KEY, "acknowledged", "张三", "口径调整，已核实")
    assert acknowledged == Review("acknowledged", "张三", T0, "口径调整，已核实")
    assert reviews(store.engine) == {KEY: acknowledged}

    later = clock.advance(minutes=30)
    resolved = review_finding(store.engine, KEY, "resolved", "李四")
    assert resolved == Review("resolved", "李四", later, None)
    assert reviews(store.engine) == {KEY: resolved}

    with pytest.raises(
        ValueError, match=r"unknown review state 'closed' \(use acknowledged, resolved\)"
    ):
        review_finding(store.engine, KEY, "closed", "王五")
    assert reviews(store.engine) == {KEY: resolved}


def test_stored_findings_carry_their_runs_source_and_time(store: MetricStore, clock: Clock) -> None:
    first = found(store, "hotline_db", JUMP, DROP)
    clock.advance(hours=1)
    second = found(
        store, "env_api", Finding("range", "error", "PM2.5 为负", "T_PM25", "city", "2025-09")
    )
    everything = stored_findings(store.engine)
    assert [(f.load_run_id, f.source, f.found_at, f.check_name) for f in everything] == [
        (second.id, "env_api", second.finished_at, "range"),
        (first.id, "hotline_db", T0, "row_count"),
        (first.id, "hotline_db", T0, "jump"),
    ]
    jump = everything[2]
    assert (jump.severity, jump.message, jump.indicator_code, jump.area, jump.period) == (
        "warning",
        "跳变 +80%",
        "T_ORDERS",
        "city",
        "2025-09",
    )
    assert (jump.key, everything[1].key) == (KEY, "hotline_db|row_count|||")


def items_now(store: MetricStore) -> dict[str, tuple[FindingState, int, bool, int]]:
    """Each item's state, occurrences, reopened flag and the run of its newest occurrence."""
    items = finding_items(stored_findings(store.engine), reviews(store.engine))
    return {i.key: (i.state, i.occurrences, i.reopened, i.latest.load_run_id) for i in items}


def test_the_same_finding_of_two_runs_is_one_item(store: MetricStore, clock: Clock) -> None:
    first = found(store, "hotline_db", JUMP, DROP)
    clock.advance(hours=1)
    second = found(store, "hotline_db", JUMP, DROP)
    items = finding_items(stored_findings(store.engine), reviews(store.engine))
    # a row-count drop that goes on is one item too, about the source
    assert [(i.key, i.state, i.occurrences, i.reopened, i.review) for i in items] == [
        ("hotline_db|row_count|||", FindingState.open, 2, False, None),
        (KEY, FindingState.open, 2, False, None),
    ]
    assert [i.latest.load_run_id for i in items] == [second.id, second.id]
    assert first.id < second.id


def test_an_acknowledged_finding_stays_acknowledged_when_found_again(
    store: MetricStore, clock: Clock
) -> None:
    found(store, "hotline_db", JUMP)
    clock.advance(hours=1)
    review_finding(store.engine, KEY, "acknowledged", "张三", "春节因素")
    clock.advance(hours=1)
    again = found(store, "hotline_db", JUMP)
    assert items_now(store) == {KEY: (FindingState.acknowledged, 2, False, again.id)}


def test_a_resolved_finding_found_again_by_a_later_load_is_reopened(
    store: MetricStore, clock: Clock
) -> None:
    first = found(store, "hotline_db", JUMP)
    clock.advance(hours=1)
    resolution = review_finding(store.engine, KEY, "resolved", "张三", "来源已更正")
    assert items_now(store) == {KEY: (FindingState.resolved, 1, False, first.id)}

    clock.advance(hours=1)
    found(store, "hotline_db", DROP)  # a later load that does not find it: still resolved
    assert items_now(store)[KEY] == (FindingState.resolved, 1, False, first.id)

    clock.advance(hours=1)
    again = found(store, "hotline_db", JUMP)
    assert items_now(store)[KEY] == (FindingState.open, 2, True, again.id)
    [item] = finding_items(stored_findings(store.engine)[:1], reviews(store.engine))
    assert item.review == resolution  # the reopened item still shows who resolved it


def test_found_again_within_the_second_of_its_resolution_is_reopened(
    store: MetricStore, clock: Clock
) -> None:
    """Timestamps keep microseconds on every store (MariaDB's DATETIME needs fsp=6)."""
    found(store, "hotline_db", JUMP)
    clock.advance(seconds=0.3)
    review_finding(store.engine, KEY, "resolved", "张三")
    clock.advance(seconds=0.4)
    found(store, "hotline_db", JUMP)
    assert items_now(store)[KEY][:3] == (FindingState.open, 2, True)


# --- alerts -------------------------------------------------------------------------------------
def test_an_alert_is_claimed_when_new_changed_or_back_after_resolution(store: MetricStore) -> None:
    engine, key = store.engine, "late|stats_files"
    assert claim_alert(engine, key, "2025-10", "统计局 10月数据逾期") is True  # new
    assert claim_alert(engine, key, "2025-10", "统计局 10月数据逾期") is False  # already sent
    assert claim_alert(engine, key, "2025-11", "统计局 11月数据逾期") is True  # changed
    assert claim_alert(engine, key, "2025-11", "统计局 11月数据逾期") is False
    assert [(a.problem_key, a.fingerprint, a.message) for a in raised_alerts(engine)] == [
        (key, "2025-11", "统计局 11月数据逾期")
    ]
    assert (resolve_alert(engine, key), resolve_alert(engine, key)) == (True, False)
    assert raised_alerts(engine) == []
    assert claim_alert(engine, key, "2025-11", "统计局 11月数据逾期") is True  # back again
    forget_alert(engine, key)  # the alert could not be sent: the next check tries again
    assert claim_alert(engine, key, "2025-11", "统计局 11月数据逾期") is True


def test_two_checkers_claiming_a_new_alert_at_once_send_it_once(store: MetricStore) -> None:
    keys = [f"failed|source_{n}" for n in range(5)]
    for key in keys:
        together = threading.Barrier(2)

        def claim(key: str = key, together: threading.Barrier = together) -> bool:
            together.wait(10)
            return claim_alert(store.engine, key, "run 12", "加载失败")

        with ThreadPoolExecutor(2) as pool:
            claims = [pool.submit(claim), pool.submit(claim)]
            assert sorted(c.result(timeout=30) for c in claims) == [False, True]
    assert sorted(a.problem_key for a in raised_alerts(store.engine)) == keys


def test_two_first_verdicts_at_once_both_land_and_one_is_kept(store: MetricStore) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def review(who: str) -> None:
        start.wait()
        try:
            review_finding(store.engine, KEY, "acknowledged", who)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=review, args=(who,)) for who in ("张三", "李四")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert reviews(store.engine)[KEY].reviewed_by in {"张三", "李四"}
