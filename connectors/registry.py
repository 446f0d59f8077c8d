"""The registry of connector kinds.

Kinds are found through the `cockpit.connectors` entry-point group: the built-ins (files,
sql, http, manual) are declared in pyproject.toml exactly as a site's own package would
declare a Trino or ClickHouse reader, and each module calls `register` when imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from pydantic import BaseModel, ValidationError

from connectors.base import Connector

ENTRY_POINT_GROUP = "cockpit.connectors"


@dataclass(frozen=True)
class ConnectorKind:
    name: str
    options_model: type[BaseModel]
    build: Callable[[Any], Connector]  # called with a validated options_model instance
    description: str


class ConnectorConfigError(ValueError):
    """A source's connector kind is unknown or its options do not fit the kind."""


_KINDS: dict[str, ConnectorKind] = {}


def register(
    name: str, options_model: type[BaseModel], description: str
) -> Callable[[Callable[[Any], Connector]], Callable[[Any], Connector]]:
    """Class or function decorator: `@register("files", FileOptions, "CSV/Excel tables")`."""

    def decorate(build: Callable[[Any], Connector]) -> Callable[[Any], Connector]:
        _KINDS[name] = ConnectorKind(name, options_model, build, description)
        return build

    return decorate


def load_kinds() -> dict[str, ConnectorKind]:
    """Every kind: those registered so far and those the entry points declare."""
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        _import_kind(entry.name)
    return dict(_KINDS)


def _import_kind(name: str) -> None:
    """Import the module an entry point declares for kind `name` (once). One kind is
    imported at a time, so a site's broken plugin cannot stop the others."""
    if name in _KINDS:
        return
    for entry in entry_points(group=ENTRY_POINT_GROUP, name=name):
        import_module(entry.value.split(":")[0])


def build_connector(kind: str, options: dict[str, Any], where: str) -> Connector:
    """A connector of `kind` from raw `options`; `where` prefixes errors (e.g. the source id)."""
    _import_kind(kind)
    if kind not in _KINDS:
        known = ", ".join(sorted(e.name for e in entry_points(group=ENTRY_POINT_GROUP)))
        raise ConnectorConfigError(f"{where}: unknown connector kind '{kind}' (known: {known})")
    spec = _KINDS[kind]
    try:
        validated = spec.options_model.model_validate(options)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"])
        raise ConnectorConfigError(f"{where}: options.{path}: {first['msg']}") from None
    return spec.build(validated)
