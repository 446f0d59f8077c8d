"""Monitoring: `cockpit status --format prometheus` and `cockpit metrics serve` expose
freshness and load metrics that Prometheus's own parser reads, with the store's values."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from cockpit.status_view import status_prometheus
from connectors.config import SourcesFile
from connectors.findings import FindingState, finding_items
from connectors.monitoring import SourceLoad, source_loads
from connectors.refresh import refresh_source
from connectors.status import source_freshness
from indicators.freshness import Freshness, FreshnessReport, SourceFreshness, SourceRuns
from indicators.model import Frequency
from indicators.periods import Period
from indicators.registry import Catalog
from indicators.settings import local_today
from indicators.store import MetricStore, open_store
from indicators.store.operations import (
    Delivery,
    add_deliveries,
    review_finding,
    reviews,
    stored_findings,
)
from tests.cockpit_process import cockpit, cockpit_env, free_port, stop
from tests.conftest import FIXTURE_CATALOG
from tests.refresh_kinds import inline_sources

# T_ORDERS without 西区 and T_CLOSED without either district: two quality findings; and this
# month so far, not loaded: an info note (partial_period), open but asking nothing of anyone.
THIS_MONTH = Period.containing(Frequency.month, local_today()).label
ROWS = [
    ("T_ORDERS", "2026-09", "city", 120),
    ("T_ORDERS", "2026-09", "east", 70),
    ("T_CLOSED", "2026-09", "city", 100),
    ("T_ORDERS", THIS_MONTH, "city", 40),
]
TODAY = date(2026, 11, 20)  # for the delivery rate: November's due periods are October's
FAMILIES = [
    "cockpit_source_status",
    "cockpit_source_last_success_timestamp_seconds",
    "cockpit_source_indicators_behind",
    "cockpit_source_last_run_duration_seconds",
    "cockpit_source_last_run_rows_read",
    "cockpit_source_last_run_rows_written",
    "cockpit_source_last_run_rows_rejected",
    "cockpit_source_last_run_status",
    "cockpit_source_load_runs",
    "cockpit_source_open_findings",
    "cockpit_source_delivery_on_time_ratio",
]

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parsed(text: str) -> Samples:
    """Every sample by name and labels; each family a gauge with help, in FAMILIES order."""
    families = list(text_string_to_metric_families(text))
    assert [f.name for f in families] == FAMILIES
    assert all(f.type == "gauge" and f.documentation for f in families)
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in families for s in f.samples}


def sample(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, tuple(sorted(labels.items()))))


def sources_of(tmp_path: Path) -> SourcesFile:
    return inline_sources(tmp_path, hotline_db={"rows": ROWS}, env_api={"error": "refused"})


def load(store: MetricStore, catalog: Catalog, sources: SourcesFile) -> None:
    """Two good hotline loads (after its history of arrivals), one failed env_api load."""
    october = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)  # 10:00 on its due date in Beijing
    add_deliveries(
        store.engine,
        [
            Delivery("T_ORDERS", "2026-09", "hotline_db", datetime(2026, 10, 1, 2, tzinfo=UTC)),
            Delivery("T_ORDERS", "2026-10", "hotline_db", october),  # T_CLOSED's never came
        ],
    )
    for source in ("hotline_db", "hotline_db", "env_api"):
        refresh_source(store, catalog, sources, source)


def test_the_exposition_holds_the_stores_load_metrics(
    store: MetricStore, tiny_catalog: Catalog, tmp_path: Path
) -> None:
    sources = sources_of(tmp_path)
    load(store, tiny_catalog, sources)
    items = finding_items(stored_findings(store.engine), reviews(store.engine))
    [closed] = [i for i in items if i.latest.indicator_code == "T_CLOSED"]
    review_finding(store.engine, closed.key, "acknowledged", "ops")
    [note] = [i for i in items if i.is_note]
    assert (note.latest.check_name, note.latest.period) == ("partial_period", THIS_MONTH)
    assert note.state is FindingState.open and not note.needs_attention
    report = source_freshness(store, tiny_catalog, sources, local_today(), datetime.now(UTC))
    text = status_prometheus(report, source_loads(store, tiny_catalog, sources, report, TODAY))
    samples = parsed(text)

    assert sample(samples, "cockpit_source_status", source="env_api") == 4  # failed
    runs = {
        (source, status): sample(samples, "cockpit_source_load_runs", source=source, status=status)
        for source in ("hotline_db", "env_api", "stats_files")
        for status in ("running", "succeeded", "failed")
    }
    assert {key: n for key, n in runs.items() if n} == {
        ("hotline_db", "succeeded"): 2,
        ("env_api", "failed"): 1,
    }
    assert None not in runs.values()  # stats_files, named by the catalog only: zeros
    last = {
        dict(labels)["source"]: dict(labels)["status"]
        for (name, labels), value in samples.items()
        if name == "cockpit_source_last_run_status" and value == 1
    }
    assert last == {"hotline_db": "succeeded", "env_api": "failed"}
    assert [
        sample(samples, f"cockpit_source_last_run_rows_{count}", source="hotline_db")
        for count in ("read", "written", "rejected")
    ] == [4, 3, 0]  # this month's row read, not written (nor rejected)
    [hotline_run] = store.runs("hotline_db", limit=1)
    duration = (hotline_run.finished_at - hotline_run.started_at).total_seconds()
    assert sample(
        samples, "cockpit_source_last_run_duration_seconds", source="hotline_db"
    ) == pytest.approx(duration)
    assert sample(samples, "cockpit_source_last_run_duration_seconds", source="stats_files") is None
    open_findings = {
        s: sample(samples, "cockpit_source_open_findings", source=s)
        for s in ("hotline_db", "env_api", "stats_files")
    }
    # T_ORDERS's missing district; T_CLOSED's is acknowledged, and the open note is no finding
    # to act on
    assert open_findings == {"hotline_db": 1, "env_api": 0, "stats_files": 0}
    # October of T_ORDERS on time, of T_CLOSED missing; env_api never delivered: no ratio.
    assert sample(samples, "cockpit_source_delivery_on_time_ratio", source="hotline_db") == 0.5
    assert sample(samples, "cockpit_source_delivery_on_time_ratio", source="env_api") is None


def test_label_values_are_escaped() -> None:
    odd = 'a"b\\c\nd'
    runs = SourceRuns(None, None, None)
    report = FreshnessReport(
        (SourceFreshness(odd, Freshness.never, Freshness.never, runs, ()),), {}
    )
    text = status_prometheus(report, [SourceLoad(odd, None, {"failed": 0}, 0, 1.0)])
    assert 'cockpit_source_open_findings{source="a\\"b\\\\c\\nd"} 0\n' in text
    samples = parsed(text)
    assert sample(samples, "cockpit_source_delivery_on_time_ratio", source=odd) == 1.0
    assert sample(samples, "cockpit_source_load_runs", source=odd, status="failed") == 0


# --- as processes, the way Prometheus meets them ------------------------------------------------
@pytest.fixture
def loaded_home(tmp_path: Path, tiny_catalog: Catalog) -> Path:
    """COCKPIT_HOME with the inline sources file and a store loaded from it."""
    sources = sources_of(tmp_path)
    configured = [s.model_dump(include={"id", "name_zh", "owner", "kind"}) for s in sources.sources]
    (tmp_path / "sources.yaml").write_text(
        yaml.safe_dump({"sources": configured}, allow_unicode=True), encoding="utf-8"
    )
    store = open_store(f"sqlite:///{tmp_path / 'cockpit.db'}")
    load(store, tiny_catalog, sources)
    store.engine.dispose()
    return tmp_path


CATALOG = ("--catalog", str(FIXTURE_CATALOG))


def test_cockpit_status_prints_the_load_metrics(loaded_home: Path) -> None:
    result = cockpit(loaded_home, "status", "--format", "prometheus", *CATALOG)
    assert result.returncode == 2, result.stderr  # env_api failed
    samples = parsed(result.stdout)
    labels = {"source": "hotline_db", "status": "succeeded"}
    assert sample(samples, "cockpit_source_load_runs", **labels) == 2


def test_the_metrics_endpoint_serves_fresh_metrics_and_nothing_else(loaded_home: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "metrics", "serve", "--port", str(port), *CATALOG],
        env=cockpit_env(loaded_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        response = wait_serving(f"{base}/metrics", server)
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
        samples = parsed(response.text)
        assert sample(samples, "cockpit_source_status", source="env_api") == 4
        assert sample(samples, "cockpit_source_open_findings", source="hotline_db") == 2
        with httpx.Client(base_url=base, trust_env=False, timeout=10) as client:
            assert client.get("/").status_code == 404
            assert client.get("/metrics/extra").status_code == 404
            assert client.post("/metrics").status_code == 501
            store = open_store(f"sqlite:///{loaded_home / 'cockpit.db'}")
            [item, _] = [
                i for i in finding_items(stored_findings(store.engine), {}) if not i.is_note
            ]
            review_finding(store.engine, item.key, "resolved", "ops")
            store.engine.dispose()
            again = client.get("/metrics?from=prometheus")  # read afresh: one finding left
            assert again.status_code == 200
            assert (
                sample(parsed(again.text), "cockpit_source_open_findings", source="hotline_db") == 1
            )
    finally:
        stop(server)


def wait_serving(url: str, server: subprocess.Popen[str], timeout: float = 60) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            _, errors = server.communicate()
            raise AssertionError(f"the server exited with {server.returncode}: {errors}")
        try:
            return httpx.get(url, timeout=10, trust_env=False)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"{url} not answering after {timeout:.0f} s")
