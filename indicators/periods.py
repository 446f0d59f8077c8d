"""Statistical periods (day, month, quarter, year) and their Chinese conventions.

A `Period` is a calendar-aligned reporting period. Arithmetic runs on an ordinal per
frequency, so "the same period last year" is always found by label, never by counting
days (which is how month-end and leap-year 同比 bugs are born).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, total_ordering

import pandas as pd

from indicators.model import Frequency

PER_YEAR = {Frequency.month: 12, Frequency.quarter: 4, Frequency.year: 1}
# Series are indexed by pandas periods of these frequencies (vectorised calendar arithmetic).
PANDAS_FREQ = {
    Frequency.day: "D",
    Frequency.month: "M",
    Frequency.quarter: "Q",
    Frequency.year: "Y",
}

QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
_ZH_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Year-to-date names of quarterly cumulative periods (季度累计).
QUARTER_YTD_ZH = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}

_PATTERNS: list[tuple[re.Pattern[str], Frequency]] = [
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), Frequency.day),
    (re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"), Frequency.day),
    (re.compile(r"^(\d{4})(?:-|M)(\d{1,2})$"), Frequency.month),
    (re.compile(r"^(\d{4})(\d{2})$"), Frequency.month),  # 202610, as many source systems write it
    (re.compile(r"^(\d{4})年(\d{1,2})月(?:份)?$"), Frequency.month),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE), Frequency.quarter),
    (re.compile(r"^(\d{4})年第?([一二三四1-4])季度$"), Frequency.quarter),
    (re.compile(r"^(\d{4})年?$"), Frequency.year),
]


FIRST_YEAR, LAST_YEAR = 1949, 2199


class PeriodError(ValueError):
    """A period label that cannot be read."""


@total_ordering
@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: `index` is the month (1–12), quarter (1–4) or, for days,
    the day's proleptic ordinal; 1 for years."""

    frequency: Frequency
    year: int
    index: int

    # --- construction ---------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> Period:
        """Read '2026-10', '2026年10月', '2026Q3', '2026年三季度', '2026', '2026-10-05'."""
        label = text.strip()
        for pattern, frequency in _PATTERNS:
            match = pattern.match(label)
            if match:
                return cls._from_parts(frequency, match.groups(), text)
        raise PeriodError(f"unreadable period '{text}' (use e.g. 2026-10, 2026Q3, 2026)")

    @classmethod
    def _from_parts(cls, frequency: Frequency, parts: tuple[str, ...], text: str) -> Period:
        year = int(parts[0])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise PeriodError(f"period '{text}' is outside {FIRST_YEAR}–{LAST_YEAR}")
        try:
            if frequency is Frequency.day:
                return cls.of_date(date(year, int(parts[1]), int(parts[2])))
            if frequency is Frequency.month:
                return cls.month(year, int(parts[1]))
            if frequency is Frequency.quarter:
                return cls.quarter(year, _ZH_NUMBER[parts[1]])
        except ValueError as exc:
            raise PeriodError(f"unreadable period '{text}': {exc}") from None
        return cls.of_year(year)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} is not 1–12")
        return cls(Frequency.month, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValueError(f"quarter {quarter} is not 1–4")
        return cls(Frequency.quarter, year, quarter)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(Frequency.year, year, 1)

    @classmethod
    def of_date(cls, day: date) -> Period:
        return cls(Frequency.day, day.year, day.toordinal())

    @classmethod
    def containing(cls, frequency: Frequency, day: date) -> Period:
        """The period of `frequency` that contains `day`."""
        if frequency is Frequency.day:
            return cls.of_date(day)
        if frequency is Frequency.month:
            return cls.month(day.year, day.month)
        if frequency is Frequency.quarter:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        return cls.of_year(day.year)

    @classmethod
    def latest_complete(cls, frequency: Frequency, today: date) -> Period:
        """The last period that has fully ended before `today`."""
        return cls.containing(frequency, today) - 1

    # --- arithmetic -----------------------------------------------------------
    @property
    def ordinal(self) -> int:
        if self.frequency is Frequency.day:
            return self.index
        return self.year * PER_YEAR[self.frequency] + self.index - 1

    @classmethod
    def from_ordinal(cls, frequency: Frequency, ordinal: int) -> Period:
        if frequency is Frequency.day:
            return cls.of_date(date.fromordinal(ordinal))
        year, offset = divmod(ordinal, PER_YEAR[frequency])
        return cls(frequency, year, offset + 1)

    def __add__(self, steps: int) -> Period:
        return Period.from_ordinal(self.frequency, self.ordinal + steps)

    def __sub__(self, other: int | Period) -> Period | int:  # type: ignore[override]
        if isinstance(other, Period):
            self._same_frequency(other)
            return self.ordinal - other.ordinal
        return self + (-other)

    def __lt__(self, other: Period) -> bool:
        self._same_frequency(other)
        return self.ordinal < other.ordinal

    def _same_frequency(self, other: Period) -> None:
        if other.frequency is not self.frequency:
            raise PeriodError(f"cannot compare {self} ({self.frequency}) with {other}")

    def previous(self) -> Period:
        """环比 base: the period just before."""
        return self + -1

    def same_period_last_year(self) -> Period:
        """同比 base, aligned by calendar label (29 Feb compares with 28 Feb)."""
        if self.frequency is Frequency.day:
            day = self.start
            last_day = calendar.monthrange(day.year - 1, day.month)[1]
            return Period.of_date(date(day.year - 1, day.month, min(day.day, last_day)))
        return Period(self.frequency, self.year - 1, self.index)

    # --- calendar -------------------------------------------------------------
    @property
    def start(self) -> date:
        if self.frequency is Frequency.day:
            return date.fromordinal(self.index)
        if self.frequency is Frequency.month:
            return date(self.year, self.index, 1)
        if self.frequency is Frequency.quarter:
            return date(self.year, 3 * self.index - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        """Last day inside the period."""
        return (self + 1).start - timedelta(days=1)

    @property
    def position_in_year(self) -> int:
        """1 for the first period of the year."""
        if self.frequency is Frequency.day:
            return self.start.timetuple().tm_yday
        return self.index

    @property
    def periods_in_year(self) -> int:
        if self.frequency is Frequency.day:
            return 366 if calendar.isleap(self.year) else 365
        return PER_YEAR[self.frequency]

    def year_start(self) -> Period:
        """First period of the same year and frequency."""
        return self + (1 - self.position_in_year)

    def periods_to_date(self, merged_jan_feb: bool = False) -> list[Period]:
        """The periods of this year up to and including this one (the 累计 window).
        With a 1–2月 merged release, January is not a period of its own."""
        first = self.year_start()
        periods = [first + i for i in range(self.position_in_year)]
        return [p for p in periods if not (merged_jan_feb and p.is_january)]

    @property
    def is_january(self) -> bool:
        """January of a monthly series: not a period of its own under a 1–2月 merged release."""
        return self.frequency is Frequency.month and self.index == 1

    def elapsed_share(self) -> float:
        """Share of the year elapsed at the end of this period (序时进度 base)."""
        return self.position_in_year / self.periods_in_year

    # --- labels ---------------------------------------------------------------
    @property
    def label(self) -> str:
        """Canonical, sortable key as stored: 2026-10, 2026Q3, 2026, 2026-10-05."""
        if self.frequency is Frequency.day:
            return self.start.isoformat()
        if self.frequency is Frequency.month:
            return f"{self.year}-{self.index:02d}"
        if self.frequency is Frequency.quarter:
            return f"{self.year}Q{self.index}"
        return str(self.year)

    def label_zh(self) -> str:
        """How a Chinese document names the period: 2026年10月, 2026年第三季度."""
        if self.frequency is Frequency.day:
            d = self.start
            return f"{d.year}年{d.month}月{d.day}日"
        if self.frequency is Frequency.month:
            return f"{self.year}年{self.index}月"
        if self.frequency is Frequency.quarter:
            return f"{self.year}年第{QUARTER_ZH[self.index]}季度"
        return f"{self.year}年"

    def ytd_label_zh(self, merged_jan_feb: bool = False) -> str:
        """Name of the year-to-date window: 1-10月, 1-2月, 一季度, 上半年, 前三季度, 全年."""
        if self.frequency is Frequency.month:
            if self.index == 1 and not merged_jan_feb:
                return "1月"
            return f"1-{self.index}月"
        if self.frequency is Frequency.quarter:
            return QUARTER_YTD_ZH[self.index]
        if self.frequency is Frequency.year:
            return "全年"
        d = self.start
        return f"1月1日-{d.month}月{d.day}日"

    def to_pandas(self) -> pd.Period:
        return _to_pandas(self)

    @classmethod
    def from_pandas(cls, period: pd.Period) -> Period:
        return cls.parse(str(period))

    def __str__(self) -> str:
        return self.label

    def __repr__(self) -> str:
        return f"Period({self.label})"


def period_range(first: Period, last: Period) -> list[Period]:
    """Every period from `first` to `last`, inclusive."""
    return [first + i for i in range(int(last - first) + 1)]


def last_year_index(index: pd.PeriodIndex) -> pd.PeriodIndex:
    """同比 bases of a whole index, by calendar label (29 Feb compares with 28 Feb)."""
    if index.freqstr == "D":
        return (index.to_timestamp() - pd.DateOffset(years=1)).to_period("D")
    per_year = {"M": 12, "Q": 4, "Y": 1}[index.freqstr[0]]
    return index - per_year


def year_start(period: pd.Period) -> pd.Period:
    """First period of `period`'s year, in its frequency."""
    return pd.Period(str(period.year), freq=period.freq)


@cache
def _to_pandas(period: Period) -> pd.Period:
    """Periods are looked up in frames many times per screen; parse each label once."""
    return pd.Period(period.label, freq=PANDAS_FREQ[period.frequency])


_DASH = "[-—–~～至到]"
_WINDOWS: list[tuple[re.Pattern[str], Frequency]] = [
    (re.compile(rf"^(\d{{4}})年?1{_DASH}(\d{{1,2}})月(?:份)?$"), Frequency.month),
    (re.compile(rf"^(\d{{4}})年?(?:第?1{_DASH}|前)([一二三四1-4])季度$"), Frequency.quarter),
    (re.compile(r"^(\d{4})年?(上半年)$"), Frequency.quarter),
    (re.compile(r"^(\d{4})年?(全年)$"), Frequency.year),
]
_HALF_AND_FULL = {"上半年": 2, "全年": 1}


def parse_window(text: str, frequency: Frequency | None = None) -> tuple[Period, bool]:
    """Read a label that may name a year-to-date window, as statistics tables head their
    columns: '2026年1-10月' → (2026-10, True), '2026年前三季度' → (2026Q3, True),
    '2026年上半年' → (2026Q2, True), '2026年10月' → (2026-10, False). The bool says 累计.
    A first quarter or January is both its own period and its 累计.

    With `frequency`, a window is expressed in it: 上半年 of a monthly series is 1-6月
    (2026-06), 全年 of a quarterly one ends in 2026Q4."""
    period, is_window = _parse_window(text)
    if is_window and frequency is not None and period.frequency is not frequency:
        period = Period.containing(frequency, period.end)
    return period, is_window


def _parse_window(text: str) -> tuple[Period, bool]:
    label = re.sub(r"\s+", "", text)
    for pattern, frequency in _WINDOWS:
        match = pattern.match(label)
        if match:
            year, part = int(match.group(1)), match.group(2)
            index = _HALF_AND_FULL.get(part) or _ZH_NUMBER.get(part) or int(part)
            try:
                if frequency is Frequency.month:
                    return Period.month(year, index), True
                if frequency is Frequency.quarter:
                    return Period.quarter(year, index), True
            except ValueError as exc:
                raise PeriodError(f"unreadable period '{text}': {exc}") from None
            return Period.of_year(year), True
    return Period.parse(label), False
