"""今日关注: off target before at risk before worsening before late data, the furthest
behind first; worsening means a fallen status or a material 同比 the wrong way."""

from __future__ import annotations

from indicators.attention import Concern, attention_list, moved_wrong_way, shortfall
from indicators.freshness import Freshness, IndicatorFreshness
from indicators.periods import Period
from indicators.snapshot import SnapshotBuilder
from tests.catalog_builder import indicator, make_catalog, stored_values

RATE = {"unit": "%", "nature": "rate", "growth": "computed"}
THRESHOLD = {"rule": "threshold", "amber": 80}


def builder(values: dict[str, dict[str, float]]) -> SnapshotBuilder:
    """Rates judged against ≥90% (amber from 80%), plus two untargeted flows."""
    catalog = make_catalog(
        *(
            indicator(code, **RATE, target={"basis": "level", "value": 90}, rag=THRESHOLD)
            for code in values
            if code not in {"FLOW", "DOWN"}
        ),
        indicator("FLOW", growth="computed"),  # no target: only 同比 can make it worsen
        indicator("DOWN", direction="down", growth="computed"),
    )
    return SnapshotBuilder(catalog, stored_values(values))


def test_order_is_red_then_amber_then_worsening_then_late_and_by_distance() -> None:
    b = builder(
        {
            "RED_FAR": {"2026-09": 70, "2026-10": 60},  # 30 points below 90
            "RED_NEAR": {"2026-09": 70, "2026-10": 75},  # 15 below
            "AMBER": {"2026-09": 85, "2026-10": 85},
            "FELL": {"2026-09": 95, "2026-10": 85},  # green → amber: amber, and fell
            "GREEN": {"2026-09": 95, "2026-10": 95},
            "LATE": {"2026-09": 95},
        }
    )
    october = Period.parse("2026-10")
    current = [
        b.snapshot(c, october, "city") for c in ("RED_NEAR", "AMBER", "FELL", "RED_FAR", "GREEN")
    ]
    current.append(b.snapshot("LATE", Period.parse("2026-09"), "city"))
    previous = {
        s.indicator.code: b.snapshot(s.indicator.code, s.period.previous(), "city") for s in current
    }
    late = IndicatorFreshness("LATE", "test", Freshness.stale, "2026-10", "2026-09", "behind")
    items = attention_list(current, previous, {"LATE": late})
    assert [i.code for i in items] == ["RED_FAR", "RED_NEAR", "AMBER", "FELL", "LATE"]
    assert [i.concern for i in items] == [
        Concern.red,
        Concern.red,
        Concern.amber,
        Concern.amber,
        Concern.late_data,
    ]
    assert items[0].shortfall == 30 / 90
    assert items[3].status_fell and not items[2].status_fell
    assert items[4].freshness is late


def test_a_late_figure_already_off_target_is_listed_for_the_target() -> None:
    b = builder({"RED": {"2026-09": 60}})
    snap = b.snapshot("RED", Period.parse("2026-09"), "city")
    late = IndicatorFreshness("RED", "test", Freshness.late, "2026-10", "2026-09", "behind")
    [item] = attention_list([snap], {}, {"RED": late})
    assert item.concern is Concern.red and item.freshness is late


def test_worsening_needs_a_material_change_against_the_direction() -> None:
    b = builder(
        {
            "FLOW": {"2025-10": 100.0, "2026-10": 94.0},  # -6%: worse
            "DOWN": {"2025-10": 100.0, "2026-10": 104.0},  # +4%, lower is better: not material
        }
    )
    october = Period.parse("2026-10")
    flow, low = b.snapshot("FLOW", october, "city"), b.snapshot("DOWN", october, "city")
    assert flow.headline_yoy == -6.0 and moved_wrong_way(flow)
    assert low.headline_yoy == 4.0 and not moved_wrong_way(low)
    [item] = attention_list([flow, low], {})
    assert item.code == "FLOW" and item.concern is Concern.worsening and item.shortfall == 0


def test_shortfall_against_schedule_is_points_over_100() -> None:
    catalog = make_catalog(
        indicator(
            "SALES",
            target={"basis": "annual_total", "value": 1200},
            rag={"rule": "schedule", "amber_points": 10},
        )
    )
    months = {f"2026-{m:02d}": 50.0 for m in range(1, 11)}
    snap = SnapshotBuilder(catalog, stored_values({"SALES": months})).snapshot(
        "SALES", Period.parse("2026-10"), "city"
    )
    # 500 of 1200 done (41.7%) against 83.3% of the year: 41.7 points behind.
    assert round(snap.judgement.attainment, 1) == 41.7
    assert round(shortfall(snap), 3) == round((500 / 1200 * 100 - 1000 / 12) / -100, 3)
    [item] = attention_list([snap], {})
    assert item.concern is Concern.red


def test_a_figure_ahead_of_its_target_is_not_behind_it() -> None:
    b = builder({"AHEAD": {"2026-10": 99.0}, "BEHIND": {"2026-10": 85.0}})
    october = Period.parse("2026-10")
    ahead, behind = b.snapshot("AHEAD", october, "city"), b.snapshot("BEHIND", october, "city")
    assert ahead.judgement.gap == 9.0 and shortfall(ahead) == 0.0
    assert behind.judgement.gap == -5.0 and shortfall(behind) == 5 / 90


def test_a_lower_is_better_indicator_worsens_when_it_rises_materially() -> None:
    b = builder({"DOWN": {"2025-10": 100.0, "2026-10": 108.0}})  # +8%, lower is better
    snap = b.snapshot("DOWN", Period.parse("2026-10"), "city")
    assert moved_wrong_way(snap)
    [item] = attention_list([snap], {})
    assert item.concern is Concern.worsening
