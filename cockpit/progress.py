"""Progress of long work on the terminal: a rich bar per task on a TTY, plain lines
otherwise (cron logs, CI, and the tests that watch a refresh to kill it mid-run)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

Reporter = Callable[[str, int, int | None], None]


class ProgressMode(StrEnum):
    auto = "auto"
    bar = "bar"
    plain = "plain"
    none = "none"


@contextmanager
def progress_reporters(mode: ProgressMode, console: Console) -> Iterator[Callable[[str], Reporter]]:
    """Yield a factory: `factory(name)` gives the reporter of one task (a source, a writer)."""
    if mode is ProgressMode.auto:
        mode = ProgressMode.bar if console.is_terminal else ProgressMode.plain
    if mode is ProgressMode.none:
        yield lambda _name: _silent
    elif mode is ProgressMode.plain:
        yield _plain_reporter
    else:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bars:
            yield lambda name: _bar_reporter(bars, name)


def _silent(stage: str, done: int, total: int | None) -> None:
    """Reports nothing."""


def _plain_reporter(name: str) -> Reporter:
    def report(stage: str, done: int, total: int | None) -> None:
        print(f"{name} {stage} {done}/{total if total is not None else '?'}", flush=True)

    return report


def _bar_reporter(bars: Progress, name: str) -> Reporter:
    task = bars.add_task(name, total=None)

    def report(stage: str, done: int, total: int | None) -> None:
        bars.update(task, description=f"{name} · {stage}", completed=done, total=total)

    return report
