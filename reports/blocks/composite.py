"""综合指数构成: a composite index's children with their weight, 0–100 score and the points
each brings (weight × score), which sum to the index."""

from __future__ import annotations

from indicators import formatting as fmt
from indicators.model import Kind
from indicators.reading import readable_parts
from indicators.registry import Catalog
from reports.blocks import OneIndicator, Problem, register
from reports.blocks.html import paragraph, table
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import window

HEADS = ["指标", "权重", "得分", "贡献"]


def composite_index(catalog: Catalog, code: str) -> Problem | None:
    """Only a composite index has children to list; another indicator builds an empty table."""
    kind = catalog.get(code).kind
    if kind is Kind.composite:
        return None
    return Problem("code", f"{code} is not a composite index (kind {kind.value})")


class CompositeParams(OneIndicator):
    def check(self, catalog: Catalog) -> Problem | None:
        return super().check(catalog) or composite_index(catalog, self.code)


@register("composite", "综合指数构成", CompositeParams)
def build(ctx: BriefingContext, params: CompositeParams, anchor: str) -> Section:
    ind = ctx.catalog.get(params.code)
    title = params.title or f"{ind.name_zh}构成"
    s = ctx.snapshot(params.code)
    if s is None or not s.contributions:
        return Section(anchor, title, paragraph(f"{ind.name_zh}暂无数据。"))
    if not readable_parts(s, ctx.catalog):  # a part the reader may not see: no breakdown
        figure = f"{fmt.number(s.value, ind.decimals)}{ind.unit}"
        return Section(
            anchor, title, paragraph(f"{window(s, with_year=True)}，{ind.name_zh}{figure}。")
        )
    rows = []
    for part in s.contributions:
        child = ctx.catalog.get(part.code)
        rows.append(
            [
                f"{child.name_zh}（{fmt.number(part.value, child.decimals)}{child.unit}）",
                fmt.plain(part.weight),
                fmt.number(part.score, 1),
                fmt.number(part.contribution, 1),
            ]
        )
    total = sum(part.weight for part in s.contributions)
    rows.append(["合计", fmt.plain(total), fmt.MISSING, fmt.number(s.value, ind.decimals)])
    note = paragraph(
        f"统计期：{s.period.label_zh()}；得分按固定目标值折算为0–100分，贡献＝权重×得分。"
    )
    return Section(anchor, title, note + table(HEADS, rows, "composite", numeric=(1, 2, 3)))
