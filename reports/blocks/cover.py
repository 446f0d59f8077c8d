"""封面: title, issuing unit, period, issue number and the classification marking."""

from __future__ import annotations

from html import escape

from reports.blocks import Params, register
from reports.context import BriefingContext
from reports.document import Section


class CoverParams(Params):
    subtitle: str = ""


@register("cover", "封面", CoverParams)
def build(ctx: BriefingContext, params: CoverParams, anchor: str) -> Section:
    """The document draws the 报头 (marking, title, 期号, issuer, period) from the template;
    the block adds what a bureau writes under it."""
    body = f'<p class="cover-subtitle">{escape(params.subtitle)}</p>' if params.subtitle else ""
    return Section(anchor, None, body)
