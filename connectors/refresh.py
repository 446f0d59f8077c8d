"""Refreshing a source: read it, check it, write it as one load run, all or nothing.

Under the source's lock (`locks`), so two refreshes of one source never interleave. Runs
left 'running' by a killed process are marked failed first. The connector only reads;
rows are then checked against the catalog (`validation`); more rejected rows than the
source allows fails the run with nothing written (the rejections are kept, the first named
in the run's message); otherwise quality checks run and values, rejections and findings are
written in one transaction. Any error leaves the stored values exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.base import Progress, ReadResult, SourceContext, no_progress
from connectors.config import SourceConfig, SourcesFile
from connectors.locks import source_lock
from connectors.quality import check_load
from connectors.registry import build_connector
from connectors.validation import check_rows
from indicators.model import Sensitivity
from indicators.registry import Catalog
from indicators.settings import local_today
from indicators.store import Finding, LoadError, LoadRun, MetricStore, Rejection

RECENT_RUNS = 10  # successful runs whose row counts make "the usual"
INTERRUPTED = "interrupted: the refresh was stopped before finishing; nothing was written"


@dataclass(frozen=True)
class RefreshOutcome:
    source: str
    run: LoadRun
    rejections: list[Rejection] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.run.status == "succeeded"


def refresh_source(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile,
    source_id: str,
    progress: Progress = no_progress,
    wait_seconds: float = 0,
) -> RefreshOutcome:
    """Refresh one configured source; SourceBusyError if another process holds it."""
    config = sources.get(source_id)
    with source_lock(store.engine, source_id, wait_seconds):
        store.abandon_running(source_id)
        run_id = store.start_run(source_id)
        return _guarded(
            store, run_id, lambda: _run(store, catalog, sources, config, run_id, progress)
        )


def _guarded(store: MetricStore, run_id: int, work: Callable[[], RefreshOutcome]) -> RefreshOutcome:
    """Whatever goes wrong after a run started ends as that run failed, with the reason on
    one line; never as a run left 'running' or a refresh of the next source not attempted."""
    try:
        return work()
    except Exception as exc:
        message = " ".join(f"{type(exc).__name__}: {exc}".split())[:2000]
        return RefreshOutcome(store.run(run_id).source, store.fail_run(run_id, message))
    except BaseException:  # stopped from outside (Ctrl-C, a page's script stopped): say so
        store.fail_run(run_id, INTERRUPTED)
        raise


def _run(
    store: MetricStore,
    catalog: Catalog,
    sources: SourcesFile,
    config: SourceConfig,
    run_id: int,
    progress: Progress,
) -> RefreshOutcome:
    try:
        connector = build_connector(config.kind, config.options, config.id)
        latest = store.latest_periods(catalog.deployment.city.code)
        context = SourceContext(catalog, sources.base_dir, latest, sources.folders)
        result = connector.read(context, progress)
    except Exception as exc:  # a connector's own error message is the run's message
        message = " ".join(str(exc).split())[:2000] or type(exc).__name__
        return RefreshOutcome(config.id, store.fail_run(run_id, message))
    return _check_and_write(store, catalog, config, run_id, result, progress)


def import_rows(
    store: MetricStore,
    catalog: Catalog,
    config: SourceConfig,
    result: ReadResult,
    progress: Progress = no_progress,
) -> RefreshOutcome:
    """Load rows read outside a refresh (`cockpit import FILE`) as a run of `config`'s
    source, with the same lock, checks and atomicity; any rejected row fails the import."""
    strict = config.model_copy(update={"max_rejected": 0})
    with source_lock(store.engine, config.id):
        store.abandon_running(config.id)
        run_id = store.start_run(config.id)
        return _guarded(
            store,
            run_id,
            lambda: _check_and_write(store, catalog, strict, run_id, result, progress, True),
        )


def _check_and_write(
    store: MetricStore,
    catalog: Catalog,
    config: SourceConfig,
    run_id: int,
    result: ReadResult,
    progress: Progress,
    refuse_unfinished: bool = False,
) -> RefreshOutcome:
    source = config.id
    checked = check_rows(catalog, source, result.rows, local_today(), refuse_unfinished)
    rejections = [*result.rejections, *checked.rejections]
    if len(rejections) > config.max_rejected:
        message = (
            f"{len(rejections)} row(s) rejected, {config.max_rejected} allowed; "
            f"first: {_example(rejections[0], catalog)}"
        )
        run = store.fail_run(run_id, message, result.rows_read, rejections)
        return RefreshOutcome(source, run, rejections)
    progress("check", 0, len(checked.rows))
    history = store.values(codes=sorted({row.indicator_code for row in checked.rows}))
    findings = checked.findings + check_load(
        catalog,
        checked.rows,
        history,
        result.rows_read,
        _recent_reads(store, source),
        config.quality,
    )
    total = len(checked.rows)
    try:
        run = store.write_run(
            run_id,
            checked.rows,
            result.rows_read,
            rejections,
            findings,
            progress=lambda written: progress("write", written, total),
            city=catalog.deployment.city.code,
        )
    except LoadError:
        return RefreshOutcome(source, store.run(run_id), rejections)
    progress("write", total, total)
    return RefreshOutcome(source, run, rejections, findings)


def _recent_reads(store: MetricStore, source: str) -> list[int]:
    runs = store.runs(source, limit=RECENT_RUNS * 3)
    return [run.rows_read for run in runs if run.status == "succeeded"][:RECENT_RUNS]


def _example(rejection: Rejection, catalog: Catalog) -> str:
    """The rejection a failed run's message quotes. Operators and alert channels read that
    message, and they are not cleared for restricted indicators (cockpit.clearance): for one
    of those it names where, not the value or a reason quoting it."""
    ind = catalog.indicators.get(rejection.indicator_code or "")
    if ind is not None and ind.sensitivity is Sensitivity.restricted:
        withheld = f"restricted indicator {ind.code}, details withheld"
        return f"{rejection.location}: {rejection.field}: {withheld}"
    return rejection.describe()
