"""Building a briefing: a template and a month in, the document's sections out, every
figure read from the store through one SnapshotBuilder (as `cockpit show` reads it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from indicators.freshness import IndicatorFreshness
from indicators.model import Frequency
from indicators.overview import overview_since
from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.settings import display_timezone
from indicators.snapshot import SnapshotBuilder
from indicators.store import MetricStore
from reports.blocks import Params, kinds, validate
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


def freshness_date(month: Period, today: date) -> date:
    """The day a briefing's 数据逾期 flags are judged on: `today`, but never later than the
    last day of the month after the briefing's month. A monthly briefing is published in that
    month; what was overdue then is what it reports, so rebuilding an old briefing later
    (to reprint it, or to check it against the archive) does not flag the months of data
    that were due only after it was published."""
    return min(today, (month + 1).end)


def freshness_now(day: date, now: datetime) -> datetime:
    """The moment a source's load age is judged at along with `day` (freshness_date): `now`
    while it is still `day` where the users are, else the end of `day`."""
    return min(now, datetime.combine(day + timedelta(days=1), time(), display_timezone()))


def build_briefing(
    template: BriefingTemplate,
    path: Path,
    month: Period,
    store: MetricStore,
    catalog: Catalog,
    freshness: dict[str, IndicatorFreshness] | None = None,
    progress: BlockProgress | None = None,
    visible: frozenset[str] | None = None,
) -> Briefing:
    """Validate every block first (a bad one is named before anything is read), then build
    them from the store's values. `freshness` is best judged on `freshness_date`, so that the
    数据逾期 flags do not depend on the day the briefing is built. `visible` is the author's
    clearance (None: everything): any other indicator is absent from every block (a block
    about it alone is left out), though figures are still computed from the whole catalog."""
    params = validate(template, path, catalog)  # a typo is named, whoever builds it
    shown = catalog if visible is None else catalog.only(visible)
    area = template.area or catalog.deployment.city.code
    found = catalog.deployment.find(area)
    if found is None:
        raise TemplateError(f"{path}: area: unknown area '{area}'")
    values = store.values(since=overview_since(month.end))
    meta = DocumentMeta(
        title=template.title,
        issuer=template.issuer,
        period_label=month.label_zh(),
        issue=f"{month.year}年第{month.index}期",
        classification=template.classification,
        as_of=month.end + timedelta(days=1),
    )
    builder = SnapshotBuilder(catalog, values)
    ctx = BriefingContext(shown, builder, month, found.code, meta, freshness or {})
    return assemble(template, params, ctx, progress)


def for_reader(params: Params, shown: Catalog) -> Params | None:
    """A block's parameters without the indicators its reader may not see (`shown` is the
    catalog as they may see it): None when nothing of the block is left to show."""
    code = getattr(params, "code", None)
    if code is not None:  # a block about one indicator
        return params if code in shown.indicators else None
    codes = getattr(params, "codes", ())
    if not codes:  # about a topic, a domain, or none: the blocks read `shown` themselves
        return params
    kept = tuple(code for code in codes if code in shown.indicators)
    return params.model_copy(update={"codes": kept}) if kept else None


def assemble(
    template: BriefingTemplate,
    params: list[Params],
    ctx: BriefingContext,
    progress: BlockProgress | None = None,
) -> Briefing:
    """The template's blocks built on `ctx` (its `params` validated) and placed in the
    template's order; DEFERRED kinds are built after all the others."""
    available = kinds()
    built: dict[int, Section] = {}
    order = sorted(range(len(params)), key=lambda i: template.blocks[i].kind in DEFERRED)
    for done, index in enumerate(order, start=1):
        spec = template.blocks[index]
        readable = for_reader(params[index], ctx.catalog)
        if readable is not None:
            built[index] = available[spec.kind].build(ctx, readable, f"s{index + 1}")
        if progress:
            progress(done, len(order))
    cover: Section | None = None
    sections: list[Section] = []
    for index, spec in enumerate(template.blocks):
        if index not in built:
            continue  # about indicators the reader may not see: absent
        if spec.kind == "cover" and cover is None and not sections:
            cover = built[index]
        else:
            sections.append(built[index])
    return Briefing(ctx.meta, cover, tuple(sections), tuple(sorted(ctx.runs)))
