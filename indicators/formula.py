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
        result = (
            result.fillna(value)
            if isinstance(result, pd.Series)
            else (value if _is_missing(result) else result)
        )
    return result


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _elementwise(scalar: Callable[..., float], vector: Callable[..., Any]) -> Callable[..., Any]:
    def apply(*args: Any) -> Any:
        if any(isinstance(a, pd.Series) for a in args):
            return vector(*args)
        return scalar(*args)

    return apply


FUNCTIONS: dict[str, tuple[Callable[..., Any], int, int]] = {
    # name: (implementation, min args, max args)
    "abs": (_elementwise(abs, np.abs), 1, 1),
    "sqrt": (_elementwise(math.sqrt, np.sqrt), 1, 1),
    "round": (_elementwise(round, lambda x, n=0: x.round(int(n))), 1, 2),
    "min": (_elementwise(min, lambda *xs: pd.concat(xs, axis=1).min(axis=1, skipna=False)), 2, 8),
    "max": (_elementwise(max, lambda *xs: pd.concat(xs, axis=1).max(axis=1, skipna=False)), 2, 8),
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

        Scalars: division by zero and missing inputs raise FormulaError naming the cause.
        Series: rows that divide by zero or miss an input become NaN.
        """
        missing = sorted(self.names - values.keys())
        if missing:
            raise FormulaError(f"no value for {', '.join(missing)} in '{self.text}'")
        result = _Evaluator(values, self.text).visit(self.tree.body)
        if not isinstance(result, pd.Series) and _is_missing(result):
            empty = sorted(n for n in self.names if _is_missing(values[n]))
            raise FormulaError(f"{', '.join(empty)} has no value for '{self.text}'")
        return result


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
            if isinstance(op, ast.Pow):
                _check_exponent(right)
            if isinstance(op, ast.Div) and isinstance(right, ast.Constant) and right.value == 0:
                raise FormulaError(f"division by zero in '{ast.unparse(node)}'")
            _check(left, names, depth + 1)
            _check(right, names, depth + 1)
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


def _check_exponent(node: ast.AST) -> None:
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, ast.Constant):
        value = -node.operand.value if isinstance(node.op, ast.USub) else node.operand.value
    if type(value) not in (int, float) or abs(value) > MAX_EXPONENT:
        raise FormulaError(f"exponent must be a number between -{MAX_EXPONENT} and {MAX_EXPONENT}")


class _Evaluator:
    def __init__(self, values: Mapping[str, Any], text: str) -> None:
        self.values = values
        self.text = text

    def visit(self, node: ast.AST) -> Any:
        match node:
            case ast.Constant(value=value):
                return value
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
        if op is ast.Div:
            if isinstance(right, pd.Series):
                return left / right.where(right != 0)
            if right == 0:
                raise FormulaError(f"division by zero in '{self.text}'")
        try:
            return _BINARY[op](left, right)
        except (OverflowError, ZeroDivisionError) as exc:
            raise FormulaError(f"{exc} in '{self.text}'") from None
