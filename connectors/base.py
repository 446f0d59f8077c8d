"""What every connector kind hands back, and how it reports progress.

A connector reads one configured source and returns the values it found as `ValueRow`s
(already in the catalog's unit and period form) plus the rows it could not use, each with
the file/row/field it came from. It never writes to the store: `connectors.refresh` checks,
loads and records the run, so every kind gets the same atomicity and bookkeeping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from indicators.periods import Period, PeriodError
from indicators.registry import Catalog
from indicators.store import Rejection, ValueRow

__all__ = ["Connector", "Progress", "ReadResult", "Rejection", "SourceContext", "ValueRow"]


@dataclass
class ReadResult:
    """Everything one read of a source produced."""

    rows: list[ValueRow] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    rows_read: int = 0  # source records looked at (lines, result rows, JSON records)

    def extend(self, other: ReadResult) -> None:
        self.rows.extend(other.rows)
        self.rejections.extend(other.rejections)
        self.rows_read += other.rows_read


class Progress(Protocol):
    """Told how far a read or a write has got; `total` is None when it is not known yet."""

    def __call__(self, stage: str, done: int, total: int | None) -> None: ...


def no_progress(stage: str, done: int, total: int | None) -> None:
    """A Progress that reports nothing (library use, tests)."""


@dataclass(frozen=True)
class SourceContext:
    """What a connector may consult: the catalog (units, frequencies, areas), the folder
    relative paths in the sources file are resolved against, the latest period already
    stored per indicator (so SQL and HTTP sources can read only what is new), and the
    further folders the sources file's `folders:` lists (see connectors.folders)."""

    catalog: Catalog
    base_dir: Path
    latest_stored: dict[str, str] = field(default_factory=dict)
    folders: tuple[Path, ...] = ()

    def reread_from(self, codes: Iterable[str], periods_back: int) -> Period | None:
        """The first period an incremental read should ask for: `periods_back` periods
        before the earliest latest-stored period of `codes` (sources revise recent
        figures); None, meaning everything, while any of them has nothing stored."""
        stored = [self.latest_stored.get(code) for code in codes]
        if not stored or any(label is None for label in stored):
            return None
        try:
            earliest = min(Period.parse(label) for label in stored if label)
        except PeriodError:
            return None
        return earliest - periods_back


class Connector(Protocol):
    """One connector kind. Built from the source's `options` (validated by the kind's own
    pydantic model) and read once per refresh."""

    def read(self, context: SourceContext, progress: Progress) -> ReadResult: ...


ConnectorFactory = Callable[[dict[str, Any]], Connector]
