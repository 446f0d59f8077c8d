"""The briefing being assembled on /briefing, as plain data: blocks with ids, kinds and
parameters, in order. Moving, adding and removing are pure functions of it, so the page only
lays it out and the drag-and-drop adapter only reports an order of labels."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from indicators.registry import Catalog
from reports.model import BlockSpec, BriefingTemplate

# The template's fields besides its blocks, each carried by the draft as it is.
HEAD = tuple(name for name in BriefingTemplate.model_fields if name != "blocks")


@dataclass(frozen=True)
class EditorBlock:
    id: int  # stable while the block is in the briefing; labels carry it (#3)
    kind: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
    name: str
    title: str
    issuer: str
    classification: str
    blocks: tuple[EditorBlock, ...]
    area: str | None = None  # a district's briefing

    @classmethod
    def of(cls, template: BriefingTemplate) -> Draft:
        """The draft of `template`; a template field the draft lacks fails here, not later
        by being dropped on the way back."""
        blocks = tuple(
            EditorBlock(i + 1, spec.kind, dict(spec.params))
            for i, spec in enumerate(template.blocks)
        )
        return cls(**{name: getattr(template, name) for name in HEAD}, blocks=blocks)

    def template(self) -> BriefingTemplate:
        return BriefingTemplate(
            **{name: getattr(self, name) for name in HEAD},
            blocks=tuple(BlockSpec(kind=b.kind, params=b.params) for b in self.blocks),
        )

    def added(self, kind: str, params: dict[str, Any] | None = None) -> Draft:
        next_id = max((b.id for b in self.blocks), default=0) + 1
        return replace(self, blocks=(*self.blocks, EditorBlock(next_id, kind, params or {})))

    def removed(self, block_id: int) -> Draft:
        return replace(self, blocks=tuple(b for b in self.blocks if b.id != block_id))

    def moved(self, block_id: int, step: int) -> Draft:
        """One place up (-1) or down (+1); at either end nothing moves."""
        ids = [b.id for b in self.blocks]
        at = ids.index(block_id)
        to = at + step
        if not 0 <= to < len(ids):
            return self
        blocks = list(self.blocks)
        blocks[at], blocks[to] = blocks[to], blocks[at]
        return replace(self, blocks=tuple(blocks))

    def reordered(self, ids: list[int]) -> Draft:
        """The blocks in the order a drag left them (ids not in the draft are ignored)."""
        by_id = {b.id: b for b in self.blocks}
        kept = [by_id[i] for i in ids if i in by_id]
        rest = [b for b in self.blocks if b.id not in ids]
        return replace(self, blocks=(*kept, *rest))

    def with_params(self, block_id: int, params: dict[str, Any]) -> Draft:
        return replace(
            self,
            blocks=tuple(replace(b, params=params) if b.id == block_id else b for b in self.blocks),
        )


def new_block_params(kind: str, catalog: Catalog, overview: Sequence[str]) -> dict[str, Any]:
    """What a new block needs to be valid at once (the user edits it after): about the first
    indicator of the overview screen that is in `catalog`, the one the user may see (else
    their catalog's first), never one hidden from them."""
    shown = [code for code in overview if code in catalog.indicators] or list(catalog.indicators)
    if kind == "free_text":
        return {"title": "工作动态", "text": "（请填写）"}
    if not shown:
        return {}
    first = catalog.get(shown[0])
    if kind in ("headline", "narrative"):
        return {"codes": [first.code]}
    if kind == "kpi_table":
        return {"domain": first.domain.value, "topic": first.topic}
    return {}
