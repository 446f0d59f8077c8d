"""HTML snapshot tests per block: every registered block kind is built on one fixed,
in-memory context (the chart tests' catalog and values, plus an indicator whose name carries
markup, for October 2026) and its title and HTML are compared with a stored file,
tests/snapshots/blocks/<kind>.html.

The stored HTML is the block's own, with a line break before each block-level tag so that a
diff reads row by row. A chart's SVG is not stored: its data URI is replaced by a placeholder
(vl-convert's output may vary by version) and the decoded SVG's text nodes are checked
separately against the words the chart must show.

To create or update the snapshots after an intended change, run

    UPDATE_SNAPSHOTS=1 .venv/bin/pytest tests/test_block_snapshots.py

and review the diff of tests/snapshots/blocks/ before committing it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from indicators.freshness import Freshness, IndicatorFreshness
from indicators.registry import Catalog, Location
from indicators.snapshot import SnapshotBuilder
from reports.blocks import kinds
from reports.context import BriefingContext
from reports.document import Section
from tests.catalog_builder import indicator, stored_values
from tests.test_briefing_charts import (
    META,
    OCTOBER,
    RATE,
    VALUES,
    catalog,
    decoded,
    months,
    svg_texts,
    use_district_map,
)

SNAPSHOTS = Path(__file__).parent / "snapshots" / "blocks"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
SVG_URI = re.compile(r"data:image/svg\+xml;base64,[A-Za-z0-9+/=]+")
SVG_PLACEHOLDER = "data:image/svg+xml;base64,{SVG}"

# Text a bureau or a catalog author might write, which must reach the page as text.
SCRIPT_NAME = '<script>alert("指标")</script>税费 & 附加'
SCRIPT_TEXT = "本月**重点**：<script>alert(1)</script> & 其他事项。\n\n- 一是稳增长\n- 二是保民生"


def snapshot_catalog() -> Catalog:
    """The chart tests' catalog with TAX, whose name is markup and an ampersand."""
    base = catalog()
    tax = indicator(
        "TAX",
        name_zh=SCRIPT_NAME,
        unit="亿元",
        target={"basis": "level", "value": 50},
        rag={"rule": "threshold", "amber": 45},
        **RATE,
    )
    return dataclasses.replace(
        base,
        indicators={**base.indicators, "TAX": tax},
        locations={**base.locations, "TAX": Location("test.yaml", 1)},
    )


def snapshot_context() -> BriefingContext:
    """October 2026 for the city; TAX below its amber line and its data overdue."""
    values = {**VALUES, ("TAX", "city"): months({2025: 40, 2026: 42})}
    rows = pd.concat(
        [
            stored_values({code: periods}).assign(area=area)
            for (code, area), periods in values.items()
        ],
        ignore_index=True,
    )
    b = SnapshotBuilder(snapshot_catalog(), rows)
    stale = IndicatorFreshness("TAX", "test", Freshness.stale, "2026-10", "2026-09", "逾期")
    return BriefingContext(b.catalog, b, OCTOBER, "city", META, freshness={"TAX": stale})


@dataclass(frozen=True)
class Case:
    params: dict[str, Any]
    used: tuple[str, ...] = ()  # indicators earlier blocks showed (for data_notes)
    svg_words: frozenset[str] = field(default_factory=frozenset)  # text the chart must show


DISTRICT_NAMES = frozenset({"东湖区", "西山区", "南城区"})
CASES: dict[str, tuple[Case, ...]] = {
    "cover": (Case({"subtitle": "内部资料 <注意保存> & 不得外传"}),),
    "headline": (Case({"codes": ["RETAIL", "PM", "TAX", "GOOD"]}),),
    "kpi_table": (Case({"title": "重点指标", "codes": ["RETAIL", "PM", "TAX", "AIR"]}),),
    "narrative": (Case({"codes": ["RETAIL", "PM", "TAX"]}),),
    "free_text": (Case({"title": "工作动态", "text": SCRIPT_TEXT}),),
    "off_target": (Case({}),),
    "data_notes": (Case({}, used=("RETAIL", "PM", "TAX")),),
    "chart": (
        Case({"code": "RETAIL"}, svg_words=frozenset({"25年11月", "26年10月", "亿元"})),
        Case({"code": "PM", "kind": "yoy"}, svg_words=frozenset({"26年1月", "26年10月"})),
        Case(
            {"code": "PM", "kind": "districts"},
            svg_words=DISTRICT_NAMES | {"28.0", "微克/立方米"},
        ),
    ),
    "ranking": (Case({"code": "PM"}),),
    "composite": (Case({"code": "AIR"}),),
    "district_map": (
        Case({"code": "PM"}, svg_words=DISTRICT_NAMES | {"北郊区", "28.0", "无数据"}),
    ),
}

BLOCK_TAGS = r"p|div|table|thead|tbody|tr|figure|img|figcaption|ol|ul|li|h[1-6]|blockquote|pre"
BREAK_BEFORE = re.compile(rf"\n?(<(?:{BLOCK_TAGS})\b|</(?:table|figure|ol|ul|div)>)")


def pretty(html: str) -> str:
    """One block-level element a line: a diff shows the row or paragraph that changed."""
    return BREAK_BEFORE.sub(r"\n\1", html).strip("\n")


def build(kind: str, case: Case) -> Section:
    ctx = snapshot_context()
    ctx.used.extend(case.used)
    registered = kinds()[kind]
    return registered.build(ctx, registered.params.model_validate(case.params), "s1")


def rendered(kind: str, sections: list[Section]) -> str:
    """The stored form: per section a comment with its parameters, the title (JSON: null
    for no heading; the document escapes titles) and the body with SVGs as placeholders."""
    parts = []
    for case, section in zip(CASES[kind], sections, strict=True):
        params = json.dumps(case.params, ensure_ascii=False, sort_keys=True)
        body = SVG_URI.sub(SVG_PLACEHOLDER, section.html)
        title = json.dumps(section.title, ensure_ascii=False)
        parts.append(f"<!-- {kind} {params} -->\ntitle: {title}\n{pretty(body)}\n")
    return "\n".join(parts)


def check_snapshot(kind: str, text: str) -> None:
    path = SNAPSHOTS / f"{kind}.html"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(
            f"no snapshot {path}; create it with "
            f"UPDATE_SNAPSHOTS=1 .venv/bin/pytest {Path(__file__).name} and review the file",
            pytrace=False,
        )
    assert text == path.read_text(encoding="utf-8"), (
        f"{kind} block differs from {path.name}; if intended, rerun with UPDATE_SNAPSHOTS=1"
    )


@pytest.fixture(autouse=True)
def district_map(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    use_district_map(tmp_path, monkeypatch)  # the test districts' squares, not a real city


def test_every_registered_kind_has_a_snapshot_case() -> None:
    assert set(CASES) == set(kinds())


@pytest.mark.parametrize("kind", sorted(CASES))
def test_block_matches_its_snapshot(kind: str) -> None:
    sections = [build(kind, case) for case in CASES[kind]]
    for case, section in zip(CASES[kind], sections, strict=True):
        uris = SVG_URI.findall(section.html)
        assert len(uris) == (1 if case.svg_words else 0)
        for uri in uris:
            texts = set(svg_texts(decoded(uri)))
            assert case.svg_words <= texts, sorted(case.svg_words - texts)
    check_snapshot(kind, rendered(kind, sections))


HEADER = ("<!-- ", "title: ")  # a stored section's parameters and title, not its HTML


def test_markup_in_free_text_and_in_an_indicator_name_is_stored_escaped() -> None:
    stored = {kind: (SNAPSHOTS / f"{kind}.html").read_text(encoding="utf-8") for kind in CASES}
    bodies = {
        kind: "\n".join(line for line in text.splitlines() if not line.startswith(HEADER))
        for kind, text in stored.items()
    }
    escaped_name = "&lt;script&gt;alert(&quot;指标&quot;)&lt;/script&gt;税费 &amp; 附加"
    for kind in ("headline", "kpi_table", "narrative", "off_target", "data_notes"):
        assert escaped_name in bodies[kind], kind
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 其他事项" in bodies["free_text"]
    assert "&lt;注意保存&gt; &amp; 不得外传" in bodies["cover"]
    for kind, body in bodies.items():
        assert "<script" not in body, kind
        assert not re.search(r"&(?!(?:lt|gt|amp|quot|#x27);)", body), kind


def test_a_missing_snapshot_fails_saying_how_to_create_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "SNAPSHOTS", tmp_path)
    monkeypatch.setattr(module, "UPDATE", False)
    with pytest.raises(pytest.fail.Exception, match="create it with UPDATE_SNAPSHOTS=1"):
        check_snapshot("cover", "x")
