"""The big screens' layout (`screens.yaml` beside the catalog): which indicators each screen
shows as tiles, in which rows, and which ones may colour the district map.

The layout lives with the catalog because it names catalog indicators and a site replaces
both together; it is checked against the catalog so a renamed code fails `cockpit validate`,
not a leader's wall.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from indicators.model import AreaScope, Domain
from indicators.registry import SCREENS_FILE, Catalog

OVERVIEW = "overview"
MAX_ROWS = 5
MAX_TILES_PER_ROW = 4


class ScreenSpec(BaseModel):
    """One screen: rows keyed by domain (overview) or topic (a domain's screen)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rows: dict[str, list[str]] = Field(min_length=1, max_length=MAX_ROWS)
    map: list[str] = Field(min_length=1)


class ScreensFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    overview: ScreenSpec
    economic: ScreenSpec
    service: ScreenSpec
    governance: ScreenSpec
    ecology: ScreenSpec
    infrastructure: ScreenSpec


@dataclass(frozen=True)
class ScreenRow:
    key: str  # a domain (overview) or a topic key
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Screen:
    key: str  # "overview" or a domain
    rows: tuple[ScreenRow, ...]
    map_codes: tuple[str, ...]

    @property
    def domain(self) -> Domain | None:
        return None if self.key == OVERVIEW else Domain(self.key)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for row in self.rows for code in row.codes)


class ScreensError(ValueError):
    """A layout that names unknown indicators or cannot fit the screen; one line per problem."""


def load_screens(catalog: Catalog, directory: Path) -> dict[str, Screen]:
    """Read and check `directory/screens.yaml` against `catalog`."""
    path = directory / SCREENS_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = ScreensFile.model_validate(raw)
    except OSError as error:
        raise ScreensError(f"{path}: cannot read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise ScreensError(f"{path}: not valid YAML ({error})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ScreensError(f"{path}: {where}: {first['msg']}") from None
    screens = {key: _screen(key, getattr(parsed, key)) for key in ScreensFile.model_fields}
    problems = [p for screen in screens.values() for p in screen_problems(catalog, screen)]
    if problems:
        raise ScreensError(f"{path}: " + "; ".join(problems))
    return screens


def _screen(key: str, spec: ScreenSpec) -> Screen:
    rows = tuple(ScreenRow(row, tuple(codes)) for row, codes in spec.rows.items())
    return Screen(key, rows, tuple(spec.map))


def screen_problems(catalog: Catalog, screen: Screen) -> list[str]:
    """What is wrong with one screen, each problem naming the screen, row and code."""
    problems = []
    domain = screen.domain
    for row in screen.rows:
        where = f"{screen.key}.rows.{row.key}"
        if domain is None and row.key not in Domain.__members__:
            problems.append(f"{where}: not a domain")
        if domain is not None and (domain, row.key) not in catalog.topics:
            problems.append(f"{where}: not a topic of {domain.value}")
        if not 1 <= len(row.codes) <= MAX_TILES_PER_ROW:
            problems.append(f"{where}: 1 to {MAX_TILES_PER_ROW} tiles, not {len(row.codes)}")
        for code in row.codes:
            ind = catalog.indicators.get(code)
            if ind is None:
                problems.append(f"{where}: unknown indicator {code}")
            elif ind.domain.value != (domain.value if domain else row.key):
                problems.append(f"{where}: {code} belongs to {ind.domain.value}")
    for code in screen.map_codes:
        ind = catalog.indicators.get(code)
        if ind is None:
            problems.append(f"{screen.key}.map: unknown indicator {code}")
        elif ind.areas is not AreaScope.all:
            problems.append(f"{screen.key}.map: {code} is not published for districts")
    return problems
