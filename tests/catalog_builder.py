"""Build small catalogs in code for tests that need an indicator the fixtures lack."""

from __future__ import annotations

from typing import Any

import pandas as pd

from indicators.model import Deployment, Domain, Indicator
from indicators.registry import Catalog, Location, Topic

BASE: dict[str, Any] = {
    "domain": "economic",
    "topic": "t",
    "definition": "测试用：为单项计算构造的指标定义，口径完整。",
    "unit": "件",
    "frequency": "month",
    "nature": "flow",
    "direction": "up",
    "owner": "测试局",
    "source": {"connector": "test", "reads": "test"},
    "release": {"lag_days": 1},
}


def indicator(code: str, **fields: Any) -> Indicator:
    return Indicator.model_validate(
        {**BASE, "code": code, "name_zh": code, "name_en": code, **fields}
    )


def make_catalog(*indicators: Indicator) -> Catalog:
    deployment = Deployment.model_validate(
        {"city": {"code": "city", "name_zh": "测试市", "name_en": "Test"}, "districts": []}
    )
    return Catalog(
        indicators={ind.code: ind for ind in indicators},
        topics={(Domain.economic, "t"): Topic(Domain.economic, "t", "测试", "Test")},
        deployment=deployment,
        locations={ind.code: Location("test.yaml", 1) for ind in indicators},
    )


def stored_values(values: dict[str, dict[str, float]]) -> pd.DataFrame:
    """A store's rows for a SnapshotBuilder: city values by code and period label, all
    loaded by run 1 on 1 November 2026."""
    rows = [
        (code, period, "city", value, 1, pd.Timestamp("2026-11-01", tz="UTC"))
        for code, periods in values.items()
        for period, value in periods.items()
    ]
    columns = ["indicator_code", "period", "area", "value", "load_run_id", "loaded_at"]
    return pd.DataFrame(rows, columns=columns)
