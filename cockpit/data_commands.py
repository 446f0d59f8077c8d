"""The data commands: `sample`, `refresh`, `status`, `import`. Thin: each calls the library
(sample_data, connectors, indicators.freshness) and renders what came back."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cockpit.alerts_command import alert_after_refresh
from cockpit.cli_common import CatalogOption, cli_actor, fail, load_valid_catalog
from cockpit.progress import ProgressMode, progress_reporters
from cockpit.status_view import status_json, status_prometheus, status_table
from connectors.config import SourcesError, SourcesFile, load_sources
from connectors.locks import SourceBusyError
from connectors.manual import validate_import
from connectors.monitoring import source_loads
from connectors.refresh import RefreshOutcome, import_rows, refresh_source
from connectors.status import source_freshness
from connectors.template import write_template
from indicators.freshness import FreshnessReport, exit_code
from indicators.registry import DEFAULT_CATALOG, Catalog
from indicators.settings import cockpit_home, local_today
from indicators.store import MetricStore, StoreOpenError, open_store
from indicators.store.audit import log
from indicators.store.operations import add_deliveries
from sample_data import api
from sample_data.deliveries import delivery_history
from sample_data.generate import generate
from sample_data.plan import API_PORT, Scale

console = Console()
ProgressOption = Annotated[
    ProgressMode, typer.Option("--progress", help="auto, bar, plain (a line a step) or none.")
]
MANUAL_SOURCE = "manual_report"


class StatusFormat(StrEnum):
    table = "table"
    json = "json"
    prometheus = "prometheus"


def workspace(catalog_dir: Path) -> tuple[Catalog, SourcesFile, MetricStore]:
    catalog = load_valid_catalog(catalog_dir)
    try:
        return catalog, load_sources(), open_store()
    except (SourcesError, StoreOpenError) as exc:
        raise fail(str(exc)) from None


# --- cockpit sample ---------------------------------------------------------------------------
sample_app = typer.Typer(help="The sample city 新河市: its sources and their API.")


@sample_app.callback(invoke_without_command=True)
def sample(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same city.")] = 2026,
    scale: Annotated[
        Scale, typer.Option(help="full (≥1M 12345 work orders), or small (1/20 of the records).")
    ] = Scale.full,
    serve: Annotated[
        bool, typer.Option("--serve-api/--no-serve-api", help="Start the sample API after.")
    ] = True,
    progress: ProgressOption = ProgressMode.auto,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Write every source of 新河市 under COCKPIT_HOME, then start its HTTP API."""
    if ctx.invoked_subcommand:
        return
    catalog = load_valid_catalog(catalog_dir)
    home = cockpit_home()
    api.stop_background(home)  # it serves the numbers of the sample about to be replaced
    with progress_reporters(progress, console) as reporter_for:
        model = generate(catalog, home, seed, scale, local_today(), reporter_for)
    try:  # the bureaus' past deliveries are part of the city; a refresh keeps them
        add_deliveries(open_store().engine, delivery_history(model))
    except StoreOpenError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"sample city written to {home} (seed {seed}, {scale.value} scale)")
    if serve:
        try:
            pid = api.start_background(home, API_PORT)
        except api.SampleApiError as exc:
            raise fail(str(exc)) from None
        typer.echo(
            f"sample API on http://127.0.0.1:{API_PORT} (pid {pid}); "
            "stop it with `cockpit sample serve-api --stop`"
        )
    typer.echo("next: cockpit refresh")


@sample_app.command("serve-api")
def serve_api(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = API_PORT,
    stop: Annotated[bool, typer.Option("--stop", help="Stop the background API.")] = False,
) -> None:
    """Serve the sample bureaus' HTTP JSON API in the foreground (Ctrl-C ends it)."""
    home = cockpit_home()
    if stop:
        stopped = api.stop_background(home)
        typer.echo("sample API stopped" if stopped else "no sample API was running")
        return
    try:
        api.serve_forever(home, port)
    except (api.SampleApiError, OSError) as exc:
        raise fail(f"cannot serve the sample API: {exc}") from None


# --- cockpit refresh --------------------------------------------------------------------------
def refresh(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Source id (repeatable; default: all).")
    ] = None,
    wait: Annotated[
        float, typer.Option(help="Seconds to wait for a refresh of the same source to end.")
    ] = 0,
    progress: ProgressOption = ProgressMode.auto,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Read each source and load it as one all-or-nothing run; exit 1 if any failed."""
    catalog, sources, store = workspace(catalog_dir)
    try:
        ids = [sources.get(sid).id for sid in source] if source else [s.id for s in sources.sources]
    except SourcesError as exc:
        raise fail(str(exc)) from None
    outcomes: list[RefreshOutcome] = []
    busy: list[str] = []
    with progress_reporters(progress, console) as reporter_for:
        for sid in ids:
            try:
                outcomes.append(
                    refresh_source(store, catalog, sources, sid, reporter_for(sid), wait)
                )
            except SourceBusyError as exc:
                busy.append(str(exc))
                log(store.engine, cli_actor(), "refresh", sid, "busy")
    console.print(_outcome_table(outcomes))
    for outcome in outcomes:
        result = "ok" if outcome.succeeded else "failed"
        log(store.engine, cli_actor(), "refresh", outcome.source, result, run=outcome.run.id)
        if not outcome.succeeded:
            typer.echo(f"failed: {outcome.source}: {outcome.run.message}", err=True)
    for message in busy:
        typer.echo(f"error: {message}", err=True)
    if not source:
        _print_unfilled(catalog, source_freshness(store, catalog, sources, *_clock()))
    alert_after_refresh(store, catalog, sources)
    if busy or not all(o.succeeded for o in outcomes):
        raise typer.Exit(1)


def _clock() -> tuple[date, datetime]:
    return local_today(), datetime.now(UTC)


def _outcome_table(outcomes: list[RefreshOutcome]) -> Table:
    """One row a run; the messages of failed runs follow the table in full."""
    table = Table(title="加载结果 load runs")
    table.add_column("数据源 source", no_wrap=True)
    for column in ("run", "状态 status", "read", "written", "rejected", "findings"):
        table.add_column(column, justify="right", no_wrap=True)
    for outcome in outcomes:
        run = outcome.run
        style = "green" if outcome.succeeded else "bold red"
        table.add_row(
            outcome.source,
            str(run.id),
            f"[{style}]{run.status}[/]",
            str(run.rows_read),
            str(run.rows_written),
            str(run.rows_rejected),
            str(len(outcome.findings)),
        )
    return table


def _print_unfilled(catalog: Catalog, report: FreshnessReport) -> None:
    """Every catalog indicator without a value, and why (the done-when of a refresh)."""
    empty = [f for f in report.indicators.values() if f.latest is None]
    if not empty:
        typer.echo(f"all {len(report.indicators)} catalog indicators have values")
        return
    table = Table(title=f"{len(empty)} indicator(s) without values 未填充指标")
    table.add_column("指标 indicator")
    table.add_column("数据源 source")
    table.add_column("原因 reason", overflow="fold")
    reasons = {s.source: s.reason for s in report.sources}
    for item in sorted(empty, key=lambda f: (f.source, f.code)):
        name = catalog.get(item.code).name_zh
        table.add_row(f"{item.code} {name}", item.source, reasons.get(item.source, item.reason))
    console.print(table)


# --- cockpit status ---------------------------------------------------------------------------
def status(
    output: Annotated[
        StatusFormat, typer.Option("--format", help="table, json or prometheus.")
    ] = StatusFormat.table,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Freshness of every source; exit 0 all fresh, 1 something late, 2 stale or failed."""
    catalog, sources, store = workspace(catalog_dir)
    today, now = _clock()
    report = source_freshness(store, catalog, sources, today, now)
    if output is StatusFormat.json:
        typer.echo(json.dumps(status_json(report), ensure_ascii=False, indent=2))
    elif output is StatusFormat.prometheus:
        loads = source_loads(store, catalog, sources, report, today)
        typer.echo(status_prometheus(report, loads), nl=False)
    else:
        names = {s.id: s.name_zh for s in sources.sources}
        console.print(status_table(report, names))
    raise typer.Exit(exit_code(report.status))


# --- cockpit import ---------------------------------------------------------------------------
def import_file(
    file: Annotated[Path, typer.Argument(help="A filled 基层填报 template (.xlsx).")],
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Load one filled reporting template, checked whole first: any bad row, nothing written."""
    catalog, sources, store = workspace(catalog_dir)
    if not file.exists():
        raise fail(f"{file}: no such file")
    checked = validate_import(file, catalog)
    if checked.rejections:
        for rejection in checked.rejections:
            typer.echo(rejection.describe(), err=True)
        log(
            store.engine,
            cli_actor(),
            "upload",
            file.name,
            "failed",
            problems=len(checked.rejections),
        )
        raise fail(f"{file}: {len(checked.rejections)} problem(s); nothing was imported")
    try:
        outcome = import_rows(store, catalog, sources.get(MANUAL_SOURCE), checked)
    except (SourcesError, SourceBusyError) as exc:
        busy = isinstance(exc, SourceBusyError)
        log(store.engine, cli_actor(), "upload", file.name, "busy" if busy else "failed")
        raise fail(str(exc)) from None
    alert_after_refresh(store, catalog, sources)
    ended = "ok" if outcome.succeeded else "failed"
    log(store.engine, cli_actor(), "upload", file.name, ended, run=outcome.run.id)
    if not outcome.succeeded:
        raise fail(f"{file}: {outcome.run.message}")
    typer.echo(f"imported {outcome.run.rows_written} values from {file} (run {outcome.run.id})")


def template(
    output: Annotated[Path, typer.Argument(help="Workbook to write (.xlsx).")],
    owner: Annotated[
        str | None, typer.Option(help="Only this bureau's indicators, e.g. 市水务局.")
    ] = None,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Write a blank 基层填报 template for bureaus to fill in and `cockpit import`."""
    catalog = load_valid_catalog(catalog_dir)
    if output.suffix.lower() != ".xlsx":
        raise fail(f"{output}: the template must end in .xlsx")
    try:
        count = write_template(catalog, output, owner)
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"wrote a template with {count} indicators to {output}")


def register(app: typer.Typer) -> None:
    app.add_typer(sample_app, name="sample")
    app.command()(refresh)
    app.command()(status)
    app.command("import")(import_file)
    app.command()(template)
