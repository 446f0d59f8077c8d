"""The registry of briefing blocks: one module per kind, each registering its parameters
model and how it turns a context into a document section. `validate` checks a template's
blocks before anything is read, against the models and the catalog, naming the block that is
wrong: a block never finds at build time that its parameters cannot be built."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from indicators.model import AreaScope
from indicators.registry import Catalog
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


@dataclass(frozen=True)
class Problem:
    """What the catalog refuses in a block's parameters: the field and why, in one line."""

    field: str
    message: str


class Params(BaseModel):
    """Every block's parameters: an unknown key is a typo to report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def check(self, catalog: Catalog) -> Problem | None:
        """What `catalog` refuses in these parameters, None when they can be built. The model
        cannot see the catalog; a kind with more to check extends this (super() first, so an
        unknown indicator is reported before what is read from it)."""
        unknown = [code for code in getattr(self, "codes", ()) if code not in catalog.indicators]
        return Problem("codes", f"not in the catalog: {', '.join(unknown)}") if unknown else None


class OneIndicator(Params):
    """The parameters of a block about one indicator (a chart, a ranking, a map, an index)."""

    code: str
    title: str = ""

    @property
    def codes(self) -> tuple[str, ...]:  # read by `check` to look the code up
        return (self.code,)


def by_district(catalog: Catalog, code: str) -> Problem | None:
    """A block comparing the districts needs an indicator published for each of them; on a
    city-only one it would build an empty table or map."""
    if catalog.get(code).areas is AreaScope.city:
        return Problem("code", f"{code} is published for the city only (areas: city)")
    return None


class DistrictIndicator(OneIndicator):
    """The parameters of a block comparing the districts on one indicator (ranking, map)."""

    def check(self, catalog: Catalog) -> Problem | None:
        return super().check(catalog) or by_district(catalog, self.code)


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


def validate(template: BriefingTemplate, path: Path, catalog: Catalog) -> list[Params]:
    """Each block's parsed parameters, or TemplateError naming the first bad block: its
    position, kind and field."""
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
        problem = params.check(catalog)
        if problem is not None:
            raise TemplateError(f"{where}: params.{problem.field}: {problem.message}")
        parsed.append(params)
    return parsed
