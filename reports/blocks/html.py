"""Small HTML builders the blocks share: every text from the catalog or the store goes
through `escape`, so a block's HTML can be placed into the document as it is."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from html import escape

from indicators import formatting as fmt
from indicators.reading import change_decimals
from indicators.snapshot import Snapshot
from indicators.targets import STATUS_ZH
from reports.narrative import window


def table(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    css: str = "",
    numeric: Collection[int] = (),
) -> str:
    """A table; the cells of the `numeric` columns (by index) carry class "num", which the
    PDF (document.css) and Word (html_blocks) set right-aligned, as figures are in print."""
    head = "".join(f"<th>{escape(h)}</th>" for h in heads)
    body = "".join(
        "<tr>"
        + "".join(_cell(cell, column in numeric) for column, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="{escape(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def _cell(text: str, numeric: bool) -> str:
    return f'<td class="num">{escape(text)}</td>' if numeric else f"<td>{escape(text)}</td>"


def paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(paragraph(text) for text in texts)


def figure(s: Snapshot) -> str:
    """The headline figure with its unit: 911.60亿元, 81.9%."""
    return f"{fmt.number(s.headline, s.indicator.decimals)}{s.indicator.unit}"


def period(s: Snapshot) -> str:
    """The window the figure covers, as the narrative opens its sentence: 1-10月 for a 累计
    or a 1–N月 rate, 10月 / 三季度 for a period's own value, 2025年 for a year."""
    return window(s)


def growth(s: Snapshot) -> str:
    """同比 of the headline with the decimals the narrative says it with."""
    return fmt.change(s.headline_yoy, s.change_unit, change_decimals(s.indicator))


def status(s: Snapshot, stale: bool) -> str:
    word = STATUS_ZH[s.judgement.status]
    return f"{word}（数据逾期）" if stale else word


def target(s: Snapshot) -> str:
    """The target in force for the figure's year (not every year's), with its unit."""
    if s.judgement.target is None:
        return fmt.MISSING
    return f"{fmt.plain(s.judgement.target)}{s.indicator.unit}"
