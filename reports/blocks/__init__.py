"""The registry of briefing blocks: one module per kind, each registering its parameters
model and how it turns a context into a document section. `validate` checks a template's
blocks before anything is read, naming the block that is wrong."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reports.context import BriefingContext
from reports.document import Section
from reports.model import BriefingTemplate, TemplateError

KIND_MODULES = (
    "cover",
    "headline",
    "kpi_table",
    "narrative_block",
    "free_text",
    "off_target",
    "data_notes",
    "chart",
    "ranking",
    "composite",
    "district_map",
)


class Params(BaseModel):
    """Every block's parameters: an unknown key is a typo to report."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OneIndicator(Params):
    """The parameters of a block about one indicator (a chart, a ranking, a map, an index)."""

    code: str
    title: str = ""

    @property
    def codes(self) -> tuple[str, ...]:  # read by `validate` to check the catalog
        return (self.code,)


@dataclass(frozen=True)
class BlockKind:
    kind: str
    title_zh: str  # the block library's name for it
    params: type[Params]
    build: Callable[[BriefingContext, Any, str], Section]  # (context, params, anchor)


_KINDS: dict[str, BlockKind] = {}


def register(
    kind: str, title_zh: str, params: type[Params]
) -> Callable[[Callable[[BriefingContext, Any, str], Section]], Callable[..., Section]]:
    def decorate(build: Callable[[BriefingContext, Any, str], Section]) -> Callable[..., Section]:
        _KINDS[kind] = BlockKind(kind, title_zh, params, build)
        return build

    return decorate


def kinds() -> dict[str, BlockKind]:
    for module in KIND_MODULES:
        import_module(f"reports.blocks.{module}")
    return dict(_KINDS)


def validate(template: BriefingTemplate, path: Path, known_codes: set[str]) -> list[Params]:
    """Each block's parsed parameters, or TemplateError naming the first bad block."""
    available = kinds()
    parsed = []
    for index, spec in enumerate(template.blocks):
        where = f"{path}: blocks[{index}] ({spec.kind})"
        if spec.kind not in available:
            raise TemplateError(f"{where}: unknown block kind (known: {', '.join(available)})")
        try:
            params = available[spec.kind].params.model_validate(spec.params)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(["params", *(str(p) for p in first["loc"])])
            message = first["msg"].removeprefix("Value error, ")  # a validator's own words
            raise TemplateError(f"{where}: {field}: {message}") from None
        unknown = [c for c in getattr(params, "codes", ()) if c not in known_codes]
        if unknown:
            raise TemplateError(f"{where}: params.codes: not in the catalog: {', '.join(unknown)}")
        parsed.append(params)
    return parsed
