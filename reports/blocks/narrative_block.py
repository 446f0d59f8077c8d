"""情况综述: paragraphs in government-report style, one sentence per indicator, written only
from the stored figures (`reports.narrative`), for the same periods the tables show."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from indicators.periods import Period
from indicators.snapshot import Snapshot
from reports.blocks import Params, register
from reports.blocks.html import paragraphs
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import indicator_sentence


class NarrativeParams(Params):
    title: str = "总体情况"
    codes: tuple[str, ...] = Field(min_length=1)


@register("narrative", "情况综述", NarrativeParams)
def build(ctx: BriefingContext, params: NarrativeParams, anchor: str) -> Section:
    sentences = [indicator_sentence(stated(ctx, code), ctx.catalog) for code in params.codes]
    return Section(anchor, params.title, paragraphs(sentences))


def stated(ctx: BriefingContext, code: str) -> Snapshot:
    """The snapshot the sentence states; with nothing stored by the month's end, the empty
    one of the period the indicator would report by then (三季度 for a quarterly figure in an
    October briefing), so that its 暂无数据 names the right window."""
    found = ctx.snapshot(code)
    if found is not None:
        return found
    frequency = ctx.catalog.get(code).frequency
    expected = Period.latest_complete(frequency, ctx.month.end + timedelta(days=1))
    return ctx.builder.snapshot(code, expected, ctx.area)
