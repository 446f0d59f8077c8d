"""Safe formulas for derived indicators: an AST allow-list, never eval.

A formula is parsed once into a checked tree. Only numbers, indicator codes, + − × ÷,
unary minus, a bounded power and a few whitelisted functions are allowed; attributes,
subscripts, strings, keywords and every other call are refused before anything runs.
The same tree evaluates over floats or, element-wise, over pandas Series.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MAX_LENGTH = 500
MAX_NODES = 200
MAX_DEPTH = 30
MAX_EXPONENT = 4


class FormulaError(ValueError):
    """A formula that is not allowed, or that cannot be evaluated."""


def _coalesce(*values: Any) -> Any:
    """First non-missing value; element-wise for Series."""
    result = values[0]
    for value in values[1:]:
        if isinstance(result, pd.Series):
            result = result.fillna(value)
        elif _is_missing(result):
            result = value
    return result


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _extreme(pick: str) -> Callable[..., Any]:
    """min/max of scalars, or row-wise over Series with scalars broadcast (NaN if any is NaN)."""

    def apply(*values: Any) -> Any:
        series = [v for v in values if isinstance(v, pd.Series)]
        if not series:
            return min(values) if pick == "min" else max(values)
        index = series[0].index
        columns = [v if isinstance(v, pd.Series) else pd.Series(v, index=index) for v in values]
        frame = pd.concat(columns, axis=1)
        return frame.min(axis=1, skipna=False) if pick == "min" else frame.max(axis=1, skipna=False)

    return apply


def _elementwise(scalar: Callable[..., float], vector: Callable[..., Any]) -> Callable[..., Any]:
    def apply(first: Any, *rest: Any) -> Any:
        return vector(first, *rest) if isinstance(first, pd.Series) else scalar(first, *rest)

    return apply


FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    # name: (implementation, min args, max args); round's digits must be a literal integer.
    "abs": (_elementwise(abs, np.abs), 1, 1),
    "sqrt": (_elementwise(math.sqrt, np.sqrt), 1, 1),
    "round": (
        _elementwise(lambda x, d=0: round(x, int(d)), lambda x, d=0: x.round(int(d))),
        1,
        2,
    ),
    "min": (_extreme("min"), 2, 8),
    "max": (_extreme("max"), 2, 8),
    "coalesce": (_coalesce, 2, 8),
}

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


@dataclass(frozen=True)
class Formula:
    """A parsed, allow-listed formula and the indicator codes it reads."""

    text: str
    tree: ast.Expression
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Any]) -> Any:
        """Evaluate with `values[code]` (floats or aligned Series).

        Scalars: division by zero, a missing input or a result that is not a real number
        raises FormulaError naming the cause. Series: such rows become NaN, never ±inf.
        """
        missing = sorted(self.names - values.keys())
        if missing:
            raise FormulaError(f"no value for {', '.join(missing)} in '{self.text}'")
        try:
            with np.errstate(all="ignore"):
                result = _Evaluator(values, self.text).visit(self.tree.body)
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise FormulaError(f"{exc} in '{self.text}'") from None
        if isinstance(result, pd.Series):
            return result.astype(float).replace([np.inf, -np.inf], np.nan)
        empty = sorted(n for n in self.names if _is_missing(values[n]))
        if empty and _is_missing(result):
            raise FormulaError(f"{', '.join(empty)} has no value for '{self.text}'")
        if isinstance(result, complex) or not math.isfinite(result):
            raise FormulaError(f"result {result} is not a finite real number in '{self.text}'")
        return float(result)


def parse_formula(text: str) -> Formula:
    """Parse and check a formula; raise FormulaError with the reason if it is not allowed."""
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"formula longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"syntax error in '{text}': {exc.msg}") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError(f"formula has more than {MAX_NODES} parts")
    names: set[str] = set()
    _check(tree.body, names, depth=0)
    return Formula(text=text, tree=tree, names=frozenset(names))


def _check(node: ast.AST, names: set[str], depth: int) -> None:
    if depth > MAX_DEPTH:
        raise FormulaError(f"formula nested deeper than {MAX_DEPTH}")
    match node:
        case ast.Constant(value=value) if type(value) in (int, float):
            return
        case ast.Name(id=name):
            if name.startswith("_"):
                raise FormulaError(f"name '{name}' is not allowed")
            if name in FUNCTIONS:
                raise FormulaError(f"function '{name}' used without a call")
            names.add(name)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in _BINARY:
            _check(left, names, depth + 1)
            _check(right, names, depth + 1)
            if isinstance(op, ast.Pow):
                _check_power(left, right)
            if isinstance(op, ast.Div) and _constant_value(right) == 0:
                raise FormulaError(f"division by zero in '{ast.unparse(node)}'")
        case ast.UnaryOp(op=op, operand=operand) if type(op) in _UNARY:
            _check(operand, names, depth + 1)
        case ast.Call(func=ast.Name(id=func), args=args, keywords=[]) if func in FUNCTIONS:
            if any(isinstance(arg, ast.Starred) for arg in args):
                raise FormulaError("starred arguments are not allowed")
            _, low, high = FUNCTIONS[func]
            if not low <= len(args) <= high:
                raise FormulaError(f"{func}() takes {low}–{high} arguments, got {len(args)}")
            for arg in args:
                _check(arg, names, depth + 1)
            if func == "round" and len(args) == 2 and type(_literal(args[1])) is not int:
                raise FormulaError("round()'s digits must be a whole number like 2")
        case ast.Call(func=ast.Name(id=func)):
            raise FormulaError(f"function '{func}' is not allowed")
        case ast.Call():
            raise FormulaError("only calls of allowed functions by name are allowed")
        case ast.Attribute():
            raise FormulaError("attribute access is not allowed")
        case ast.Constant():
            raise FormulaError(f"constant {node.value!r} is not a number")
        case _:
            raise FormulaError(f"'{ast.unparse(node)}' is not allowed in a formula")


def _literal(node: ast.AST) -> int | float | None:
    """The number a literal (optionally signed) stands for, else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _literal(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    return node.value if isinstance(node, ast.Constant) else None


def _check_power(base: ast.AST, exponent: ast.AST) -> None:
    """A literal exponent within ±MAX_EXPONENT on a base without powers: no towers that
    grow numbers past any bound."""
    value = _literal(exponent)
    if value is None or abs(value) > MAX_EXPONENT:
        raise FormulaError(f"exponent must be a number between -{MAX_EXPONENT} and {MAX_EXPONENT}")
    if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) for n in ast.walk(base)):
        raise FormulaError("a power of a power is not allowed")


def _constant_value(node: ast.AST) -> float | None:
    """Value of a subexpression made only of numbers (checked, so safe to fold), else None."""
    if any(isinstance(n, ast.Name) for n in ast.walk(node)):
        return None
    try:
        return float(_Evaluator({}, "").visit(node))
    except (ArithmeticError, ValueError, TypeError, FormulaError):
        return None


class _Evaluator:
    def __init__(self, values: Mapping[str, Any], text: str) -> None:
        self.values = values
        self.text = text

    def visit(self, node: ast.AST) -> Any:
        match node:
            case ast.Constant(value=value):
                return float(value)  # floats overflow to an error; ints would grow unbounded
            case ast.Name(id=name):
                return self.values[name]
            case ast.BinOp(left=left, op=op, right=right):
                return self._binary(type(op), self.visit(left), self.visit(right))
            case ast.UnaryOp(op=op, operand=operand):
                return _UNARY[type(op)](self.visit(operand))
            case ast.Call(func=ast.Name(id=func), args=args):
                return FUNCTIONS[func][0](*(self.visit(arg) for arg in args))
        raise FormulaError(f"cannot evaluate '{ast.unparse(node)}'")  # unreachable after _check

    def _binary(self, op: type[ast.operator], left: Any, right: Any) -> Any:
        if op is ast.Div and not isinstance(right, pd.Series) and right == 0:
            raise FormulaError(f"division by zero in '{self.text}'")
        return _BINARY[op](left, right)
