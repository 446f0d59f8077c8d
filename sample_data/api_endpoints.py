"""What the sample bureaus' data-sharing API serves: one table of records per endpoint.

市生态环境局 (env_api) and 市大数据中心 (ops_api) publish aggregated figures per period and,
where the indicator has them, per district (the city's own row included), as a bureau's
数据共享接口 does. Every base indicator of the two sources is served by exactly one field
of one endpoint; values are the model's 当期 figures rounded as the bureau publishes them,
and null where a period is not published yet (a field whose release comes later).
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from connectors.cells import convert_unit
from indicators.model import Indicator
from sample_data.model import CityModel


@dataclass(frozen=True)
class Served:
    key: str  # the record's JSON key
    code: str  # the indicator it carries
    unit: str | None = None  # the unit the bureau reports in, when not the catalog's


@dataclass(frozen=True)
class ApiEndpoint:
    path: str
    source: str
    title_zh: str
    fields: tuple[Served, ...]


def _endpoint(path: str, source: str, title_zh: str, *fields: Served) -> ApiEndpoint:
    return ApiEndpoint(path, source, title_zh, fields)


ENV, OPS = "env_api", "ops_api"
ENDPOINTS: tuple[ApiEndpoint, ...] = (
    _endpoint(
        "/air/monthly",
        ENV,
        "环境空气质量月度统计（分区）",
        Served("good_days", "ECL_AQI_GOOD_DAYS"),
        Served("valid_days", "ECL_AQI_VALID_DAYS"),
        Served("heavy_pollution_days", "ECL_HEAVY_POLLUTION_DAYS"),
        Served("pm25_avg", "ECL_PM25"),
        Served("pm10_avg", "ECL_PM10"),
        Served("o3_8h_p90", "ECL_O3_8H_P90"),
        Served("composite_index", "ECL_AIR_QUALITY_COMPOSITE"),
    ),
    _endpoint(
        "/water/sections",
        ENV,
        "国省控地表水断面月度评价（分区）",
        Served("evaluated", "ECL_WATER_SECTIONS_EVALUATED"),
        Served("class_i_to_iii", "ECL_WATER_SECTIONS_GOOD"),
        Served("worse_than_v", "ECL_WATER_SECTIONS_WORSE_V"),
    ),
    _endpoint(
        "/water/drinking_sources",
        ENV,
        "集中式饮用水水源地月度监测（分区）",
        Served("monitored", "ECL_DRINKING_SOURCES"),
        Served("compliant", "ECL_DRINKING_SOURCES_COMPLIANT"),
    ),
    _endpoint(
        "/cloud/capacity",
        OPS,
        "政务云资源容量（月末）",
        Served("vcpu_total", "INF_CLOUD_VCPU_TOTAL"),
        Served("vcpu_allocated", "INF_CLOUD_VCPU_ALLOCATED"),
        Served("storage_total_tb", "INF_CLOUD_STORAGE_TOTAL"),
        Served("storage_used_tb", "INF_CLOUD_STORAGE_USED"),
    ),
    _endpoint(
        "/cloud/metrics",
        OPS,
        "政务云运行指标（月）",
        Served("cpu_util_vcpu_weighted", "INF_CLOUD_CPU_UTIL"),
    ),
    _endpoint(
        "/cmdb/systems",
        OPS,
        "政务信息系统台账（月末）",
        Served("running_systems", "INF_GOV_SYSTEMS_TOTAL"),
        Served("on_cloud_systems", "INF_CLOUD_SYSTEMS"),
    ),
    _endpoint(
        "/network/egov/availability",
        OPS,
        "电子政务外网可用性（日）",
        Served("scheduled_minutes", "INF_EGOV_NET_SERVICE_MIN"),
        Served("unplanned_down_minutes", "INF_EGOV_NET_DOWNTIME_MIN"),
    ),
    _endpoint(
        "/network/metro/bandwidth",
        OPS,
        "城域网出口带宽（日峰值）",
        Served("peak_5min_util", "INF_MAN_BANDWIDTH_PEAK_UTIL"),
    ),
    _endpoint(
        "/api-gateway/stats",
        OPS,
        "数据共享接口调用量（日）",
        Served("calls_2xx", "INF_API_CALLS", unit="次"),
    ),
    _endpoint(
        "/data-platform/stats",
        OPS,
        "公共数据平台汇聚与交换（月）",
        Served("volume_tb", "INF_DATA_VOLUME"),
        Served("published_catalogs", "INF_DATA_CATALOGS"),
        Served("exchange_runs", "INF_DATA_EXCHANGES", unit="次"),
    ),
    _endpoint(
        "/data-platform/requests",
        OPS,
        "数据共享需求办理（月）",
        Served("due", "INF_SHARE_REQUESTS"),
        Served("answered_on_time", "INF_SHARE_REQUESTS_ONTIME"),
    ),
    _endpoint(
        "/data-platform/quality",
        OPS,
        "数据质量问题（月）",
        Served("issues_found", "INF_DQ_ISSUES"),
        Served("fixed_within_sla", "INF_DQ_ISSUES_FIXED"),
    ),
    _endpoint(
        "/open-data/datasets",
        OPS,
        "公共数据开放（月末）",
        Served("open_datasets", "INF_OPEN_DATASETS"),
    ),
    _endpoint(
        "/soc/monthly",
        OPS,
        "网络安全运营（月）",
        Served("alerts", "INF_SEC_ALERTS"),
        Served("alerts_closed_in_sla", "INF_SEC_ALERTS_IN_SLA"),
        Served("high_vulns_due", "INF_SEC_HIGH_VULNS"),
        Served("high_vulns_fixed", "INF_SEC_HIGH_VULNS_FIXED"),
        Served("incidents", "INF_SEC_INCIDENTS"),
    ),
    _endpoint(
        "/citybrain/stats",
        OPS,
        "城市大脑接入与场景（月末）",
        Served("connected_systems", "INF_CB_SYSTEMS"),
        Served("online_scenarios", "INF_CB_SCENARIOS"),
    ),
    _endpoint(
        "/iot/devices",
        OPS,
        "物联感知设备（日末，分区）",
        Served("registered", "INF_IOT_DEVICES"),
        Served("online", "INF_IOT_DEVICES_ONLINE"),
    ),
)


def served_decimals(ind: Indicator, unit: str | None) -> int:
    """The catalog's decimals, carried into the served unit (0.01 万次 is a whole 次)."""
    if unit is None:
        return ind.decimals
    shift = round(math.log10(convert_unit(1.0, ind.unit, unit)))
    return max(ind.decimals - shift, 0)


@dataclass(frozen=True)
class Table:
    """An endpoint's records, sorted by period, with their labels for `since` look-ups."""

    endpoint: ApiEndpoint
    frequency: str
    records: tuple[dict[str, Any], ...]
    labels: tuple[str, ...]

    def since(self, label: str | None) -> tuple[dict[str, Any], ...]:
        """Records of `label` and later (labels sort within a frequency)."""
        if label is None:
            return self.records
        return self.records[bisect.bisect_left(self.labels, label) :]


def build_table(model: CityModel, endpoint: ApiEndpoint) -> Table:
    indicators = [model.catalog.get(field.code) for field in endpoint.fields]
    first = indicators[0]
    if any(
        ind.frequency is not first.frequency or ind.areas is not first.areas for ind in indicators
    ):
        raise ValueError(f"{endpoint.path}: fields of one endpoint share frequency and areas")
    pairs = zip(endpoint.fields, indicators, strict=True)
    frames = [_served_frame(model, field, ind) for field, ind in pairs]
    index = frames[0].index
    for frame in frames[1:]:
        index = index.union(frame.index)
    areas = model.catalog.deployment
    names = {area.code: area.name_zh for area in areas.areas}
    columns = [frame.reindex(index).to_numpy(dtype=object) for frame in frames]
    records: list[dict[str, Any]] = []
    for row, period in enumerate(index):
        for col, area in enumerate(model.areas(first)):
            record: dict[str, Any] = {"period": str(period)}
            if len(model.areas(first)) > 1:
                record |= {"area_code": area, "area_name": names[area]}
            for field, values in zip(endpoint.fields, columns, strict=True):
                record[field.key] = _json_number(values[row, col])
            records.append(record)
    labels = tuple(record["period"] for record in records)
    return Table(endpoint, first.frequency.value, tuple(records), labels)


def _served_frame(model: CityModel, field: Served, ind: Indicator) -> pd.DataFrame:
    frame = model.frame(field.code)[model.areas(ind)]
    if field.unit is not None:
        frame = frame * convert_unit(1.0, ind.unit, field.unit)
    return frame.round(served_decimals(ind, field.unit))


def _json_number(value: Any) -> float | int | None:
    """Whole numbers as JSON integers, gaps (NaN, not published yet) as null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    number = float(value)
    return int(number) if number.is_integer() else number
