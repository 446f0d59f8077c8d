"""`cockpit` command line: a thin typer layer over the library."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cockpit import (
    alerts_command,
    data_commands,
    delivery_command,
    metrics_command,
    report_command,
    user_command,
)
from cockpit.cli_common import AsUser, CatalogOption, as_user, fail, load_valid_catalog
from cockpit.runs_command import runs
from cockpit.serve_command import serve
from cockpit.show import snapshot_table, snapshot_to_dict
from indicators.export import export_catalog_xlsx
from indicators.model import DOMAIN_NAMES_ZH, Domain
from indicators.periods import PeriodError
from indicators.registry import (
    DEFAULT_CATALOG,
    SCREENS_FILE,
    Catalog,
    UnknownIndicatorError,
    load_catalog,
)
from indicators.screens import ScreensError, load_screens
from indicators.settings import SettingsError, local_today
from indicators.snapshot import SnapshotError, snapshot_for
from indicators.store import StoreOpenError, open_store

app = typer.Typer(no_args_is_help=True, add_completion=False, help="政务驾驶舱 · Gov KPI Cockpit")
console = Console()


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


# What a user can get wrong about `show`: each becomes one line and exit 2.
SHOW_ERRORS = (UnknownIndicatorError, SnapshotError, PeriodError, SettingsError, StoreOpenError)


@app.callback()
def root() -> None:
    """政务驾驶舱: indicator registry, metric store, cockpit and briefings."""


@app.command()
def validate(
    catalog: CatalogOption = DEFAULT_CATALOG,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.table,
) -> None:
    """Check the indicator catalog; list every problem as file:line: CODE: field: message."""
    result = load_catalog(catalog)
    if output is OutputFormat.json:
        counts = Counter((ind.domain.value, ind.kind.value) for ind in result.catalog)
        summary = {
            "indicators": len(result.catalog),
            "by_domain_and_kind": {
                domain.value: {
                    kind: n for (d, kind), n in sorted(counts.items()) if d == domain.value
                }
                for domain in Domain
            },
            "problems": [asdict(problem) for problem in result.problems],
        }
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    if result.problems:
        if output is OutputFormat.table:
            for problem in result.problems:
                typer.echo(str(problem))
        typer.echo(f"{len(result.problems)} problem(s) in {catalog}", err=True)
        raise typer.Exit(1)
    screens_problem = _screens_problem(result.catalog, catalog)
    if screens_problem:
        typer.echo(screens_problem, err=True)
        raise typer.Exit(1)
    if output is OutputFormat.table:
        _print_summary(result.catalog)


def _screens_problem(catalog: Catalog, directory: Path) -> str | None:
    """The big screens' layout, when the catalog folder has one, must name valid tiles."""
    if not (directory / SCREENS_FILE).exists():
        return None
    try:
        load_screens(catalog, directory)
    except ScreensError as error:
        return str(error)
    return None


def _print_summary(catalog: Catalog) -> None:
    kinds = Counter((ind.domain, ind.kind.value) for ind in catalog)
    all_kinds = sorted({kind for _, kind in kinds})
    table = Table(title=f"指标体系 catalog OK: {len(catalog)} indicators")
    table.add_column("领域 domain", no_wrap=True)
    table.add_column("indicators", justify="right")
    for kind in all_kinds:
        table.add_column(kind, justify="right")
    for domain in Domain:
        row = [kinds[(domain, kind)] for kind in all_kinds]
        table.add_row(DOMAIN_NAMES_ZH[domain], str(sum(row)), *map(str, row))
    console.print(table)


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="Indicator code, e.g. ECO_GDP.")],
    period: Annotated[
        str | None,
        typer.Option(help="Period such as 2026-10, 2026Q3, 2026 (default: latest with data)."),
    ] = None,
    area: Annotated[
        str | None, typer.Option(help="Area code or name (default: the whole city).")
    ] = None,
    output: Annotated[
        OutputFormat, typer.Option("--format", help="table or json.")
    ] = OutputFormat.table,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
    user: AsUser = None,
) -> None:
    """One indicator at one period and area: value, 同比, 环比, 累计, target, status, source."""
    catalog = load_valid_catalog(catalog_dir)
    shown = as_user(catalog, user)
    # One the user may not see is unknown to them, in the words (and suggestions) of their own
    # catalog; figures are computed from the whole one (inputs may be hidden).
    computing = catalog if code.strip().upper() in shown.indicators else shown
    try:
        snapshot = snapshot_for(computing, open_store(), code, period, area, local_today())
    except SHOW_ERRORS as exc:
        raise fail(str(exc)) from None
    if output is OutputFormat.json:
        typer.echo(json.dumps(snapshot_to_dict(snapshot, shown), ensure_ascii=False, indent=2))
    else:
        console.print(snapshot_table(snapshot, shown))


catalog_app = typer.Typer(no_args_is_help=True, help="Work with the indicator catalog.")
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("export")
def catalog_export(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Excel file to write.")],
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
    user: AsUser = None,
) -> None:
    """Write the indicator system as an Excel table with Chinese headers."""
    catalog = as_user(load_valid_catalog(catalog_dir), user)
    if xlsx.suffix.lower() != ".xlsx":
        raise fail(f"{xlsx}: the export file must end in .xlsx")
    try:
        count = export_catalog_xlsx(catalog, xlsx)
    except OSError as exc:
        raise fail(f"{xlsx}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {count} indicators to {xlsx}")


data_commands.register(app)
alerts_command.register(app)
metrics_command.register(app)
delivery_command.register(app)
report_command.register(app)
user_command.register(app)
app.command()(runs)
app.command()(serve)


def main() -> None:
    app()
