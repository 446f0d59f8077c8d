"""情况综述: paragraphs in government-report style, one sentence per indicator, written only
from the stored figures (`reports.narrative`), for the same periods the tables show."""

from __future__ import annotations

from pydantic import Field

from reports.blocks import Params, register
from reports.blocks.html import paragraphs
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import area_name, indicator_sentence


class NarrativeParams(Params):
    title: str = "总体情况"
    codes: tuple[str, ...] = Field(min_length=1)


@register("narrative", "情况综述", NarrativeParams)
def build(ctx: BriefingContext, params: NarrativeParams, anchor: str) -> Section:
    sentences = []
    for code in params.codes:
        s = ctx.snapshot(code)
        if s is None:
            name = ctx.catalog.get(code).name_zh
            sentences.append(
                f"{ctx.month.index}月，{area_name(ctx.catalog, ctx.area)}{name}暂无数据。"
            )
        else:
            sentences.append(indicator_sentence(s, ctx.catalog))
    return Section(anchor, params.title, paragraphs(sentences))
