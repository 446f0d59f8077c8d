"""Loading the indicator catalog from YAML, keeping file and line for every field.

Loading never stops at the first mistake: every problem of every file is collected as a
`Problem` (file, line, indicator code, field, message), so an operator fixes a broken
catalog in one pass. Cross-indicator rules are in `indicators.checks`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from indicators.model import Deployment, Domain, Indicator

DEFAULT_CATALOG = Path(__file__).parent / "catalog"
AREAS_FILE = "areas.yaml"
SCREENS_FILE = "screens.yaml"  # the big screens' layout (indicators.screens), not indicators
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the catalog, printed as `file:line: CODE: field: message`."""

    file: str
    line: int
    code: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Topic:
    domain: Domain
    key: str
    name_zh: str
    name_en: str


@dataclass
class Location:
    """Where an indicator is declared, and the line of each of its fields."""

    file: str
    line: int
    field_lines: dict[FieldPath, int] = field(default_factory=dict)

    def line_of(self, path: FieldPath) -> int:
        """Line of the deepest declared part of `path` (the indicator's line if none)."""
        for depth in range(len(path), 0, -1):
            if path[:depth] in self.field_lines:
                return self.field_lines[path[:depth]]
        return self.line


class UnknownIndicatorError(KeyError):
    def __init__(self, code: str, suggestions: list[str]) -> None:
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown indicator code '{code}'{hint}")
        self.message = f"unknown indicator code '{code}'{hint}"

    def __str__(self) -> str:
        return self.message


@dataclass
class Catalog:
    indicators: dict[str, Indicator]
    topics: dict[tuple[Domain, str], Topic]
    deployment: Deployment
    locations: dict[str, Location]

    def get(self, code: str) -> Indicator:
        try:
            return self.indicators[code]
        except KeyError:
            close = difflib.get_close_matches(code.upper(), self.indicators, n=3)
            raise UnknownIndicatorError(code, close) from None

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def search(self, text: str = "", domain: Domain | None = None) -> list[Indicator]:
        """Indicators of `domain` whose code, names, 口径 or owner contain `text`."""
        wanted = text.strip().lower()
        return [
            ind
            for ind in self
            if (domain is None or ind.domain is domain)
            and (
                not wanted
                or any(
                    wanted in field.lower()
                    for field in (ind.code, ind.name_zh, ind.name_en, ind.definition, ind.owner)
                )
            )
        ]

    def only(self, codes: frozenset[str]) -> Catalog:
        """The catalog as a viewer cleared for `codes` lists it: for names, topics and checks,
        never for computing (a shown indicator's inputs may be outside `codes`)."""
        shown = {code: ind for code, ind in self.indicators.items() if code in codes}
        return dataclasses.replace(self, indicators=shown)

    def topic_of(self, indicator: Indicator) -> Topic:
        return self.topics[(indicator.domain, indicator.topic)]


@dataclass
class LoadResult:
    catalog: Catalog
    problems: list[Problem]


def load_catalog(directory: Path | str = DEFAULT_CATALOG) -> LoadResult:
    """Read every `*.yaml` under `directory`; report problems instead of raising."""
    from indicators.checks import check_catalog

    directory = Path(directory)
    problems: list[Problem] = []
    indicators: dict[str, Indicator] = {}
    topics: dict[tuple[Domain, str], Topic] = {}
    locations: dict[str, Location] = {}
    deployment = _load_deployment(directory, problems)
    if not directory.is_dir():
        problems.append(Problem(str(directory), 0, "-", "catalog", "not a directory"))
    files = sorted(p for p in directory.glob("*.yaml") if p.name not in (AREAS_FILE, SCREENS_FILE))
    if directory.is_dir() and not files:
        problems.append(Problem(str(directory), 0, "-", "catalog", "no indicator files (*.yaml)"))
    for path in files:
        _load_file(path, indicators, topics, locations, problems)
    catalog = Catalog(indicators, topics, deployment, locations)
    problems.extend(check_catalog(catalog))
    return LoadResult(catalog, sorted(set(problems)))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _load_deployment(directory: Path, problems: list[Problem]) -> Deployment:
    path = directory / AREAS_FILE
    fallback = Deployment(city={"code": "city", "name_zh": "全市", "name_en": "City"}, districts=())
    if not path.exists():
        problems.append(Problem(_display(path), 0, "-", "areas", "missing areas file"))
        return fallback
    parsed = _parse_yaml(path, problems)
    if parsed is None:
        return fallback
    data, lines = parsed
    try:
        return Deployment.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            line = Location(_display(path), 1, lines).line_of(loc)
            problems.append(Problem(_display(path), line, "-", _dotted(loc), error["msg"]))
    return fallback


def _load_file(
    path: Path,
    indicators: dict[str, Indicator],
    topics: dict[tuple[Domain, str], Topic],
    locations: dict[str, Location],
    problems: list[Problem],
) -> None:
    shown = _display(path)
    parsed = _parse_yaml(path, problems)
    if parsed is None:
        return
    data, lines = parsed
    if not isinstance(data, dict):
        problems.append(
            Problem(shown, 1, "-", "file", "expected a mapping with domain, topics, indicators")
        )
        return
    try:
        domain = Domain(data.get("domain"))
    except ValueError:
        choices = ", ".join(d.value for d in Domain)
        line = lines.get(("domain",), 1)
        problems.append(Problem(shown, line, "-", "domain", f"must be one of {choices}"))
        return
    declared = _load_topics(data.get("topics"), domain, lines, shown, problems)
    topics.update({(domain, key): topic for key, topic in declared.items()})
    entries = data.get("indicators")
    if not isinstance(entries, list):
        problems.append(
            Problem(shown, lines.get(("indicators",), 1), "-", "indicators", "expected a list")
        )
        return
    for index, entry in enumerate(entries):
        prefix: FieldPath = ("indicators", index)
        location = Location(
            shown,
            lines.get(prefix, 1),
            {
                path[2:]: line
                for path, line in lines.items()
                if path[:2] == prefix and len(path) > 2
            },
        )
        _load_indicator(entry, domain, declared, location, indicators, locations, problems)


def _load_topics(
    raw: Any, domain: Domain, lines: dict[FieldPath, int], shown: str, problems: list[Problem]
) -> dict[str, Topic]:
    if not isinstance(raw, dict) or not raw:
        problems.append(
            Problem(shown, lines.get(("topics",), 1), "-", "topics", "expected a mapping of topics")
        )
        return {}
    declared: dict[str, Topic] = {}
    for raw_key, names in raw.items():
        key = str(raw_key)  # YAML reads keys like 1 or yes as numbers and booleans
        if not isinstance(names, dict) or not {"name_zh", "name_en"} <= names.keys():
            line = lines.get(("topics", key), 1)
            problems.append(Problem(shown, line, "-", f"topics.{key}", "needs name_zh and name_en"))
            continue
        declared[key] = Topic(domain, key, str(names["name_zh"]), str(names["name_en"]))
    return declared


def _load_indicator(
    entry: Any,
    domain: Domain,
    declared: dict[str, Topic],
    location: Location,
    indicators: dict[str, Indicator],
    locations: dict[str, Location],
    problems: list[Problem],
) -> None:
    if not isinstance(entry, dict):
        problems.append(
            Problem(location.file, location.line, "-", "indicator", "expected a mapping")
        )
        return
    code = str(entry.get("code", "-"))
    if "domain" in entry:
        line = location.line_of(("domain",))
        problems.append(
            Problem(location.file, line, code, "domain", "set by the file, not per indicator")
        )
        return
    try:
        indicator = Indicator.model_validate({**entry, "domain": domain})
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            problems.append(
                Problem(location.file, location.line_of(loc), code, _dotted(loc), _message(error))
            )
        return
    if indicator.topic not in declared:
        known = ", ".join(sorted(declared)) or "none"
        line = location.line_of(("topic",))
        problems.append(
            Problem(
                location.file,
                line,
                code,
                "topic",
                f"'{indicator.topic}' is not declared in topics (declared: {known})",
            )
        )
    if code in indicators:
        first = locations[code]
        problems.append(
            Problem(
                location.file,
                location.line,
                code,
                "code",
                f"duplicate code, first declared at {first.file}:{first.line}",
            )
        )
        return
    indicators[code] = indicator
    locations[code] = location


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field missing"
    return str(error["msg"])


def _dotted(loc: FieldPath) -> str:
    return ".".join(str(part) for part in loc) or "-"


def _parse_yaml(path: Path, problems: list[Problem]) -> tuple[Any, dict[FieldPath, int]] | None:
    """Parse `path`, returning the data and the 1-based line of every mapping key and list
    item; YAML errors and duplicate keys become problems."""
    shown = _display(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, 1, "-", "file", f"not UTF-8: {exc.reason}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        reason = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(shown, line, "-", "yaml", f"syntax error: {reason}"))
        return None
    except RecursionError:
        problems.append(Problem(shown, 1, "-", "yaml", "an alias refers to itself"))
        return None
    lines: dict[FieldPath, int] = {}
    if node is not None:
        try:
            _record_lines(node, (), lines, shown, problems)
        except RecursionError:
            problems.append(Problem(shown, 1, "-", "yaml", "an alias refers to itself"))
            return None
    return data, lines


def _record_lines(
    node: yaml.Node,
    path: FieldPath,
    lines: dict[FieldPath, int],
    shown: str,
    problems: list[Problem],
) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(
                    Problem(
                        shown,
                        key_node.start_mark.line + 1,
                        "-",
                        _dotted((*path, key)),
                        "duplicate key",
                    )
                )
            seen.add(key)
            lines[(*path, key)] = key_node.start_mark.line + 1
            _record_lines(value_node, (*path, key), lines, shown, problems)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _record_lines(item, (*path, index), lines, shown, problems)
