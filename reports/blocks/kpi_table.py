"""指标表: a topic's indicators (or a chosen list) with value, 累计, 同比, target, 完成率,
序时进度 and status — the table bureau staff used to fill in by hand."""

from __future__ import annotations

from pydantic import model_validator

from indicators import formatting as fmt
from indicators.model import Domain
from indicators.registry import Catalog
from reports.blocks import Params, Problem, register
from reports.blocks.html import growth, period, status, table, target
from reports.context import BriefingContext
from reports.document import Section

HEADS = ["指标", "统计期", "本期", "累计", "同比", "目标", "完成率", "序时进度", "状态"]


class KpiTableParams(Params):
    title: str = ""
    domain: Domain | None = None
    topic: str | None = None  # a topic key of the domain, e.g. industry
    codes: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _one_choice(self) -> KpiTableParams:
        if bool(self.codes) == bool(self.domain and self.topic):
            raise ValueError("give either codes or domain and topic")
        return self

    def check(self, catalog: Catalog) -> Problem | None:
        """A topic the catalog does not have would build an empty table (or, untitled, fail
        looking its name up)."""
        problem = super().check(catalog)
        if problem or self.topic is None or (self.domain, self.topic) in catalog.topics:
            return problem  # a topic comes with its domain (the model's own check)
        known = ", ".join(key for domain, key in catalog.topics if domain == self.domain)
        return Problem("topic", f"no topic '{self.topic}' in {self.domain} (known: {known})")


@register("kpi_table", "指标表", KpiTableParams)
def build(ctx: BriefingContext, params: KpiTableParams, anchor: str) -> Section:
    codes = list(params.codes) or [
        ind.code for ind in ctx.catalog if ind.domain == params.domain and ind.topic == params.topic
    ]
    title = params.title or (
        ctx.catalog.topics[(params.domain, params.topic)].name_zh if params.domain else "主要指标"
    )
    rows = []
    for code in codes:
        ind = ctx.catalog.get(code)
        s = ctx.snapshot(code)
        name = f"{ind.name_zh}（{ind.unit}）"
        if s is None:
            rows.append([name, *[fmt.MISSING] * 7, "无数据"])
            continue
        d = ind.decimals
        j = s.judgement
        ytd = fmt.number(s.ytd, d) if s.has_ytd else fmt.MISSING
        rows.append(
            [
                name,
                period(s),
                fmt.number(s.value, d),
                ytd,
                growth(s),
                target(s),
                fmt.percent(j.attainment),
                fmt.percent(j.schedule),
                status(s, ctx.is_stale(code)),
            ]
        )
    return Section(anchor, title, table(HEADS, rows, "kpi", numeric=range(2, 8)))
