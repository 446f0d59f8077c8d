"""`cockpit status` renderings: a table for people, JSON for scripts, Prometheus text
exposition for the monitoring a city's operations centre already runs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.table import Table

from connectors.monitoring import RUN_STATUSES, SourceLoad
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


def status_prometheus(report: FreshnessReport, loads: Sequence[SourceLoad] = ()) -> str:
    """Text exposition format 0.0.4: freshness of every source of `report`, and with `loads`
    (connectors.monitoring) each source's last run, runs, open findings and this month's
    on-time delivery rate. A last run still running has no duration or row counts yet."""
    scale = ", ".join(f"{rank} {status.value}" for status, rank in RANK.items())
    finished = [(load, load.last_run) for load in loads if load.last_run_seconds is not None]
    families = [
        _family(
            "cockpit_source_status",
            f"Freshness of a source: {scale}.",
            [(_labels(source=s.source), RANK[s.status]) for s in report.sources],
        ),
        _family(
            "cockpit_source_last_success_timestamp_seconds",
            "End of the last successful load.",
            [
                (_labels(source=s.source), round(s.runs.last_success_at.timestamp()))
                for s in report.sources
                if s.runs.last_success_at
            ],
        ),
        _family(
            "cockpit_source_indicators_behind",
            "Indicators of a source not fresh.",
            [
                (
                    _labels(source=s.source),
                    sum(i.status is not Freshness.fresh for i in s.indicators),
                )
                for s in report.sources
            ],
        ),
        _family(
            "cockpit_source_last_run_duration_seconds",
            "Duration of the source's last load run.",
            [(_labels(source=load.source), load.last_run_seconds) for load, _ in finished],
        ),
        *(
            _family(
                f"cockpit_source_last_run_rows_{count}",
                f"Rows {count} by the source's last load run.",
                [
                    (_labels(source=load.source), getattr(run, f"rows_{count}"))
                    for load, run in finished
                ],
            )
            for count in ("read", "written", "rejected")
        ),
        _family(
            "cockpit_source_last_run_status",
            "1 for the status of the source's last load run, 0 for the others.",
            [
                (_labels(source=load.source, status=status), int(load.last_run.status == status))
                for load in loads
                if load.last_run
                for status in RUN_STATUSES
            ],
        ),
        _family(
            "cockpit_source_load_runs",
            "Load runs of the source recorded in the store, by status.",
            [
                (_labels(source=load.source, status=status), count)
                for load in loads
                for status, count in load.runs.items()
            ],
        ),
        _family(
            "cockpit_source_open_findings",
            "Quality findings of the source that need attention: no operator has "
            "acknowledged or resolved them, and they are not info notes.",
            [(_labels(source=load.source), load.open_findings) for load in loads],
        ),
        _family(
            "cockpit_source_delivery_on_time_ratio",
            "Share of the periods due this month that arrived by their due date (0-1); "
            "absent while nothing has fallen due.",
            [
                (_labels(source=load.source), load.delivery_rate)
                for load in loads
                if load.delivery_rate is not None
            ],
        ),
    ]
    return "".join(families)


def _family(name: str, help_text: str, samples: Sequence[tuple[str, float]]) -> str:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    lines += [f"{name}{labels} {value}" for labels, value in samples]
    return "\n".join(lines) + "\n"


def _labels(**labels: str) -> str:
    """{name="value",…} with values escaped as the exposition format requires."""
    pairs = ",".join(f'{name}="{_escape(value)}"' for name, value in labels.items())
    return "{" + pairs + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
