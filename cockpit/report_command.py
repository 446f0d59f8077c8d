"""`cockpit report build` (for scheduled runs) and `cockpit report templates`: a briefing
from a template and a month, as a PDF. Thin: `reports` builds and renders."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from cockpit.cli_common import CatalogOption, fail, load_valid_catalog
from cockpit.progress import ProgressMode, progress_reporters
from connectors.config import SourcesError, load_sources
from connectors.status import source_freshness
from indicators.registry import DEFAULT_CATALOG
from indicators.settings import local_today
from indicators.store import StoreOpenError, open_store
from reports.build import briefing_month, build_briefing
from reports.document import RenderError, render_pdf
from reports.model import TemplateError, load_template, shipped_templates

report_app = typer.Typer(no_args_is_help=True, help="月度简报: briefings from templates.")
console = Console()


class ReportFormat(StrEnum):
    pdf = "pdf"


@report_app.command("build")
def build(
    template: Annotated[str, typer.Option(help="A shipped template's name or a YAML file.")],
    period: Annotated[str, typer.Option(help="The briefing's month, YYYY-MM.")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    output: Annotated[ReportFormat, typer.Option("--format", help="pdf.")] = ReportFormat.pdf,
    progress: Annotated[
        ProgressMode, typer.Option("--progress", help="auto, bar, plain or none.")
    ] = ProgressMode.auto,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
) -> None:
    """Build the briefing of one month and write it; a bad template names the block."""
    catalog = load_valid_catalog(catalog_dir)
    today = local_today()
    try:
        chosen, path = load_template(template)
        month = briefing_month(period, today)
        store = open_store()
    except (TemplateError, StoreOpenError) as exc:
        raise fail(str(exc)) from None
    try:
        sources = load_sources()
    except SourcesError:
        sources = None
    freshness = source_freshness(store, catalog, sources, today, datetime.now(UTC)).indicators
    with progress_reporters(progress, console) as reporter_for:
        report = reporter_for(chosen.name)
        try:
            briefing = build_briefing(
                chosen, path, month, store, catalog, freshness,
                lambda done, total: report("blocks", done, total),
            )  # fmt: skip
            report("pdf", 0, 1)
            pdf = render_pdf(briefing.html())
            report("pdf", 1, 1)
        except (TemplateError, RenderError) as exc:
            raise fail(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    typer.echo(f"wrote {out} ({len(pdf) // 1024} KB, {len(briefing.sections)} sections)")


@report_app.command("templates")
def templates() -> None:
    """The shipped templates (a bureau's own is any YAML file of the same form)."""
    for name, path in shipped_templates().items():
        chosen, _ = load_template(str(path))
        typer.echo(f"{name}\t{chosen.title}\t{len(chosen.blocks)} blocks")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
