"""The 网格化社会治理 platform's database (grid_db): one row per event, and monthly cell records.

`events` holds every event the platform registered (patrol reports, 12345 transfers, 随手拍,
department hand-overs), with its deadline, closure and suspended time; repeat reports merged
by the platform stay in the table flagged `is_duplicate`. An event registered late in a month
falls due and is closed in the next, so the plan carries some events over (cohorts.carry_over)
to make the counts by registration, deadline and closure month all come out as planned.
`grid_cell_month` is the platform's monthly 网格考核 record: one row per cell and month with
whether the cell was in force and on how many days it was validly patrolled.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
)

from connectors.base import Progress
from indicators.model import Frequency
from sample_data import bulk
from sample_data.cohorts import carry_over, contradictions, next_month, pick, spread_total
from sample_data.model import CityModel
from sample_data.targets import counts, frame, periods, truth

SOURCE = "grid_db"
HOUR, DAY = 3_600, 86_400

REPORTED = "GOV_GRID_EVENTS_REPORTED"
SELF_FOUND = "GOV_GRID_EVENTS_SELF_FOUND"
CLOSED = "GOV_GRID_EVENTS_CLOSED"
DUE = "GOV_GRID_EVENTS_DUE"
CLOSED_ON_TIME = "GOV_GRID_EVENTS_CLOSED_ON_TIME"
HANDLING_HOURS = "GOV_GRID_HANDLING_HOURS"
CELLS = "GOV_GRID_CELLS"
PATROLLED = "GOV_GRID_CELLS_PATROLLED"
COUNTED = (REPORTED, SELF_FOUND, CLOSED, DUE, CLOSED_ON_TIME)  # records: scaled by volume

CARRY_SHARE = 0.15  # events registered in a month's last week fall due (and close) the next
DUPLICATE_SHARE = 0.04
PATROL_DAYS_REQUIRED = 20
LIMITS = np.array([72, 120, 168]) * HOUR  # 处置时限 by event type
CARRIED_LIMIT = 168 * HOUR
OTHER_SOURCES = (("citizen_app", 0.6), ("department", 0.4))
CATEGORIES = (
    ("市容环境", 0.3),
    ("市政设施", 0.2),
    ("治安隐患", 0.12),
    ("安全生产", 0.12),
    ("矛盾纠纷", 0.1),
    ("违法建设", 0.08),
    ("其他", 0.08),
)

metadata = MetaData()
EVENTS = Table(
    "events",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("registered_at", DateTime, nullable=False),  # 立案
    Column("source", String(12), nullable=False),  # patrol / hotline / citizen_app / department
    Column("category", String(16), nullable=False),
    Column("district_code", String(16)),
    Column("cell_code", String(16)),
    Column("due_at", DateTime),  # 处置时限 incl. approved extensions; NULL: no time limit
    Column("status", String(12), nullable=False),  # closed / processing / merged
    Column("closed_at", DateTime),  # 审核结案
    Column("suspended_seconds", Integer, nullable=False),  # 挂起, waiting for the citizen
    Column("is_duplicate", SmallInteger, nullable=False),  # merged into an earlier event
)
CELL_MONTHS = Table(
    "grid_cell_month",
    metadata,
    Column("stat_month", Date, primary_key=True),
    Column("cell_code", String(16), primary_key=True),
    Column("district_code", String(16), nullable=False),
    Column("is_active", SmallInteger, nullable=False),  # in force at the month's end
    Column("patrol_days", SmallInteger, nullable=False),  # days with a valid patrol track
)
INDEXES = {
    "ix_events_registered": ("events", ("registered_at", "district_code")),
    "ix_events_closed": ("events", ("closed_at", "district_code")),
    "ix_events_due": ("events", ("due_at", "district_code")),
}


def cell_codes(district: str, count: int) -> list[str]:
    """Names of a district's cells, e.g. BI-012 (the district code's first two letters)."""
    prefix = district[:2].upper()
    return [f"{prefix}-{number:03d}" for number in range(1, count + 1)]


@dataclass(frozen=True)
class GridPlan:
    """Whole numbers per month × district (rows) that the events and cells must reproduce."""

    months: pd.PeriodIndex
    requested: dict[str, np.ndarray]  # the model's counts, which may contradict each other
    counts: dict[str, np.ndarray]  # indicator → months × districts, consistent
    from_hotline: np.ndarray  # events transferred from 12345
    carry: np.ndarray  # events falling due and closed in the month after they came in
    on_time_carried: np.ndarray  # of those, closed on time (row: the month they fall due)
    handling_seconds: np.ndarray  # by closure month
    carried_seconds: np.ndarray  # of which the carried events' (row: their closure month)

    def expected(self, model: CityModel) -> dict[str, pd.DataFrame]:
        """What the configured queries return, per indicator (city = sum of districts)."""
        values = {code: frame(v, self.months, model) for code, v in self.counts.items()}
        values[HANDLING_HOURS] = frame(self.handling_seconds / HOUR, self.months, model)
        return values

    def adjusted(self) -> dict[str, int]:
        return contradictions(self.requested, self.counts)


def plan(model: CityModel, volume: float, hotline_to_grid: pd.DataFrame) -> GridPlan:
    """`hotline_to_grid`: the 12345 orders dispatched to the grid (months × districts), of
    which as many as fit become this platform's hotline events."""
    months = periods(model, model.base_codes(SOURCE), Frequency.month)
    transferred = hotline_to_grid.reindex(months, fill_value=0)[model.districts].to_numpy()
    r = {code: counts(model, code, months, volume) for code in COUNTED}
    r |= {code: counts(model, code, months, 1.0) for code in (CELLS, PATROLLED)}  # not scaled
    reported = r[REPORTED]
    self_found = np.minimum(r[SELF_FOUND], reported)
    carry = np.zeros_like(reported)
    same_due = np.zeros_like(reported)
    same_closed = np.zeros_like(reported)
    for j in range(reported.shape[1]):
        carry[:, j], (same_due[:, j], same_closed[:, j]) = carry_over(
            reported[:, j], [r[DUE][:, j], r[CLOSED][:, j]], CARRY_SHARE
        )
    carried_in = np.vstack([np.zeros((1, carry.shape[1]), dtype=np.int64), carry[:-1]])
    closed = same_closed + carried_in
    candidates = np.minimum(same_due, same_closed) + carried_in  # due this month and closed
    on_time = np.minimum(r[CLOSED_ON_TIME], candidates)
    share = np.rint(on_time * carried_in / np.maximum(candidates, 1)).astype(np.int64)
    hours = truth(model, HANDLING_HOURS, months, model.districts) * volume
    seconds = np.where(closed > 0, np.rint(hours * HOUR), 0).astype(np.int64)
    return GridPlan(
        months=months,
        requested=r,
        counts={
            REPORTED: reported,
            SELF_FOUND: self_found,
            DUE: same_due + carried_in,
            CLOSED: closed,
            CLOSED_ON_TIME: on_time,
            CELLS: r[CELLS],
            PATROLLED: np.minimum(r[PATROLLED], r[CELLS]),
        },
        from_hotline=np.minimum(transferred, reported - self_found),
        carry=carry,
        on_time_carried=np.minimum(
            carried_in, np.maximum(on_time - candidates + carried_in, share)
        ),
        handling_seconds=seconds,
        carried_seconds=np.rint(seconds * carried_in / np.maximum(closed, 1)).astype(np.int64),
    )


def write(
    conn: Connection,
    model: CityModel,
    grid: GridPlan,
    rng: np.random.Generator,
    progress: Progress,
) -> None:
    bulk.create_tables(conn, metadata)
    next_id = 1
    for k in range(len(grid.months)):
        parts = [_events(rng, grid, k, j, district) for j, district in enumerate(model.districts)]
        next_id += bulk.insert_numbered(conn, EVENTS, parts, next_id)
        bulk.insert(conn, CELL_MONTHS, _cell_month(rng, grid, k, model.districts))
        progress(SOURCE, k + 1, len(grid.months))
    bulk.create_indexes(conn, INDEXES)


def _events(
    rng: np.random.Generator, grid: GridPlan, k: int, j: int, district: str
) -> dict[str, np.ndarray]:
    """The events one district registered in one month, with exactly the planned properties."""
    c = {code: int(v[k, j]) for code, v in grid.counts.items()}
    n = c[REPORTED]
    month = grid.months[k]
    length = month.days_in_month * DAY
    next_length = (month + 1).days_in_month * DAY
    start = np.datetime64(month.start_time.date(), "s")
    carried_in = int(grid.carry[k - 1, j]) if k else 0

    # Roles: carried into next month, or due / closed this month (both, either, neither).
    carried = rng.permutation(n) < int(grid.carry[k, j])
    same_due, same_closed = c[DUE] - carried_in, c[CLOSED] - carried_in
    both = min(same_due, same_closed)
    due_and_closed = pick(rng, ~carried, both)
    due_open = pick(rng, ~carried & ~due_and_closed, same_due - both)
    closed_no_due = pick(rng, ~carried & ~due_and_closed & ~due_open, same_closed - both)
    has_due = carried | due_and_closed | due_open
    closed = carried | due_and_closed | closed_no_due
    on_time = pick(rng, due_and_closed, c[CLOSED_ON_TIME] - next_month(grid.on_time_carried, k, j))
    on_time |= pick(rng, carried, next_month(grid.on_time_carried, k + 1, j))

    # Times in seconds from the month's start: due this month needs registration 9 days
    # before its end; carried events come in its last week with a 7-day limit.
    registered = rng.integers(0, length - 9 * DAY, n)
    registered[carried] = rng.integers(length - 6 * DAY, length - DAY, int(carried.sum()))
    limit = np.where(carried, CARRIED_LIMIT, LIMITS[rng.integers(0, len(LIMITS), n)])
    due_at = registered + limit
    # The window closure must fall in: before the deadline if on time, after it if late,
    # within this month (or the next, for carried events).
    month_end = np.where(carried, length + next_length, length) - 1
    low = np.where(on_time, np.where(carried, length, registered), due_at + 1)
    low = np.where(has_due, low, registered)
    high = np.where(on_time, due_at, month_end)
    handling = np.zeros(n, dtype=np.int64)
    for group, total in (
        (closed & ~carried, int(grid.handling_seconds[k, j] - grid.carried_seconds[k, j])),
        (carried, next_month(grid.carried_seconds, k + 1, j)),
    ):
        caps = (high - registered)[group]
        handling[group] = spread_total(total, caps, rng.gamma(2.0, 1.0, len(caps)))
    earliest = np.maximum(low, registered + handling)
    closed_at = earliest + (rng.uniform(0, 0.3, n) * (high - earliest)).astype(np.int64)

    source = bulk.choose(rng, OTHER_SOURCES, n)
    kinds = rng.permutation(n)
    source[kinds < c[SELF_FOUND]] = "patrol"
    hotline = (kinds >= c[SELF_FOUND]) & (kinds < c[SELF_FOUND] + int(grid.from_hotline[k, j]))
    source[hotline] = "hotline"
    cells = np.array(cell_codes(district, max(c[CELLS], 1)), dtype=object)
    events = {
        "registered_at": bulk.times(start, registered, np.ones(n, dtype=bool)),
        "source": source,
        "category": bulk.choose(rng, CATEGORIES, n),
        "district_code": np.full(n, district, dtype=object),
        "cell_code": cells[rng.integers(0, len(cells), n)] if c[CELLS] else bulk.nulls(n),
        "due_at": bulk.times(start, due_at, has_due),
        "status": np.where(closed, "closed", "processing").astype(object),
        "closed_at": bulk.times(start, closed_at, closed),
        "suspended_seconds": np.where(closed, closed_at - registered - handling, 0),
        "is_duplicate": np.zeros(n, dtype=np.int64),
    }
    return _with_duplicates(rng, events, round(DUPLICATE_SHARE * n), start, length)


def _with_duplicates(
    rng: np.random.Generator,
    events: dict[str, np.ndarray],
    count: int,
    start: np.datetime64,
    length: int,
) -> dict[str, np.ndarray]:
    """Add repeat reports the platform merged into an earlier event (never counted)."""
    return bulk.with_copies(
        rng,
        events,
        count,
        registered_at=start + rng.integers(0, length - DAY, count).astype("timedelta64[s]"),
        due_at=bulk.no_times(count),
        status=np.full(count, "merged", dtype=object),
        closed_at=bulk.no_times(count),
        suspended_seconds=np.zeros(count, dtype=np.int64),
        is_duplicate=np.ones(count, dtype=np.int64),
    )


def _cell_month(
    rng: np.random.Generator, grid: GridPlan, k: int, districts: list[str]
) -> dict[str, np.ndarray]:
    """One month's 网格考核 rows: every cell set up so far, in force or not, with its
    valid patrol days (at least 20 for the planned number of active cells)."""
    month = grid.months[k]
    columns: dict[str, list[np.ndarray]] = {
        "cell_code": [],
        "district_code": [],
        "is_active": [],
        "patrol_days": [],
    }
    for j, district in enumerate(districts):
        ever = int(grid.counts[CELLS][: k + 1, j].max())
        active = np.arange(ever) < grid.counts[CELLS][k, j]
        patrolled = pick(rng, active, int(grid.counts[PATROLLED][k, j]))
        days = np.where(
            patrolled,
            rng.integers(PATROL_DAYS_REQUIRED, month.days_in_month + 1, ever),
            rng.integers(8, PATROL_DAYS_REQUIRED, ever),
        )
        columns["cell_code"].append(np.array(cell_codes(district, ever), dtype=object))
        columns["district_code"].append(np.full(ever, district, dtype=object))
        columns["is_active"].append(active.astype(np.int64))
        columns["patrol_days"].append(np.where(active, days, 0))
    merged = {name: np.concatenate(parts) for name, parts in columns.items()}
    rows = len(merged["cell_code"])
    return {"stat_month": np.full(rows, np.datetime64(month.start_time.date(), "D")), **merged}
