"""`cockpit runs`: the load history an operator reads when a source is late or failed: the
recent runs, and for one run every rejected row and quality finding with its reason. With
`--as USER`, rejected values and findings of indicators that user may not see are withheld
as on the console."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.exc import NoResultFound

from cockpit.cli_common import AsUser, as_user, fail, load_valid_catalog
from cockpit.ops_texts import finding_reason, readable_rejections
from indicators.formatting import local_time
from indicators.registry import DEFAULT_CATALOG
from indicators.store import LoadRun, MetricStore, StoreOpenError, open_store

console = Console()


class RunsFormat(StrEnum):
    table = "table"
    json = "json"


def runs(
    source: Annotated[str | None, typer.Option(help="Only this source's runs.")] = None,
    run: Annotated[
        int | None, typer.Option("--run", help="One run with its rejected rows and findings.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many recent runs.")] = 20,
    output: Annotated[RunsFormat, typer.Option("--format", help="table or json.")] = (
        RunsFormat.table
    ),
    user: AsUser = None,
) -> None:
    """Recent load runs, or one run with why its rows were rejected and what checks found."""
    try:
        store = open_store()
    except StoreOpenError as exc:
        raise fail(str(exc)) from None
    if run is None:
        _show_runs(store.runs(source, limit), output)
        return
    try:
        chosen = store.run(run)
    except NoResultFound:
        raise fail(f"no load run {run}") from None
    visible = (
        frozenset(as_user(load_valid_catalog(DEFAULT_CATALOG), user).indicators) if user else None
    )
    _show_run(store, chosen, output, visible)


def _run_dict(run: LoadRun) -> dict[str, Any]:
    record = asdict(run)
    for key in ("started_at", "finished_at"):
        record[key] = record[key].isoformat() if record[key] else None
    return record


def _show_runs(runs: list[LoadRun], output: RunsFormat) -> None:
    if output is RunsFormat.json:
        typer.echo(json.dumps([_run_dict(r) for r in runs], ensure_ascii=False, indent=2))
        return
    table = Table(title="加载记录 load runs")
    for column in ("run", "数据源 source", "开始 started", "状态 status", "read", "written"):
        table.add_column(column, no_wrap=True)
    table.add_column("rejected", no_wrap=True)
    table.add_column("说明 message", overflow="fold")
    for r in runs:
        style = {"succeeded": "green", "failed": "bold red"}.get(r.status, "yellow")
        table.add_row(
            str(r.id),
            r.source,
            local_time(r.started_at),
            f"[{style}]{r.status}[/]",
            str(r.rows_read),
            str(r.rows_written),
            str(r.rows_rejected),
            r.message or "",
        )
    console.print(table)


def _show_run(
    store: MetricStore, run: LoadRun, output: RunsFormat, visible: frozenset[str] | None
) -> None:
    rejections, findings = store.rejections(run.id), store.findings(run.id)
    if visible is not None:
        rejections = readable_rejections(rejections, visible, "zh")
        findings = [
            replace(f, message=finding_reason(f.indicator_code, f.message, visible, "zh"))
            for f in findings
        ]
    if output is RunsFormat.json:
        document = {
            "run": _run_dict(run),
            "rejections": [asdict(r) for r in rejections],
            "findings": [asdict(f) for f in findings],
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    _show_runs([run], output)
    if rejections:
        table = Table(title=f"{len(rejections)} 条拒收 rejected rows")
        for column in ("位置 location", "字段 field", "原值 value", "原因 reason"):
            table.add_column(column, overflow="fold")
        for r in rejections:
            table.add_row(r.location, r.field, r.value, r.reason)
        console.print(table)
    if findings:
        table = Table(title=f"{len(findings)} 条质量提示 findings")
        for column in ("检查 check", "级别 severity", "指标 indicator", "地区 area", "期间 period"):
            table.add_column(column, no_wrap=True)
        table.add_column("说明 message", overflow="fold")
        for f in findings:
            table.add_row(
                f.check_name,
                f.severity,
                f.indicator_code or "",
                f.area or "",
                f.period or "",
                f.message,
            )
        console.print(table)
