"""Rendering a snapshot for `cockpit show`: a JSON object or a rich table."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from cockpit.key_figures import key_figures
from indicators import formatting as fmt
from indicators.reading import readable_parts
from indicators.registry import Catalog
from indicators.snapshot import Snapshot


def _rounded(value: float | None, decimals: int) -> float | None:
    return None if value is None else round(value, decimals)


def snapshot_to_dict(s: Snapshot, shown: Catalog | None = None) -> dict[str, Any]:
    """The snapshot as JSON; a composite's parts outside `shown` (the reader's catalog) are
    left out."""
    ind, j = s.indicator, s.judgement
    loaded = s.provenance.loaded_at
    return {
        "code": ind.code,
        "name": ind.name_zh,
        "name_en": ind.name_en,
        "period": s.period.label,
        "period_zh": s.period.label_zh(),
        "ytd_label": s.period.ytd_label_zh(ind.merged_jan_feb),
        "area": s.area,
        "unit": ind.unit,
        "value": _rounded(s.value, ind.decimals),
        "ytd": _rounded(s.ytd, ind.decimals),
        "yoy": _rounded(s.yoy, 2),
        "mom": _rounded(s.mom, 2),
        "ytd_yoy": _rounded(s.ytd_yoy, 2),
        "change_unit": s.change_unit,
        "growth_source": s.growth_source.value,
        "target": j.target,
        "attainment": _rounded(j.attainment, 2),
        "schedule": _rounded(j.schedule, 2),
        "gap": _rounded(j.gap, 2),
        "gap_unit": j.gap_unit,
        "status": j.status.value,
        "source": {
            "connector": ind.source.connector,
            "reads": ind.source.reads,
            "owner": ind.owner,
        },
        "loaded_at": loaded.isoformat() if loaded else None,
        "load_runs": list(s.provenance.load_runs),
        "sparkline": [[label, _rounded(v, ind.decimals)] for label, v in s.sparkline],
        "contributions": [
            {
                "code": c.code,
                "weight": c.weight,
                "value": c.value,
                "score": round(c.score, 2),
                "points": round(c.contribution, 2),
            }
            for c in (s.contributions if shown is None else readable_parts(s, shown))
        ],
    }


def snapshot_table(s: Snapshot, catalog: Catalog) -> Table:
    ind = s.indicator
    area = next((a.name_zh for a in catalog.deployment.areas if a.code == s.area), s.area)
    table = Table(
        title=f"{ind.name_zh}（{ind.code}）· {area} · {s.period.label_zh()}", show_header=False
    )
    table.add_column("项目", style="bold")
    table.add_column("数值")
    # The same rows, in the same words, as the drill-down page's key figures.
    rows = [(figure.label, figure.text) for figure in key_figures(s, "zh")]
    for part in readable_parts(s, catalog):
        child = catalog.get(part.code)
        value = f"{fmt.number(part.value, child.decimals)} {child.unit}"
        points = f"{part.score:.1f}分 × {part.weight:g} = {part.contribution:.1f}分"
        rows.append((f"  构成：{child.name_zh}", f"{value} → {points}"))
    for label, text in rows:
        table.add_row(label, text)
    return table
