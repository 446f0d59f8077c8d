"""The 12345 热线 database (hotline_db): one row per work order, and the ACD's hourly report.

`work_orders` holds every order as the hotline platform keeps it (accepted, dispatched,
fed back, closed, revisited; timestamps in 北京时间 wall-clock). The model says how many
orders of each district and month have each property; `plan` turns that into consistent
whole numbers (a part never exceeds its whole) and `write` draws orders that have exactly
those properties, so the configured GROUP BY queries give the plan back. Calls are not
kept one per row: `acd_intervals` is the call centre's hourly report (queue entries and
answers per hour), which is what ACD systems export.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)

from connectors.base import Progress
from indicators.model import Frequency
from sample_data import bulk, grid
from sample_data.cohorts import (
    carry_over,
    contradictions,
    next_month,
    pick,
    split_count,
    spread_total,
)
from sample_data.model import CityModel
from sample_data.targets import counts, frame, periods, truth

SOURCE = "hotline_db"
MINUTE, HOUR, DAY = 60, 3_600, 86_400

ACCEPTED = "SVC_HOTLINE_ACCEPTED"
DISPATCHED = "SVC_HOTLINE_DISPATCHED"
INSTANT = "SVC_HOTLINE_DISPATCHED_INSTANT"
DIRECT = "SVC_HOTLINE_DIRECT"
TO_GRID = "GOV_HOTLINE_TO_GRID"
FEEDBACK_DUE = "SVC_HOTLINE_FEEDBACK_DUE"
FEEDBACK_ON_TIME = "SVC_HOTLINE_FEEDBACK_ON_TIME"
CLOSED = "SVC_HOTLINE_CLOSED"
FIRST_CLOSED = "SVC_HOTLINE_FIRST_CLOSED"
REVISITED = "SVC_HOTLINE_REVISITED"
SATISFIED = "SVC_HOTLINE_SATISFIED"
HANDLING_DAYS = "SVC_HOTLINE_HANDLING_DAYS_TOTAL"
DISPUTES = "GOV_HOTLINE_DISPUTE_ORDERS"
ENVIRONMENT = "ECL_ENV_COMPLAINTS"
CALLS = "SVC_HOTLINE_CALLS"
ANSWERED = "SVC_HOTLINE_ANSWERED"
COUNTED = (
    ACCEPTED, DISPATCHED, INSTANT, DIRECT, TO_GRID, FEEDBACK_DUE, FEEDBACK_ON_TIME, CLOSED,
    FIRST_CLOSED, REVISITED, SATISFIED, DISPUTES, ENVIRONMENT,
)  # fmt: skip

DISPUTE_L1, ENVIRONMENT_L1 = "矛盾纠纷", "生态环境"
CATEGORIES = {
    DISPUTE_L1: ("邻里纠纷", "物业纠纷", "劳资纠纷", "婚姻家庭纠纷"),
    ENVIRONMENT_L1: ("大气污染", "水污染", "噪声扰民", "固废处置"),
    "城乡建设": ("物业管理", "房屋安全", "市政设施"),
    "交通出行": ("道路拥堵", "公交服务", "违章停车"),
    "社会保障": ("社保缴纳", "医保报销", "养老服务"),
    "市场监管": ("食品安全", "消费维权", "价格投诉"),
    "咨询求助": ("政策咨询", "办事指引"),
}
OTHER_L1 = [l1 for l1 in CATEGORIES if l1 not in (DISPUTE_L1, ENVIRONMENT_L1)]
CHANNELS = (("phone", 0.55), ("app", 0.2), ("wechat", 0.15), ("web", 0.1))
# Hours of the day calls arrive in (a call centre's usual curve), for the hourly report.
CALL_HOURS = np.array(
    [1, 1, 1, 1, 1, 2, 4, 8, 14, 16, 15, 13, 10, 12, 15, 15, 14, 12, 9, 7, 5, 4, 2, 1]
)
FEEDBACK_CARRY_SHARE = 0.2  # orders accepted late in a month fall due for feedback the next
DUPLICATE_SHARE = 0.03  # repeat calls merged into an earlier order (excluded everywhere)

metadata = MetaData()
WORK_ORDERS = Table(
    "work_orders",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("channel", String(12), nullable=False),
    Column("accepted_at", DateTime, nullable=False),
    Column("is_merged_duplicate", SmallInteger, nullable=False),  # 1: merged into another
    Column("urgency", String(8), nullable=False),  # urgent: dispatch in 30 min, feedback in 24 h
    Column("category_l1", String(16), nullable=False),
    Column("category_l2", String(16), nullable=False),
    Column("district_code", String(16)),  # 事发地所在区
    Column("grid_code", String(16)),
    Column("first_dispatched_at", DateTime),  # NULL: answered directly, never dispatched
    Column("dispatch_target", String(12)),  # grid / street / department
    Column("dispatch_hops", SmallInteger),  # 1: straight to the final handler
    Column("returned", SmallInteger, nullable=False),  # 退单 at least once
    Column("feedback_due_at", DateTime),  # with approved extensions; NULL: withdrawn
    Column("first_feedback_at", DateTime),
    Column("status", String(12), nullable=False),  # closed / processing
    Column("closed_at", DateTime),
    Column("deferred_seconds", Integer, nullable=False),  # 诉求人申请暂缓
    Column("reopen_count", SmallInteger, nullable=False),  # 重办 after revisit or review
    Column("revisit_result", String(12)),  # latest revisit: satisfied/basic/unsatisfied/…
)
ACD_INTERVALS = Table(
    "acd_intervals",
    metadata,
    Column("interval_start", DateTime, primary_key=True),
    Column("queue_calls", Integer, nullable=False),  # entered the agent queue
    Column("answered_calls", Integer, nullable=False),  # picked up by an agent
)
INDEXES = {
    "ix_work_orders_accepted": ("work_orders", ("accepted_at", "district_code")),
    "ix_work_orders_dispatched": ("work_orders", ("first_dispatched_at", "district_code")),
    "ix_work_orders_feedback_due": ("work_orders", ("feedback_due_at", "district_code")),
}


@dataclass(frozen=True)
class HotlinePlan:
    """Whole numbers per month × district (rows) that the work orders must reproduce."""

    months: pd.PeriodIndex
    requested: dict[str, np.ndarray]  # the model's counts, which may contradict each other
    counts: dict[str, np.ndarray]  # indicator → months × districts, consistent
    feedback_carry: np.ndarray  # orders whose feedback falls due in the next month
    on_time_carried: np.ndarray  # of those, fed back on time (row: the month they fall due)
    handling_seconds: np.ndarray
    cells: np.ndarray  # active grid cells, for each order's grid code
    days: pd.PeriodIndex
    calls: np.ndarray  # per day, the city
    answered: np.ndarray

    def expected(self, model: CityModel) -> dict[str, pd.DataFrame]:
        """What the configured queries return, per indicator (city = sum of districts)."""
        values = {code: frame(v, self.months, model) for code, v in self.counts.items()}
        values[HANDLING_DAYS] = frame(self.handling_seconds / DAY, self.months, model)
        values[CALLS] = pd.DataFrame({model.city: self.calls}, index=self.days)
        values[ANSWERED] = pd.DataFrame({model.city: self.answered}, index=self.days)
        return values

    def adjusted(self) -> dict[str, int]:
        planned = {**self.counts, CALLS: self.calls, ANSWERED: self.answered}
        return contradictions(self.requested, planned)


def plan(model: CityModel, volume: float) -> HotlinePlan:
    codes = model.base_codes(SOURCE)
    months = periods(model, codes, Frequency.month)
    days = periods(model, codes, Frequency.day)
    r = {code: counts(model, code, months, volume) for code in COUNTED}
    r |= {code: np.rint(truth(model, code, days, [model.city])[:, 0]) for code in (CALLS, ANSWERED)}
    dispatched = np.minimum(r[DISPATCHED], r[ACCEPTED])
    closed = np.minimum(r[CLOSED], r[ACCEPTED])
    revisited = np.minimum(r[REVISITED], closed)
    disputes = np.minimum(r[DISPUTES], r[ACCEPTED])
    carry = np.zeros_like(dispatched)
    same = np.zeros_like(dispatched)
    for j in range(dispatched.shape[1]):
        carry[:, j], (same[:, j],) = carry_over(
            dispatched[:, j], [r[FEEDBACK_DUE][:, j]], FEEDBACK_CARRY_SHARE
        )
    carried_in = np.vstack([np.zeros((1, carry.shape[1]), dtype=np.int64), carry[:-1]])
    due = same + carried_in
    on_time = np.minimum(r[FEEDBACK_ON_TIME], due)
    share_carried = np.rint(on_time * carried_in / np.maximum(due, 1)).astype(np.int64)
    handling_days = truth(model, HANDLING_DAYS, months, model.districts) * volume
    return HotlinePlan(
        months=months,
        requested=r,
        counts={
            ACCEPTED: r[ACCEPTED],
            DISPATCHED: dispatched,
            INSTANT: np.minimum(r[INSTANT], dispatched),
            DIRECT: np.minimum(r[DIRECT], dispatched),
            TO_GRID: np.minimum(r[TO_GRID], dispatched),
            FEEDBACK_DUE: due,
            FEEDBACK_ON_TIME: on_time,
            CLOSED: closed,
            FIRST_CLOSED: np.minimum(r[FIRST_CLOSED], closed),
            REVISITED: revisited,
            SATISFIED: np.minimum(r[SATISFIED], revisited),
            DISPUTES: disputes,
            ENVIRONMENT: np.minimum(r[ENVIRONMENT], r[ACCEPTED] - disputes),
        },
        feedback_carry=carry,
        on_time_carried=np.minimum(carried_in, np.maximum(on_time - same, share_carried)),
        handling_seconds=np.where(closed > 0, np.rint(handling_days * DAY), 0).astype(np.int64),
        cells=np.rint(truth(model, grid.CELLS, months, model.districts)).astype(np.int64),
        days=days,
        calls=r[CALLS].astype(np.int64),
        answered=np.minimum(r[ANSWERED], r[CALLS]).astype(np.int64),
    )


def write(
    conn: Connection,
    model: CityModel,
    hotline: HotlinePlan,
    rng: np.random.Generator,
    progress: Progress,
) -> None:
    bulk.create_tables(conn, metadata)
    next_id = 1
    for k in range(len(hotline.months)):
        parts = [
            _orders(rng, hotline, k, j, district) for j, district in enumerate(model.districts)
        ]
        next_id += bulk.insert_numbered(conn, WORK_ORDERS, parts, next_id)
        progress(SOURCE, k + 1, len(hotline.months))
    bulk.insert(conn, ACD_INTERVALS, _intervals(rng, hotline))
    bulk.create_indexes(conn, INDEXES)


def _orders(
    rng: np.random.Generator, hotline: HotlinePlan, k: int, j: int, district: str
) -> dict[str, np.ndarray]:
    """The orders one district accepted in one month, with exactly the planned properties."""
    c = {code: int(v[k, j]) for code, v in hotline.counts.items()}
    n = c[ACCEPTED]
    month = hotline.months[k]
    length = month.days_in_month * DAY
    start = np.datetime64(month.start_time.date(), "s")

    # Dispatch, and when feedback falls due: this month, the next, or never (withdrawn).
    dispatched = rng.permutation(n) < c[DISPATCHED]
    carry = int(hotline.feedback_carry[k, j])
    same = c[FEEDBACK_DUE] - (int(hotline.feedback_carry[k - 1, j]) if k else 0)
    carried = pick(rng, dispatched, carry)
    due_here = pick(rng, dispatched & ~carried, same)
    urgent = pick(rng, due_here | ~dispatched, round(0.08 * n))
    instant = pick(rng, dispatched, c[INSTANT])
    direct = pick(rng, dispatched, c[DIRECT])
    to_grid = pick(rng, dispatched, c[TO_GRID])

    # Closure prefers orders answered directly; parts of the closed ones after it.
    closed = np.zeros(n, dtype=bool)
    closed[np.argsort(rng.random(n) + dispatched, kind="stable")[: c[CLOSED]]] = True
    first = pick(rng, closed, c[FIRST_CLOSED])
    revisited = pick(rng, closed, c[REVISITED])
    satisfied = pick(rng, revisited, c[SATISFIED])
    returned = ~direct & dispatched & closed & ~first & (rng.random(n) < 0.3)

    categories = rng.permutation(n)
    is_dispute = categories < c[DISPUTES]
    is_environment = (categories >= c[DISPUTES]) & (categories < c[DISPUTES] + c[ENVIRONMENT])

    # Times, in seconds from the month's start. Feedback due this month needs the order
    # accepted at least 9 days before the month ends; carried orders come in its last week.
    accepted = rng.integers(0, length - DAY, n)
    accepted[due_here] = rng.integers(0, length - 9 * DAY, int(due_here.sum()))
    accepted[carried] = rng.integers(length - 6 * DAY, length - DAY, int(carried.sum()))
    limit = np.where(urgent, 30 * MINUTE, 2 * HOUR)
    delay = np.where(
        instant,
        rng.integers(2 * MINUTE, limit + 1),
        rng.integers(limit + 1, np.where(urgent, 6 * HOUR, 20 * HOUR)),
    )
    dispatch_at = accepted + delay
    has_due = due_here | carried
    due_at = dispatch_at + np.where(urgent, DAY, 7 * DAY)
    on_time = pick(rng, due_here, c[FEEDBACK_ON_TIME] - next_month(hotline.on_time_carried, k, j))
    on_time |= pick(rng, carried, next_month(hotline.on_time_carried, k + 1, j))
    feedback_at = np.where(
        on_time,
        dispatch_at + (rng.uniform(0.2, 0.95, n) * (due_at - dispatch_at)).astype(np.int64),
        due_at + rng.integers(HOUR, 5 * DAY, n),
    )
    handling = np.zeros(n, dtype=np.int64)
    weights = rng.gamma(2.0, 1.0, int(closed.sum())) * np.where(dispatched[closed], 1.0, 0.1)
    caps = np.full(len(weights), 90 * DAY)
    handling[closed] = spread_total(int(hotline.handling_seconds[k, j]), caps, weights)
    deferred = np.where(closed & (rng.random(n) < 0.04), rng.integers(DAY, 3 * DAY, n), 0)

    l1 = np.array(OTHER_L1, dtype=object)[rng.integers(0, len(OTHER_L1), n)]
    l1[is_dispute], l1[is_environment] = DISPUTE_L1, ENVIRONMENT_L1
    l2 = np.empty(n, dtype=object)
    for name, subcategories in CATEGORIES.items():
        chosen = l1 == name
        l2[chosen] = np.array(subcategories, dtype=object)[
            rng.integers(0, len(subcategories), chosen.sum())
        ]
    cells = int(hotline.cells[k, j])
    grid_codes = np.array(grid.cell_codes(district, max(cells, 1)), dtype=object)
    target = np.where(to_grid, "grid", np.where(rng.random(n) < 0.5, "street", "department"))
    revisit = np.where(satisfied, np.where(rng.random(n) < 0.7, "satisfied", "basic"), "")
    revisit = np.where(revisited & ~satisfied, "unsatisfied", revisit)
    revisit = np.where(
        closed & ~revisited, np.where(rng.random(n) < 0.6, "unreachable", "refused"), revisit
    )
    orders = {
        "channel": bulk.choose(rng, CHANNELS, n),
        "accepted_at": bulk.times(start, accepted, np.ones(n, dtype=bool)),
        "is_merged_duplicate": np.zeros(n, dtype=np.int64),
        "urgency": np.where(urgent, "urgent", "normal").astype(object),
        "category_l1": l1,
        "category_l2": l2,
        "district_code": np.full(n, district, dtype=object),
        "grid_code": grid_codes[rng.integers(0, len(grid_codes), n)] if cells else bulk.nulls(n),
        "first_dispatched_at": bulk.times(start, dispatch_at, dispatched),
        "dispatch_target": bulk.nullable(target, dispatched),
        "dispatch_hops": bulk.nullable(np.where(direct, 1, 2), dispatched),
        "returned": returned.astype(np.int64),
        "feedback_due_at": bulk.times(start, due_at, has_due),
        "first_feedback_at": bulk.times(start, feedback_at, has_due),
        "status": np.where(closed, "closed", "processing").astype(object),
        "closed_at": bulk.times(start, accepted + handling + deferred, closed),
        "deferred_seconds": deferred.astype(np.int64),
        "reopen_count": (closed & ~first & ~returned).astype(np.int64),
        "revisit_result": bulk.nullable(revisit, closed),
    }
    return _with_duplicates(rng, orders, round(DUPLICATE_SHARE * n), start, length)


def _with_duplicates(
    rng: np.random.Generator,
    orders: dict[str, np.ndarray],
    count: int,
    start: np.datetime64,
    length: int,
) -> dict[str, np.ndarray]:
    """Add repeat calls merged into an earlier order: closed at once, never dispatched."""
    accepted = start + rng.integers(0, length - DAY, count).astype("timedelta64[s]")
    return bulk.with_copies(
        rng,
        orders,
        count,
        accepted_at=accepted,
        is_merged_duplicate=np.ones(count, dtype=np.int64),
        first_dispatched_at=bulk.no_times(count),
        dispatch_target=bulk.nulls(count),
        dispatch_hops=bulk.nulls(count),
        returned=np.zeros(count, dtype=np.int64),
        feedback_due_at=bulk.no_times(count),
        first_feedback_at=bulk.no_times(count),
        status=np.full(count, "closed", dtype=object),
        closed_at=accepted + np.timedelta64(10 * MINUTE, "s"),
        deferred_seconds=np.zeros(count, dtype=np.int64),
        reopen_count=np.zeros(count, dtype=np.int64),
        revisit_result=bulk.nulls(count),
    )


def _intervals(rng: np.random.Generator, hotline: HotlinePlan) -> dict[str, np.ndarray]:
    """The ACD's hourly report: each day's calls over its hours, answers among them."""
    queue = np.vstack([split_count(rng, total, CALL_HOURS) for total in hotline.calls])
    answered = np.vstack(
        [
            rng.multivariate_hypergeometric(hours, int(count))
            for hours, count in zip(queue, hotline.answered, strict=True)
        ]
    )
    starts = np.datetime64(hotline.days[0].start_time.date(), "s")
    hours = starts + np.arange(len(hotline.days) * 24).astype("timedelta64[h]")
    return {
        "interval_start": hours.astype("datetime64[s]"),
        "queue_calls": queue.ravel(),
        "answered_calls": answered.ravel(),
    }
