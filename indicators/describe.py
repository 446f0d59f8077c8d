"""Chinese wording of an indicator's definition parts, for exports, pages and briefings."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from indicators.model import (
    AreaScope,
    Direction,
    Frequency,
    GrowthSource,
    Indicator,
    Kind,
    Nature,
    PriceBasis,
    PublishedAs,
    RagRuleKind,
    Sensitivity,
    TargetBasis,
)

if TYPE_CHECKING:
    from indicators.registry import Catalog

FREQUENCY_ZH = {
    Frequency.day: "日",
    Frequency.month: "月",
    Frequency.quarter: "季",
    Frequency.year: "年",
}
NATURE_ZH = {Nature.flow: "时期", Nature.stock: "时点", Nature.rate: "比率/均值"}
PUBLISHED_ZH = {PublishedAs.period: "当期", PublishedAs.ytd: "累计"}
KIND_ZH = {
    Kind.base: "基础指标",
    Kind.ratio: "比率指标",
    Kind.derived: "派生指标",
    Kind.cumulative: "累计指标",
    Kind.composite: "综合指数",
}
DIRECTION_ZH = {Direction.up: "正向", Direction.down: "逆向", Direction.band: "适度"}
SENSITIVITY_ZH = {
    Sensitivity.public: "公开",
    Sensitivity.internal: "内部",
    Sensitivity.restricted: "受限",
}
GROWTH_ZH = {
    GrowthSource.computed: "系统计算",
    GrowthSource.supplied: "来源公布",
    GrowthSource.none: "不计算",
}
PRICE_ZH = {
    PriceBasis.current: "现价",
    PriceBasis.comparable: "可比价",
    PriceBasis.not_applicable: "",
}
AREAS_ZH = {AreaScope.city: "全市", AreaScope.all: "全市及各区"}
TARGET_BASIS_ZH = {
    TargetBasis.annual_total: "年度累计目标",
    TargetBasis.level: "当期水平目标",
    TargetBasis.ytd_level: "累计水平目标",
}


HIDDEN = "（未授权指标）"
CODE = re.compile(r"\b[A-Z][A-Z0-9_]{1,63}\b")


def method_zh(ind: Indicator, shown: Catalog | None = None) -> str:
    """How the value is obtained: read, or computed from which indicators. An input outside
    `shown` (the reader's catalog; None: all) is not named."""
    if ind.kind is Kind.ratio:
        factor = f"×{ind.factor:g}" if ind.factor != 1 else ""
        text = f"{ind.numerator} / {ind.denominator}{factor}"
    elif ind.kind is Kind.derived:
        text = str(ind.formula)
    elif ind.kind is Kind.cumulative:
        text = f"{ind.input} 年内累计"
    elif ind.kind is Kind.composite:
        if shown is not None and any(c.code not in shown.indicators for c in ind.children):
            return f"加权：{len(ind.children)}项分指标（含{HIDDEN}）"  # weights would tell
        parts = [f"{c.code}×{c.weight:g}[{c.lower:g},{c.upper:g}]" for c in ind.children]
        text = "加权：" + "，".join(parts)
    else:
        return "来源直接报送"
    if shown is None:
        return text
    return CODE.sub(lambda m: m[0] if m[0] in shown.indicators else HIDDEN, text)


def target_zh(ind: Indicator) -> str:
    if not ind.target:
        return ""
    parts = []
    if ind.target.value is not None:
        parts.append(f"{ind.target.value:g}{ind.unit}")
    parts.extend(
        f"{year}年 {value:g}{ind.unit}" for year, value in sorted(ind.target.by_year.items())
    )
    return f"{TARGET_BASIS_ZH[ind.target.basis]}：" + "；".join(parts)


def rule_zh(ind: Indicator) -> str:
    """The red/amber/green rule in words (预警规则)."""
    rag = ind.rag
    if rag.rule is RagRuleKind.schedule:
        if ind.direction is Direction.down:  # a cap: using no more than the schedule is good
            return f"对照序时进度：不超过为绿，超出{rag.amber_points:g}个百分点以内为黄，超过为红"
        return f"对照序时进度：达到为绿，落后{rag.amber_points:g}个百分点以内为黄，超过为红"
    if rag.rule is RagRuleKind.band:
        text = f"{_band(rag.green_band)}为绿"
        if rag.amber_band:
            text += f"，{_band(rag.amber_band)}为黄"
        return text + "，其余为红"
    if rag.rule is RagRuleKind.threshold:
        green = rag.green if rag.green is not None else (ind.target.value if ind.target else None)
        sign = "≥" if ind.direction is Direction.up else "≤"
        text = f"{sign}{green:g}为绿" if green is not None else f"{sign}当年目标为绿"
        if rag.amber is not None:
            text += f"，{sign}{rag.amber:g}为黄"
        return text + "，其余为红"
    return "不设预警"


def _band(band: tuple[float, float] | None) -> str:
    return f"[{band[0]:g}, {band[1]:g}]" if band else ""
