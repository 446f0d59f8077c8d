"""主要指标: the key KPIs of the month with their 同比 and status, first thing a leader reads."""

from __future__ import annotations

from pydantic import Field

from indicators import formatting as fmt
from reports.blocks import Params, register
from reports.blocks.html import figure, growth, period, status, table
from reports.context import BriefingContext
from reports.document import Section

HEADS = ["指标", "统计期", "数值", "同比", "状态"]


class HeadlineParams(Params):
    title: str = "主要指标"
    codes: tuple[str, ...] = Field(min_length=1)


@register("headline", "主要指标概览", HeadlineParams)
def build(ctx: BriefingContext, params: HeadlineParams, anchor: str) -> Section:
    rows = []
    for code in params.codes:
        s = ctx.snapshot(code)
        name = ctx.catalog.get(code).name_zh
        if s is None:
            rows.append([name, fmt.MISSING, fmt.MISSING, fmt.MISSING, "无数据"])
            continue
        rows.append([name, period(s), figure(s), growth(s), status(s, ctx.is_stale(code))])
    return Section(anchor, params.title, table(HEADS, rows, "headline", numeric=(2, 3)))
