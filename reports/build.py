"""Building a briefing: a template and a month in, the document's sections out, every
figure read from the store through one SnapshotBuilder (as `cockpit show` reads it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from indicators.freshness import IndicatorFreshness
from indicators.model import Frequency
from indicators.overview import overview_since
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.snapshot import SnapshotBuilder
from indicators.store import MetricStore
from reports.blocks import kinds, validate
from reports.context import BriefingContext
from reports.document import DocumentMeta, Section, document_html
from reports.docx_writer import docx_bytes
from reports.model import BriefingTemplate, TemplateError

BlockProgress = Callable[[int, int], None]  # blocks done, blocks in all
DEFERRED = frozenset({"data_notes"})  # built last: they describe what the others showed


@dataclass(frozen=True)
class Briefing:
    meta: DocumentMeta
    cover: Section | None
    sections: tuple[Section, ...]
    load_runs: tuple[int, ...] = ()  # the load runs behind its figures, ascending

    def html(self) -> str:
        return document_html(self.meta, self.cover, self.sections)

    def docx(self) -> bytes:
        return docx_bytes(self.meta, self.cover, self.sections)


def briefing_month(text: str, today: date) -> Period:
    """The briefing's month: YYYY-MM, ended by `today` (a briefing reports a closed month)."""
    try:
        month = Period.parse(text)
    except PeriodError as exc:
        raise TemplateError(f"--period {text}: {exc}") from None
    if month.frequency is not Frequency.month:
        raise TemplateError(f"--period {text}: a briefing is monthly; give YYYY-MM")
    if month.end >= today:
        raise TemplateError(f"--period {text}: the month is not over yet")
    return month


def build_briefing(
    template: BriefingTemplate,
    path: Path,
    month: Period,
    store: MetricStore,
    catalog: Catalog,
    freshness: dict[str, IndicatorFreshness] | None = None,
    progress: BlockProgress | None = None,
) -> Briefing:
    """Validate every block first (a bad one is named before anything is read), then build
    them in order."""
    params = validate(template, path, set(catalog.indicators))
    area = template.area or catalog.deployment.city.code
    if catalog.deployment.find(area) is None:
        raise TemplateError(f"{path}: area: unknown area '{area}'")
    values = store.values(since=overview_since(month.end))
    meta = DocumentMeta(
        title=template.title,
        issuer=template.issuer,
        period_label=month.label_zh(),
        issue=f"{month.year}年第{month.index}期",
        classification=template.classification,
    )
    ctx = BriefingContext(
        catalog, SnapshotBuilder(catalog, values), month, catalog.deployment.find(area).code, meta,
        freshness or {},
    )  # fmt: skip
    available = kinds()
    built: dict[int, Section] = {}
    order = sorted(range(len(params)), key=lambda i: template.blocks[i].kind in DEFERRED)
    for done, index in enumerate(order, start=1):
        spec = template.blocks[index]
        built[index] = available[spec.kind].build(ctx, params[index], f"s{index + 1}")
        if progress:
            progress(done, len(order))
    cover: Section | None = None
    sections: list[Section] = []
    for index, spec in enumerate(template.blocks):
        if spec.kind == "cover" and cover is None and not sections:
            cover = built[index]
        else:
            sections.append(built[index])
    return Briefing(meta, cover, tuple(sections), tuple(sorted(ctx.runs)))
