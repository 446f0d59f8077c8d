"""`cockpit alerts check` (for cron) and `cockpit alerts test`; `cockpit refresh` also checks
when an alerts file is configured. Thin: connectors.alerts decides and sends."""

from __future__ import annotations

from datetime import UTC, datetime

import typer

from cockpit.cli_common import CatalogOption, fail, load_valid_catalog
from connectors.alert_channels import Notice, deliver
from connectors.alert_config import AlertConfig, AlertsError, alerts_path, load_alerts
from connectors.alerts import AlertReport, Dispatch, check_alerts, check_if_configured
from connectors.config import SourcesError, SourcesFile, load_sources
from indicators.registry import DEFAULT_CATALOG, Catalog
from indicators.settings import local_today
from indicators.store import MetricStore, StoreOpenError, open_store

alerts_app = typer.Typer(
    no_args_is_help=True, help="Alerts to operators by webhook and e-mail (alerts.yaml)."
)
TEST_NOTICE = (
    "告警通道测试 test alert",
    "这是一条测试消息，收到即表示告警通道畅通。This is a test of the cockpit's alert channel.",
)


def _configured() -> AlertConfig:
    """The alerts configuration, or a one-line error: these commands are asked for by name."""
    try:
        config = load_alerts()
    except AlertsError as exc:
        raise fail(str(exc)) from None
    if config is None:
        raise fail(f"{alerts_path()}: no alerts file; alerting is off (see README, Alerts)")
    return config


@alerts_app.command("check")
def check(catalog_dir: CatalogOption = DEFAULT_CATALOG) -> None:
    """Alert new or changed problems, send 恢复 for those gone; exit 1 if a channel failed."""
    config = _configured()
    catalog = load_valid_catalog(catalog_dir)
    try:
        sources, store = load_sources(), open_store()
    except (SourcesError, StoreOpenError) as exc:
        raise fail(str(exc)) from None
    if _check_and_print(store, catalog, sources, config).failed:
        raise typer.Exit(1)


@alerts_app.command("test")
def send_test() -> None:
    """Send one test message on each configured channel; exit 1 if one failed."""
    config = _configured()
    title, message = TEST_NOTICE
    notice = Notice("test", "test", "info", title, message, "", datetime.now(UTC))
    dispatch = Dispatch(notice, tuple(deliver(config, notice)))
    _print(dispatch, "测试 test")
    if dispatch.errors:
        raise typer.Exit(1)


def alert_after_refresh(store: MetricStore, catalog: Catalog, sources: SourcesFile) -> None:
    """The check at the end of `cockpit refresh` when alerts are configured. A failure to alert
    goes to stderr and leaves the refresh's exit code about the refresh."""
    try:
        report = check_if_configured(store, catalog, sources, local_today(), datetime.now(UTC))
    except AlertsError as exc:
        typer.echo(f"alerts not checked: {exc}", err=True)
        return
    if report is not None:
        _print_report(report)


def _check_and_print(
    store: MetricStore, catalog: Catalog, sources: SourcesFile, config: AlertConfig
) -> AlertReport:
    report = check_alerts(store, catalog, sources, config, local_today(), datetime.now(UTC))
    _print_report(report)
    return report


def _print_report(report: AlertReport) -> None:
    for dispatch in report.raised:
        _print(dispatch, "告警 raised")
    for dispatch in report.resolved:
        _print(dispatch, "恢复 resolved")
    typer.echo(
        f"alerts: {len(report.raised)} raised, {len(report.resolved)} resolved, "
        f"{report.ongoing} already alerted, {report.quiet} not alerted (acknowledged or old)"
    )


def _print(dispatch: Dispatch, what: str) -> None:
    """The notice and the channels that took it on stdout; each channel's failure on stderr."""
    taken = [r.channel for r in dispatch.results if r.error is None]
    channels = ", ".join(taken) if taken else ("not sent" if dispatch.errors else "not notified")
    typer.echo(f"{what}: {dispatch.notice.subject} → {channels}")
    for error in dispatch.errors:
        typer.echo(f"alert failed: {dispatch.notice.key}: {error}", err=True)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
