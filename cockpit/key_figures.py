"""One figure's key rows — 当期值, 同比, 环比, 累计, 累计同比, 目标, 完成率, 序时进度, 差距, 状态,
来源, 入库时间, 装载批次 — as `cockpit show` prints them and the drill-down page lists them:
one definition, so the command line and the page cannot word a figure differently."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit import i18n
from cockpit.i18n import Lang
from cockpit.tile_model import change_unit, gap_unit
from indicators import formatting as fmt
from indicators.describe import GROWTH_ZH, rule_zh
from indicators.model import GrowthSource, Indicator
from indicators.snapshot import Snapshot

FIGURE_LABELS: dict[str, tuple[str, str]] = {
    "value": ("当期值", "Value"),
    "ytd": ("累计", "Cumulative"),
    "ytd_yoy": ("累计同比", "Cumulative YoY"),
    "target": ("目标", "Target"),
    "attainment": ("完成率", "Attainment"),
    "schedule": ("序时进度", "Time elapsed"),
    "gap": ("差距", "Gap"),
    "status": ("状态", "Status"),
    "source": ("来源", "Source"),  # as `cockpit show` labels the row
}


def figure_label(key: str, lang: Lang) -> str:
    zh, en = FIGURE_LABELS[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class KeyFigure:
    key: str  # value, yoy, mom, ytd, ytd_yoy, target, attainment, schedule, gap, status …
    label: str
    text: str


def key_figures(s: Snapshot, lang: Lang) -> tuple[KeyFigure, ...]:
    """The rows of `cockpit show`'s table, with the same texts in Chinese. Rows that cannot
    apply to the indicator are left out rather than shown empty."""
    ind, j = s.indicator, s.judgement
    unit = i18n.unit(ind.unit, lang).strip()  # after a space, as `cockpit show` writes it
    changes_in = change_unit(s, lang)
    growth = GROWTH_ZH[s.growth_source] if lang == "zh" else s.growth_source.value
    note = bracketed("", growth, lang)
    with_growth = s.growth_source is not GrowthSource.none
    window = i18n.ytd_label(s.period, ind.merged_jan_feb, lang)
    status = i18n.status_name(j.status, lang)
    target = "" if j.target is None else f"{fmt.plain(j.target)} {unit}"
    loaded_at = s.provenance.loaded_at
    rows = (
        ("value", figure_label("value", lang), f"{fmt.number(s.value, ind.decimals)} {unit}", True),
        ("yoy", i18n.text("yoy", lang), fmt.change(s.yoy, changes_in) + note, with_growth),
        ("mom", i18n.text("mom", lang), fmt.change(s.mom, changes_in), not _supplied(s)),
        (
            "ytd",
            bracketed(figure_label("ytd", lang), window, lang),
            f"{fmt.number(s.ytd, ind.decimals)} {unit}",
            s.has_ytd,
        ),
        (
            "ytd_yoy",
            figure_label("ytd_yoy", lang),
            fmt.change(s.ytd_yoy, changes_in) + note,
            s.has_ytd and with_growth,
        ),
        ("target", figure_label("target", lang), target, j.target is not None),
        (
            "attainment",
            figure_label("attainment", lang),
            fmt.percent(j.attainment),
            _has(j.attainment),
        ),
        ("schedule", figure_label("schedule", lang), fmt.percent(j.schedule), _has(j.schedule)),
        (
            "gap",
            figure_label("gap", lang),
            fmt.change(j.gap, gap_unit(j.gap_unit, lang)),
            _has(j.gap),
        ),
        ("status", figure_label("status", lang), bracketed(status, rule_zh(ind), lang), True),
        ("source", figure_label("source", lang), _source(ind), True),
        ("loaded_at", i18n.text("loaded_at", lang), i18n.local_time(loaded_at, lang), True),
        ("load_runs", i18n.text("load_runs", lang), _runs(s.provenance.load_runs), True),
    )
    return tuple(KeyFigure(key, name, text) for key, name, text, shown in rows if shown)


def bracketed(text: str, aside: str, lang: Lang) -> str:
    """正常（规则） in Chinese, On track (rule) in English."""
    return f"{text}（{aside}）" if lang == "zh" else f"{text} ({aside})"


def _has(value: float | None) -> bool:
    return value is not None


def _supplied(s: Snapshot) -> bool:
    """A published growth rate comes without 环比 (officially seasonally adjusted)."""
    return s.growth_source is GrowthSource.supplied


def _source(ind: Indicator) -> str:
    return f"{ind.owner} · {ind.source.connector}：{ind.source.reads}"


def _runs(runs: tuple[int, ...]) -> str:
    return ", ".join(map(str, runs)) or fmt.MISSING
