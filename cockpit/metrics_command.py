"""`cockpit metrics serve`: the Prometheus exposition of `cockpit status --format prometheus`
on GET /metrics, for a Prometheus that scrapes rather than runs commands. Computed afresh on
every scrape: freshness moves with the clock even when no load ran."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Annotated
from urllib.parse import urlsplit

import typer

from cockpit.cli_common import CatalogOption, fail
from cockpit.data_commands import workspace
from cockpit.status_view import status_prometheus
from connectors.config import SourcesFile
from connectors.monitoring import source_loads
from connectors.status import source_freshness
from indicators.registry import DEFAULT_CATALOG, Catalog
from indicators.settings import local_today
from indicators.store import MetricStore

metrics_app = typer.Typer(no_args_is_help=True, help="Metrics for Prometheus.")
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METRICS_PATH = "/metrics"


def exposition(store: MetricStore, catalog: Catalog, sources: SourcesFile) -> str:
    today = local_today()
    report = source_freshness(store, catalog, sources, today, datetime.now(UTC))
    return status_prometheus(report, source_loads(store, catalog, sources, report, today))


def metrics_handler(
    store: MetricStore, catalog: Catalog, sources: SourcesFile
) -> type[BaseHTTPRequestHandler]:
    class MetricsHandler(BaseHTTPRequestHandler):
        """GET /metrics; 404 elsewhere; other methods get the server's 501."""

        def do_GET(self) -> None:
            if urlsplit(self.path).path != METRICS_PATH:
                self.send_error(HTTPStatus.NOT_FOUND, explain=f"only {METRICS_PATH} is served")
                return
            try:
                body = exposition(store, catalog, sources).encode()
            except Exception as exc:  # the store is down: the scrape fails, the server stays
                self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, explain=type(exc).__name__)
                return
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", CONTENT_TYPE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Silent: a scrape every 15 s would fill the log with nothing to act on."""

    return MetricsHandler


@metrics_app.command("serve")
def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 9108,
    address: Annotated[str, typer.Option(help="Address to bind (0.0.0.0: every one).")] = (
        "127.0.0.1"
    ),
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Serve GET /metrics for Prometheus until interrupted (Ctrl-C)."""
    catalog, sources, store = workspace(catalog_dir)
    try:
        server = ThreadingHTTPServer((address, port), metrics_handler(store, catalog, sources))
    except OSError as exc:
        raise fail(f"cannot listen on {address}:{port}: {exc.strerror or exc}") from None
    typer.echo(f"metrics on http://{address}:{port}{METRICS_PATH}")
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


def register(app: typer.Typer) -> None:
    app.add_typer(metrics_app, name="metrics")
