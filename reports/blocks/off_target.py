"""未达目标指标: indicators of the scope that are off target (落后) or at risk (预警) this
month, the most serious first, with how far they are from the target or the schedule —
said in words (低于序时进度3.0个百分点, 高于目标0.02倍) as the narrative says it, since a
signed figure reads "good is positive" for a schedule and "value − target" for a level."""

from __future__ import annotations

from indicators import formatting as fmt
from indicators.model import Domain
from indicators.targets import Status
from reports.blocks import Params, register
from reports.blocks.html import figure, period, status, table, target
from reports.context import BriefingContext
from reports.document import Section
from reports.narrative import gap_words

ORDER = {Status.red: 0, Status.amber: 1}


class OffTargetParams(Params):
    title: str = "未达目标指标"
    domain: Domain | None = None  # the whole catalog when absent


@register("off_target", "未达目标指标", OffTargetParams)
def build(ctx: BriefingContext, params: OffTargetParams, anchor: str) -> Section:
    found = []
    for ind in ctx.catalog:
        if params.domain is not None and ind.domain != params.domain:
            continue
        s = ctx.peek(ind.code)
        if s is not None and s.judgement.status in ORDER:
            found.append(s)
    found.sort(key=lambda s: (ORDER[s.judgement.status], s.indicator.code))
    ctx.used.extend(s.indicator.code for s in found)  # only those listed are shown
    rows = [
        [
            s.indicator.name_zh,
            period(s),
            figure(s),
            target(s),
            gap_words(s) or fmt.MISSING,
            status(s, ctx.is_stale(s.indicator.code)),
        ]
        for s in found
    ]
    if not rows:
        return Section(anchor, params.title, "<p>本月各项指标均达到目标或序时进度。</p>")
    heads = ["指标", "统计期", "数值", "目标", "差距", "状态"]
    return Section(anchor, params.title, table(heads, rows, "off-target", numeric=(2, 3)))
