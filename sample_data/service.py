"""The 政务服务 data warehouse (service_db): pre-aggregated DWS tables, as the 一体化平台's
warehouse publishes them to other systems.

Raw cases stay inside the platform; what a cockpit gets is the summary layer: monthly case
measures per district and department (`dws_service_month`), quarter-end item-catalogue
measures per district and department (`dws_item_quarter`), month-end account counts
(`dws_user_month`), quarter-end electronic-licence types (`dws_license_type_quarter`) and daily
registrations (`dws_user_day`). Counts are BIGINT and split over departments in whole
numbers, so SUM per district gives the model's value exactly; the other measures (days,
材料份数) are DOUBLE and come back equal to rounding.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import BigInteger, Column, Connection, Date, Double, MetaData, String, Table

from connectors.base import Progress
from indicators.model import Frequency
from sample_data import bulk
from sample_data.cohorts import apportion
from sample_data.model import CityModel
from sample_data.targets import frame, periods, truth

SOURCE = "service_db"
PEOPLE_PER_WAN = 10_000  # accounts are counted in 人; the catalog keeps them in 万人

# Measure column → indicator, per table. District tables are split over departments.
CASE_MONTH = {
    "accepted_cnt": "SVC_APPLICATIONS",
    "mobile_cnt": "SVC_APPS_MOBILE",
    "full_online_cnt": "SVC_APPS_FULL_ONLINE",
    "instant_cnt": "SVC_APPS_INSTANT",
    "esign_cnt": "SVC_ESIGN_APPS",
    "material_cnt": "SVC_MATERIALS_SUBMITTED",
    "e_material_cnt": "SVC_MATERIALS_ELECTRONIC",
    "finished_cnt": "SVC_APPS_CLOSED",
    "finished_on_time_cnt": "SVC_APPS_CLOSED_ON_TIME",
    "used_workdays_sum": "SVC_PROCESSING_DAYS_TOTAL",
    "onsite_visits_sum": "SVC_ONSITE_VISITS",
    "eval_cnt": "SVC_EVAL_TOTAL",
    "eval_satisfied_cnt": "SVC_EVAL_SATISFIED",
    "eval_negative_cnt": "SVC_EVAL_NEGATIVE",
    "eval_neg_rectified_cnt": "SVC_EVAL_NEG_RECTIFIED",
    "ecert_issued_cnt": "SVC_ECERT_ISSUED",
    "ecert_call_cnt": "SVC_ECERT_CALLS",
}
ITEM_QUARTER = {
    "items_on_application": "SVC_MATTERS",
    "items_zero_visit": "SVC_MATTERS_ZERO_VISIT",
    "baseline_materials": "SVC_MATERIALS_BASELINE",
    "current_materials": "SVC_MATERIALS_CURRENT",
    "legal_workdays_sum": "SVC_LEGAL_DAYS_TOTAL",
    "promised_workdays_sum": "SVC_PROMISED_DAYS_TOTAL",
}
USER_MONTH = {
    "natural_active": "SVC_USERS",
    "natural_realname": "SVC_USERS_REALNAME",
    "legal_active": "SVC_USERS_LEGAL",
}
LICENSE_QUARTER = {"issuing_types": "SVC_ECERT_TYPES"}
USER_DAY = {"new_natural_users": "SVC_NEW_USERS_DAILY"}
IN_PEOPLE = {"natural_active", "natural_realname"}  # stored in 人, read back ÷ 10,000
# 承办部门 and their usual share of a district's cases and items.
DEPARTMENTS = {
    "market": 0.24,  # 市场监管
    "hrss": 0.18,  # 人力社保
    "public_security": 0.16,
    "housing": 0.12,
    "civil_affairs": 0.08,
    "health": 0.08,
    "tax": 0.08,
    "other": 0.06,
}


@dataclass(frozen=True)
class Layout:
    """One warehouse table: its measures, the period it is kept by and its grain."""

    name: str
    date_column: str
    measures: Mapping[str, str]  # column → indicator
    frequency: Frequency
    by_department: bool  # district × department rows; else one city row per period
    snapshot: bool  # a stock, dated at the period's last day (a flow: at its first)


LAYOUTS = (
    Layout("dws_service_month", "stat_month", CASE_MONTH, Frequency.month, True, False),
    Layout("dws_item_quarter", "snapshot_date", ITEM_QUARTER, Frequency.quarter, True, True),
    Layout("dws_user_month", "snapshot_date", USER_MONTH, Frequency.month, False, True),
    Layout(
        "dws_license_type_quarter", "snapshot_date", LICENSE_QUARTER, Frequency.quarter, False, True
    ),
    Layout("dws_user_day", "stat_date", USER_DAY, Frequency.day, False, False),
)


@dataclass(frozen=True)
class Contents:
    """A table's measures over its periods: districts (split over departments when written)
    or the city; accounts in 人."""

    index: pd.PeriodIndex
    areas: list[str]
    values: dict[str, np.ndarray]  # column → periods × areas
    whole: dict[str, bool]  # column holds whole numbers (BIGINT)


def contents(model: CityModel, layout: Layout) -> Contents:
    index = periods(model, list(layout.measures.values()), layout.frequency)
    areas = model.districts if layout.by_department else [model.city]
    values = {}
    for column, code in layout.measures.items():
        exact = truth(model, code, index, areas)
        values[column] = np.rint(exact * PEOPLE_PER_WAN) if column in IN_PEOPLE else exact
    whole = {column: bool(np.all(v == np.round(v))) for column, v in values.items()}
    return Contents(index, areas, values, whole)


def expected(model: CityModel) -> dict[str, pd.DataFrame]:
    """What the configured queries return, per indicator (city = sum of districts)."""
    result = {}
    for layout in LAYOUTS:
        table = contents(model, layout)
        for column, code in layout.measures.items():
            values = table.values[column] / (PEOPLE_PER_WAN if column in IN_PEOPLE else 1)
            if layout.by_department:
                result[code] = frame(values, table.index, model)
            else:
                result[code] = pd.DataFrame(values, index=table.index, columns=table.areas)
    return result


def write(conn: Connection, model: CityModel, rng: np.random.Generator, progress: Progress) -> None:
    metadata = MetaData()
    filled = []
    for layout in LAYOUTS:
        table = contents(model, layout)
        filled.append((_table(metadata, layout, table), _rows(layout, table, rng)))
    bulk.create_tables(conn, metadata)
    for done, (table, rows) in enumerate(filled, start=1):
        bulk.insert(conn, table, rows)
        progress(SOURCE, done, len(filled))


def _table(metadata: MetaData, layout: Layout, table: Contents) -> Table:
    keys = [Column(layout.date_column, Date, primary_key=True)]
    if layout.by_department:
        keys += [
            Column("district_code", String(16), primary_key=True),
            Column("dept_code", String(16), primary_key=True),
        ]
    measures = [
        Column(column, BigInteger if table.whole[column] else Double, nullable=False)
        for column in layout.measures
    ]
    return Table(layout.name, metadata, *keys, *measures)


def _rows(layout: Layout, table: Contents, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """One row per period (and district × department)."""
    dates = np.array(
        [(p.end_time if layout.snapshot else p.start_time).date() for p in table.index],
        dtype="datetime64[D]",
    )
    if not layout.by_department:
        measures = {c: _typed(v[:, 0], table.whole[c]) for c, v in table.values.items()}
        return {layout.date_column: dates, **measures}
    departments = np.array(list(DEPARTMENTS), dtype=object)
    shares = np.array(list(DEPARTMENTS.values())) * rng.uniform(
        0.8, 1.2, (len(table.areas), len(departments))
    )
    periods_, districts = len(dates), len(table.areas)
    per_row = districts * len(departments)
    return {
        layout.date_column: np.repeat(dates, per_row),
        "district_code": np.tile(
            np.repeat(np.array(table.areas, dtype=object), len(departments)), periods_
        ),
        "dept_code": np.tile(departments, periods_ * districts),
        **{
            column: _typed(_split(values, shares, table.whole[column]).ravel(), table.whole[column])
            for column, values in table.values.items()
        },
    }


def _split(values: np.ndarray, shares: np.ndarray, whole: bool) -> np.ndarray:
    """periods × districts values over departments (periods × districts × departments);
    whole numbers stay whole and add up exactly."""
    if not whole:
        return values[:, :, None] * (shares / shares.sum(axis=1, keepdims=True))[None, :, :]
    split = np.empty((*values.shape, shares.shape[1]), dtype=np.int64)
    for (k, j), value in np.ndenumerate(values):
        split[k, j] = apportion(int(value), shares[j])
    return split


def _typed(values: np.ndarray, whole: bool) -> np.ndarray:
    return values.astype(np.int64) if whole else values.astype(float)
