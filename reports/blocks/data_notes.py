"""数据说明: the 口径 and source of every indicator the briefing showed, when its data
stands (数据截至), and which figures are overdue — a briefing says what it rests on. Built
after every other block (build.DEFERRED), so it lists what the whole briefing showed
wherever it is placed."""

from __future__ import annotations

from html import escape

from reports.blocks import Params, register
from reports.context import BriefingContext
from reports.document import Section


class DataNotesParams(Params):
    title: str = "数据说明"


@register("data_notes", "数据说明", DataNotesParams)
def build(ctx: BriefingContext, params: DataNotesParams, anchor: str) -> Section:
    items = []
    for code in dict.fromkeys(ctx.used):
        ind = ctx.catalog.get(code)
        s = ctx.peek(code)
        as_of = f"数据截至{s.period.label_zh()}" if s else "暂无数据"
        stale = "；<b>数据逾期</b>" if ctx.is_stale(code) else ""
        items.append(
            f"<li><b>{escape(ind.name_zh)}</b>：{escape(ind.definition.strip())}"
            f"（来源：{escape(ind.owner)}，{escape(ind.source.reads)}；{escape(as_of)}）{stale}</li>"
        )
    body = f'<ol class="notes">{"".join(items)}</ol>' if items else "<p>本简报未引用指标。</p>"
    return Section(anchor, params.title, body)
