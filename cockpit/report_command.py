"""`cockpit report build` (for scheduled runs) and `cockpit report templates`: a briefing
from a template and a month, as a PDF. Thin: `reports` builds and renders.

Every briefing built is archived in the store with its template, month, author, time and the
load runs behind its figures; `cockpit report list` and `cockpit report get` find it again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError

from cockpit.cli_common import (
    AsUser,
    CatalogOption,
    as_user,
    cli_actor,
    fail,
    load_valid_catalog,
    os_user,
)
from cockpit.progress import ProgressMode, progress_reporters
from connectors.config import SourcesError, load_sources
from connectors.status import source_freshness
from indicators.formatting import local_time
from indicators.registry import DEFAULT_CATALOG
from indicators.settings import local_today
from indicators.store import MetricStore, StoreOpenError, open_store
from indicators.store.audit import log
from indicators.store.briefings import (
    BriefingCorrupt,
    BriefingNotFound,
    BriefingRecord,
    archive_briefing,
    briefing_content,
    briefings,
)
from reports.build import briefing_month, build_briefing, freshness_date, freshness_now
from reports.document import RenderError, render_pdf
from reports.model import TemplateError, load_template, shipped_templates

report_app = typer.Typer(no_args_is_help=True, help="月度简报: briefings from templates.")
console = Console()


class ReportFormat(StrEnum):
    pdf = "pdf"
    docx = "docx"  # the editable Word document bureau staff revise before sign-off


@report_app.command("build")
def build(
    template: Annotated[str, typer.Option(help="A shipped template's name or a YAML file.")],
    period: Annotated[str, typer.Option(help="The briefing's month, YYYY-MM.")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
    output: Annotated[
        ReportFormat, typer.Option("--format", help="pdf or docx.")
    ] = ReportFormat.pdf,
    progress: Annotated[
        ProgressMode, typer.Option("--progress", help="auto, bar, plain or none.")
    ] = ProgressMode.auto,
    author: Annotated[
        str | None, typer.Option(help="Who the archive records as the author; the OS user.")
    ] = None,
    catalog_dir: CatalogOption = DEFAULT_CATALOG,
    user: AsUser = None,
) -> None:
    """Build the briefing of one month, write it and archive it in the store. With --as, as
    that user would build it on /briefing: what they may not see is left out.

    A bad template is one line naming the block; nothing is written or archived then."""
    catalog = load_valid_catalog(catalog_dir)
    visible = frozenset(as_user(catalog, user).indicators) if user else None
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
    as_of = freshness_date(month, today)  # not today for an old month: see freshness_date
    now = freshness_now(as_of, datetime.now(UTC))
    freshness = source_freshness(store, catalog, sources, as_of, now).indicators
    with progress_reporters(progress, console) as reporter_for:
        report = reporter_for(chosen.name)
        try:
            briefing = build_briefing(
                chosen, path, month, store, catalog, freshness,
                lambda done, total: report("blocks", done, total), visible,
            )  # fmt: skip
            report(output.value, 0, 1)
            content = (
                briefing.docx() if output is ReportFormat.docx else render_pdf(briefing.html())
            )
            report(output.value, 1, 1)
        except (TemplateError, RenderError) as exc:
            raise fail(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    typer.echo(f"wrote {out} ({len(content) // 1024} KB, {len(briefing.sections)} sections)")
    record = BriefingRecord(
        template=chosen.name,
        template_text=path.read_text(encoding="utf-8"),
        period=month.label,
        author=author or user or os_user(),
        created_at=datetime.now(UTC),
        format=output.value,
        load_runs=briefing.load_runs,
        file_name=out.name,
        content=content,
    )
    try:
        archived = archive_briefing(store.engine, record)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise fail(f"{out} was written but not archived: {reason}") from None
    log(
        store.engine, cli_actor(), "briefing_export", out.name, template=record.template,
        period=record.period, format=record.format, briefing=archived,
    )  # fmt: skip
    typer.echo(f"archived as briefing {archived}")


def _open_store() -> MetricStore:
    try:
        return open_store()
    except StoreOpenError as exc:
        raise fail(str(exc)) from None


@report_app.command("list")
def list_briefings(
    template: Annotated[str | None, typer.Option(help="Only this template's.")] = None,
    period: Annotated[str | None, typer.Option(help="Only this month's, YYYY-MM.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many, newest first.")] = 50,
) -> None:
    """Archived briefings, newest first.

    One line each: id, time, template, month, format, author, size, sha256, load runs."""
    found = briefings(_open_store().engine, template, period, limit)
    if not found:
        typer.echo("no archived briefings")
        return
    for b in found:
        runs = ",".join(str(run) for run in b.load_runs) or "-"
        typer.echo(
            f"{b.id}\t{local_time(b.created_at)}\t{b.template}\t{b.period}\t{b.format}\t"
            f"{b.author}\t{b.size} B\t{b.sha256}\truns {runs}"
        )


@report_app.command("get")
def get(
    briefing_id: Annotated[int, typer.Argument(metavar="ID", help="The archive id.")],
    out: Annotated[Path, typer.Option(help="The file to write.")],
) -> None:
    """Write an archived briefing's file exactly as it was built."""
    try:
        archived, content = briefing_content(_open_store().engine, briefing_id)
    except (BriefingNotFound, BriefingCorrupt) as exc:
        raise fail(str(exc)) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    typer.echo(
        f"wrote {out} ({archived.template} {archived.period}, {archived.format}, "
        f"{archived.size} B, built {local_time(archived.created_at)} by {archived.author})"
    )


@report_app.command("templates")
def templates() -> None:
    """The shipped templates (a bureau's own is any YAML file of the same form)."""
    for name, path in shipped_templates().items():
        chosen, _ = load_template(str(path))
        typer.echo(f"{name}\t{chosen.title}\t{len(chosen.blocks)} blocks")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
