"""`cockpit delivery`: the operators' on-time delivery rate per source or bureau per month
(connectors.delivery has the definition)."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cockpit.cli_common import CatalogOption
from cockpit.data_commands import workspace
from connectors.delivery import DEFAULT_MONTHS, DeliveryRate, GroupBy, stored_delivery_report
from indicators.formatting import MISSING, percent
from indicators.registry import DEFAULT_CATALOG
from indicators.settings import local_today

console = Console()
GROUP_HEADERS = {GroupBy.source: "数据源 source", GroupBy.bureau: "责任单位 bureau"}


class DeliveryFormat(StrEnum):
    table = "table"
    json = "json"


def delivery(
    months: Annotated[
        int, typer.Option(min=1, max=120, help="How many months, up to the current one.")
    ] = DEFAULT_MONTHS,
    by: Annotated[
        GroupBy,
        typer.Option(
            help="source, or bureau: the source's owner; for 基层填报 the indicator's owner."
        ),
    ] = GroupBy.source,
    output: Annotated[DeliveryFormat, typer.Option("--format", help="table or json.")] = (
        DeliveryFormat.table
    ),
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """On-time delivery rate per month: periods arrived by their due date / periods due."""
    catalog, sources, store = workspace(catalog_dir)
    report = stored_delivery_report(store, catalog, sources.sources, local_today(), months)
    rates = report.rates(by)
    if output is DeliveryFormat.json:
        document = {"by": by.value, "months": report.months, "rates": [asdict(r) for r in rates]}
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    names = {s.id: s.name_zh for s in sources.sources}
    console.print(_rate_table(rates, report.months, by, names))


def _rate_table(
    rates: list[DeliveryRate], months: tuple[str, ...], by: GroupBy, names: dict[str, str]
) -> Table:
    """A row a group, a column a month: the rate over on time / due (— when nothing was due)."""
    table = Table(title="按时报送率 on-time delivery (on time / due)")
    table.add_column(GROUP_HEADERS[by])
    for month in months:
        table.add_column(month, justify="right", no_wrap=True)
    cells: dict[str, list[str]] = {}
    for rate in rates:
        cell = (
            MISSING
            if rate.rate is None
            else f"{percent(rate.rate * 100, 0)}\n{rate.on_time}/{rate.due}"
        )
        cells.setdefault(rate.group, []).append(cell)
    for group, row in cells.items():
        label = f"{names[group]}\n{group}" if by is GroupBy.source else group
        table.add_row(label, *row)
    return table


def register(app: typer.Typer) -> None:
    app.command()(delivery)
