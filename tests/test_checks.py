"""Cross-indicator catalog rules, and YAML that must become problem lines, not tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from indicators.checks import check_catalog
from indicators.model import Deployment, Indicator
from indicators.periods import Period
from indicators.registry import load_catalog
from indicators.targets import Status, judge
from tests.catalog_builder import indicator, make_catalog
from tests.conftest import FIXTURE_CATALOG


def messages(*indicators: Indicator) -> list[str]:
    return [f"{p.code}: {p.field}: {p.message}" for p in check_catalog(make_catalog(*indicators))]


def test_ratio_parts_must_agree_on_a_merged_january_february() -> None:
    assert messages(
        indicator("PART", merged_jan_feb=True),
        indicator("WHOLE"),
        indicator("SHARE", kind="ratio", numerator="PART", denominator="WHOLE", nature="rate"),
    ) == ["SHARE: numerator: input PART differs on merged_jan_feb (1–2月 merged release)"]


def test_supplied_growth_must_share_the_frequency() -> None:
    assert messages(
        indicator("GDP", growth="supplied", supplied_growth={"ytd_yoy": "GDP_RATE"}),
        indicator(
            "GDP_RATE", unit="%", nature="rate", frequency="quarter", growth="none",
            rate_window="ytd",
        ),
    ) == ["GDP: supplied_growth.ytd_yoy: GDP_RATE is quarter, not month"]  # fmt: skip


def test_a_supplied_rate_covers_the_months_its_total_says() -> None:
    rate = {"unit": "%", "nature": "rate", "growth": "none"}
    assert messages(
        indicator(
            "RETAIL", growth="supplied", supplied_growth={"ytd_yoy": "CUMULATIVE", "yoy": "MONTHLY"}
        ),
        indicator("CUMULATIVE", **rate),
        indicator("MONTHLY", rate_window="ytd", growth_of="社会消费品零售总额", **rate),
    ) == [
        "RETAIL: supplied_growth.yoy: MONTHLY is a yoy rate, so it needs rate_window: period",
        "RETAIL: supplied_growth.yoy: MONTHLY names growth_of, but RETAIL is its total",
        "RETAIL: supplied_growth.ytd_yoy: CUMULATIVE is a ytd_yoy rate, so it needs rate_window: ytd",
    ]


def test_annual_total_target_must_be_positive() -> None:
    assert messages(
        indicator("CAP", target={"basis": "annual_total", "value": 0}, rag={"rule": "schedule"})
    ) == ["CAP: target: an annual total target must be positive (完成率 divides by it)"]


def test_threshold_with_yearly_targets_only_is_accepted_and_judged() -> None:
    rate = indicator(
        "RATE",
        unit="%",
        nature="rate",
        target={"basis": "level", "by_year": {2026: 95}},
        rag={"rule": "threshold", "amber": 90},
    )
    assert messages(rate) == []
    assert judge(rate, Period.parse("2026-10"), 96.0, None).status is Status.green
    assert judge(rate, Period.parse("2025-10"), 96.0, None).status is Status.unknown


def test_schedule_without_a_target_for_the_year_is_unknown_not_silent() -> None:
    total = indicator(
        "TOTAL", target={"basis": "annual_total", "by_year": {2026: 100}}, rag={"rule": "schedule"}
    )
    assert judge(total, Period.parse("2025-06"), 10.0, 50.0).status is Status.unknown


def test_goalposts_must_rise() -> None:
    assert messages(
        indicator("CHILD", nature="rate"),
        indicator(
            "INDEX",
            kind="composite",
            nature="rate",
            children=[{"code": "CHILD", "weight": 1, "lower": 90, "upper": 10}],
        ),
    ) == ["INDEX: children.0.upper: the upper goalpost must be above the lower one"]


def test_nan_and_infinite_targets_are_refused() -> None:
    with pytest.raises(ValidationError, match="finite number"):
        indicator("NAN_TARGET", target={"basis": "level", "value": float("nan")})


def test_area_codes_must_be_unique() -> None:
    with pytest.raises(ValidationError, match="area codes used twice: city"):
        Deployment.model_validate(
            {
                "city": {"code": "city", "name_zh": "市", "name_en": "City"},
                "districts": [{"code": "city", "name_zh": "区", "name_en": "District"}],
            }
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("domain: economic\ntopics: &a [*a]\nindicators: []\n", "yaml: an alias refers to itself"),
        (
            "domain: economic\ntopics:\n  1: {name_zh: 产出, name_en: Output}\n"
            "indicators:\n  - {code: XX, name_zh: 某指标, name_en: Some, topic: prices,\n"
            "     definition: 测试用：主题键为数字时也应给出问题行而非崩溃。, unit: 件,\n"
            "     frequency: month, nature: flow, direction: up, owner: 测试局,\n"
            "     source: {connector: t, reads: t}, release: {lag_days: 1}}\n",
            "'prices' is not declared in topics (declared: 1)",
        ),
        ("domain: money\ntopics: {}\nindicators: []\n", "domain: must be one of"),
        ("- just a list\n", "file: expected a mapping"),
    ],
)
def test_odd_yaml_gives_problem_lines(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "areas.yaml").write_text(
        (FIXTURE_CATALOG / "areas.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "x.yaml").write_text(text, encoding="utf-8")
    problems = [str(p) for p in load_catalog(tmp_path).problems]
    assert any(expected in p for p in problems), problems
