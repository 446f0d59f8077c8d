"""自由文本: a bureau's own paragraphs in Markdown. Raw HTML in it is shown as text, links
are not followed (the PDF fetches nothing), so briefing text cannot change the document."""

from __future__ import annotations

from markdown_it import MarkdownIt
from pydantic import Field

from reports.blocks import Params, register
from reports.context import BriefingContext
from reports.document import Section

# CommonMark without raw HTML; links and images are disabled so no URL reaches the renderer.
MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["link", "image", "autolink"])


class FreeTextParams(Params):
    title: str | None = None
    text: str = Field(min_length=1)


@register("free_text", "自由文本", FreeTextParams)
def build(ctx: BriefingContext, params: FreeTextParams, anchor: str) -> Section:
    return Section(
        anchor, params.title, f'<div class="free-text">{MARKDOWN.render(params.text)}</div>'
    )
