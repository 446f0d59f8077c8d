"""Rules that span indicators: references, kinds, frequencies, cycles, weights, targets.

Each rule yields `Problem`s and never raises, so `cockpit validate` lists everything at once.
"""

from __future__ import annotations

import graphlib
from collections.abc import Callable, Iterator

from indicators.formula import FormulaError, parse_formula
from indicators.model import (
    AreaScope,
    Direction,
    Frequency,
    GrowthSource,
    Indicator,
    Kind,
    Nature,
    PublishedAs,
    RagRuleKind,
    Sensitivity,
    TargetBasis,
)
from indicators.registry import Catalog, FieldPath, Problem

WEIGHT_TOLERANCE = 1e-6
# Fields each kind needs, and fields that only some kinds may carry.
REQUIRED: dict[Kind, tuple[str, ...]] = {
    Kind.base: (),
    Kind.ratio: ("numerator", "denominator"),
    Kind.derived: ("formula",),
    Kind.cumulative: ("input",),
    Kind.composite: ("children",),
}
KIND_FIELDS = {"numerator", "denominator", "formula", "input", "children"}

Rule = Callable[[Catalog, Indicator], Iterator[tuple[FieldPath, str]]]


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []
    for indicator in catalog:
        location = catalog.locations[indicator.code]
        for rule in RULES:
            for path, message in rule(catalog, indicator):
                problems.append(
                    Problem(
                        location.file,
                        location.line_of(path),
                        indicator.code,
                        ".".join(map(str, path)),
                        message,
                    )
                )
    problems.extend(_cycles(catalog))
    return problems


def _kind_fields(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    required = REQUIRED[ind.kind]
    for name in required:
        if not getattr(ind, name):
            yield (name,), f"required for kind {ind.kind.value}"
    for name in sorted(KIND_FIELDS - set(required)):
        if getattr(ind, name):
            yield (name,), f"not used by kind {ind.kind.value}"


def _formula(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    if ind.formula:
        try:
            formula = parse_formula(ind.formula)
        except FormulaError as exc:
            yield ("formula",), str(exc)
            return
        if not formula.names:
            yield ("formula",), "uses no indicator (a constant is not a derived indicator)"


def _references(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    try:
        references = ind.references()
    except FormulaError:
        return  # reported by _formula
    for field_name, code in references:
        if code == ind.code:
            yield (field_name,), "refers to itself"
        elif code not in catalog.indicators:
            yield (field_name,), f"unknown indicator '{code}'"


def _input_frequencies(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    for field_name, code in _known_inputs(catalog, ind):
        other = catalog.indicators[code]
        if other.frequency != ind.frequency:
            yield (
                (field_name,),
                f"input {code} is {other.frequency.value}, not {ind.frequency.value}",
            )
        if (
            ind.kind is not Kind.composite
            and other.nature is Nature.flow
            and other.merged_jan_feb != ind.merged_jan_feb
        ):
            # A 1–2月 merged flow beside a monthly one would divide two months by one.
            yield (field_name,), f"input {code} differs on merged_jan_feb (1–2月 merged release)"
        if ind.areas is AreaScope.all and other.areas is AreaScope.city:
            yield (field_name,), f"input {code} is citywide only, so this cannot have districts"
        if (
            other.sensitivity is Sensitivity.restricted
            and ind.sensitivity is not Sensitivity.restricted
        ):
            # A published rate may rest on internal counts; restricted data must not leak.
            yield ("sensitivity",), f"{ind.sensitivity.value} but computed from restricted {code}"


def _known_inputs(catalog: Catalog, ind: Indicator) -> list[tuple[str, str]]:
    try:
        references = ind.references()
    except FormulaError:
        return []
    return [
        (f, code)
        for f, code in references
        if f != "supplied_growth" and code in catalog.indicators and code != ind.code
    ]


def _cumulative(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    if ind.kind is Kind.cumulative and ind.input in catalog.indicators:
        source = catalog.indicators[ind.input]
        if source.nature is not Nature.flow:
            yield ("input",), f"{ind.input} is {source.nature.value}; only flows accumulate"
    if ind.published_as is PublishedAs.ytd and ind.nature is not Nature.flow:
        yield ("published_as",), "only flow indicators are published as 累计"
    if ind.merged_jan_feb and ind.frequency is not Frequency.month:
        yield ("merged_jan_feb",), "only monthly indicators have a 1–2月 merged release"


def _composite(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    if not ind.children:
        return
    total = sum(child.weight for child in ind.children)
    if abs(total - 1.0) > WEIGHT_TOLERANCE:
        yield ("children",), f"weights sum to {total:g}, not 1"
    for index, child in enumerate(ind.children):
        if child.lower >= child.upper:
            # Direction comes from the child; goalposts are always low end, high end.
            yield ("children", index, "upper"), "the upper goalpost must be above the lower one"
        other = catalog.indicators.get(child.code)
        if other is not None and other.direction is Direction.band:
            yield (
                ("children", index, "code"),
                f"{child.code} is a band indicator; give it a directed score",
            )


def _growth(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    if ind.growth is GrowthSource.supplied and not ind.supplied_growth:
        yield ("supplied_growth",), "growth is supplied, so name the indicator(s) holding it"
    if ind.supplied_growth and ind.growth is not GrowthSource.supplied:
        yield ("growth",), "supplied_growth is set, so growth must be 'supplied'"
    if ind.supplied_growth:
        for name in ("yoy", "ytd_yoy"):
            code = getattr(ind.supplied_growth, name)
            other = catalog.indicators.get(code) if code else None
            if other is not None and other.unit != "%":
                yield ("supplied_growth", name), f"{code} is in {other.unit}, a growth rate is in %"
            if other is not None and other.frequency is not ind.frequency:
                yield (
                    ("supplied_growth", name),
                    (f"{code} is {other.frequency.value}, not {ind.frequency.value}"),
                )
            window = PublishedAs.ytd if name == "ytd_yoy" else PublishedAs.period
            if other is not None and other.rate_window is not window:
                # the tables and sentences name the rate's months from its own rate_window
                yield (
                    ("supplied_growth", name),
                    f"{code} is a {name} rate, so it needs rate_window: {window.value}",
                )
            if other is not None and other.growth_of:
                yield (
                    ("supplied_growth", name),
                    f"{code} names growth_of, but {ind.code} is its total",
                )


def _target_and_rag(catalog: Catalog, ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    target, rag = ind.target, ind.rag
    if target and target.value is None and not target.by_year:
        yield ("target",), "needs a value or by_year values"
    if target and target.basis is TargetBasis.annual_total and not _accumulates(ind):
        yield (
            ("target", "basis"),
            f"annual_total needs a flow or cumulative indicator, not {ind.nature.value}",
        )
    if target and target.basis is TargetBasis.annual_total:
        levels = [target.value, *target.by_year.values()]
        if any(level is not None and level <= 0 for level in levels):
            yield ("target",), "an annual total target must be positive (完成率 divides by it)"
    if rag.rule is RagRuleKind.schedule and (
        not target or target.basis is not TargetBasis.annual_total
    ):
        yield ("rag", "rule"), "schedule (序时进度) needs an annual_total target"
    if rag.rule is RagRuleKind.threshold:
        yield from _threshold(ind)
    if rag.rule is RagRuleKind.band and not rag.green_band:
        yield ("rag", "green_band"), "band rule needs green_band"
    if ind.direction is Direction.band and rag.rule not in (RagRuleKind.band, RagRuleKind.none):
        yield ("rag", "rule"), f"a band indicator is judged by the band rule, not {rag.rule.value}"
    if rag.rule is RagRuleKind.band and ind.direction is not Direction.band:
        yield (
            ("rag", "rule"),
            f"band rule on a {ind.direction.value} indicator (direction must be band)",
        )
    for name in ("green_band", "amber_band"):
        band = getattr(rag, name)
        if band and band[0] > band[1]:
            yield ("rag", name), "low end above high end"
    if (
        rag.green_band
        and rag.amber_band
        and not (rag.amber_band[0] <= rag.green_band[0] and rag.green_band[1] <= rag.amber_band[1])
    ):
        yield ("rag", "amber_band"), "must contain green_band"


def _threshold(ind: Indicator) -> Iterator[tuple[FieldPath, str]]:
    rag, target = ind.rag, ind.target
    if rag.green is not None:
        greens = [rag.green]
    elif target is not None:
        greens = [g for g in (target.value, *target.by_year.values()) if g is not None]
    else:
        greens = []
    if not greens:
        yield ("rag", "green"), "threshold rule needs green or a target"
        return
    if rag.amber is None:
        return
    for green in greens:
        if ind.direction is Direction.up and rag.amber > green:
            yield ("rag", "amber"), f"amber {rag.amber:g} above green {green:g} for an up indicator"
        if ind.direction is Direction.down and rag.amber < green:
            yield (
                ("rag", "amber"),
                f"amber {rag.amber:g} below green {green:g} for a down indicator",
            )


def _accumulates(ind: Indicator) -> bool:
    return ind.nature is Nature.flow or ind.kind is Kind.cumulative


def _cycles(catalog: Catalog) -> Iterator[Problem]:
    graph = {ind.code: {c for _, c in _known_inputs(catalog, ind)} for ind in catalog}
    while True:
        try:
            graphlib.TopologicalSorter(graph).prepare()
            return
        except graphlib.CycleError as exc:
            cycle: list[str] = exc.args[1]
            first = cycle[0]
            location = catalog.locations[first]
            yield Problem(
                location.file,
                location.line,
                first,
                "inputs",
                "cycle " + " -> ".join(reversed(cycle)),
            )
            for code in set(cycle):
                graph.pop(code, None)  # report each cycle once, then look for others
            for deps in graph.values():
                deps.difference_update(cycle)


RULES: tuple[Rule, ...] = (
    _kind_fields,
    _formula,
    _references,
    _input_frequencies,
    _cumulative,
    _composite,
    _growth,
    _target_and_rag,
)
