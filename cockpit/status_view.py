"""`cockpit status` renderings: a table for people, JSON for scripts, Prometheus text
exposition for the monitoring a city's operations centre already runs."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from indicators.formatting import local_time
from indicators.freshness import FRESHNESS_ZH, RANK, Freshness, FreshnessReport

STATUS_STYLE = {
    Freshness.fresh: "green",
    Freshness.late: "yellow",
    Freshness.stale: "red",
    Freshness.never: "red",
    Freshness.failed: "bold red",
}


def status_table(report: FreshnessReport, names: dict[str, str]) -> Table:
    table = Table(title="数据源状态 source status")
    for column in ("数据源 source", "状态 status", "最近成功加载 last load", "说明 reason"):
        table.add_column(column, overflow="fold")
    for source in report.sources:
        style = STATUS_STYLE[source.status]
        table.add_row(
            f"{names.get(source.source, source.source)}\n{source.source}",
            f"[{style}]{FRESHNESS_ZH[source.status]} {source.status.value}[/]",
            local_time(source.runs.last_success_at),
            source.reason,
        )
    return table


def status_json(report: FreshnessReport) -> dict[str, Any]:
    return {
        "status": report.status.value,
        "sources": [
            {
                "source": s.source,
                "status": s.status.value,
                "load_clock": s.load_clock.value,
                "last_run_status": s.runs.last_status,
                "last_run_message": s.runs.last_message,
                "last_success_at": s.runs.last_success_at.isoformat()
                if s.runs.last_success_at
                else None,
                "reason": s.reason,
                "indicators": [
                    {
                        "code": i.code,
                        "status": i.status.value,
                        "expected": i.expected,
                        "latest": i.latest,
                        "reason": i.reason,
                    }
                    for i in s.indicators
                ],
            }
            for s in report.sources
        ],
    }


def status_prometheus(report: FreshnessReport) -> str:
    scale = ", ".join(f"{rank} {status.value}" for status, rank in RANK.items())
    lines = [
        f"# HELP cockpit_source_status Freshness of a source: {scale}.",
        "# TYPE cockpit_source_status gauge",
        *(f'cockpit_source_status{{source="{s.source}"}} {RANK[s.status]}' for s in report.sources),
        "# HELP cockpit_source_last_success_timestamp_seconds End of the last successful load.",
        "# TYPE cockpit_source_last_success_timestamp_seconds gauge",
        *(
            f'cockpit_source_last_success_timestamp_seconds{{source="{s.source}"}} '
            f"{s.runs.last_success_at.timestamp():.0f}"
            for s in report.sources
            if s.runs.last_success_at
        ),
        "# HELP cockpit_source_indicators_behind Indicators of a source not fresh.",
        "# TYPE cockpit_source_indicators_behind gauge",
        *(
            f'cockpit_source_indicators_behind{{source="{s.source}"}} '
            f"{sum(i.status is not Freshness.fresh for i in s.indicators)}"
            for s in report.sources
        ),
    ]
    return "\n".join(lines) + "\n"
