"""Quality findings as operators work them: one item per thing found (a reload that finds the
same jump again is the same item), with the state an operator gave it.

An acknowledgement holds across reloads (the thing is known and explained); a resolution
holds until a load after it finds the same thing again, which reopens the item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from indicators.store.operations import Review, StoredFinding

NOTE_SEVERITY = "info"


class FindingState(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


@dataclass(frozen=True)
class FindingItem:
    latest: StoredFinding  # the newest occurrence
    occurrences: int
    state: FindingState
    review: Review | None
    reopened: bool  # resolved once, found again by a later load

    @property
    def key(self) -> str:
        return self.latest.key

    @property
    def is_note(self) -> bool:
        """An `info` finding (values of a period not over yet, left out) tells, it does not
        ask for action: it is listed, never counted as open nor alerted."""
        return self.latest.severity == NOTE_SEVERITY

    @property
    def needs_attention(self) -> bool:
        return self.state is FindingState.open and not self.is_note


def finding_items(
    findings: Sequence[StoredFinding], reviews: Mapping[str, Review]
) -> list[FindingItem]:
    """Items newest first; `findings` as `stored_findings` returns them (newest first)."""
    newest: dict[str, StoredFinding] = {}
    counts: dict[str, int] = {}
    for finding in findings:
        newest.setdefault(finding.key, finding)
        counts[finding.key] = counts.get(finding.key, 0) + 1
    items = [_item(f, counts[key], reviews.get(key)) for key, f in newest.items()]
    return sorted(items, key=lambda i: (i.latest.found_at, i.latest.id), reverse=True)


def _item(latest: StoredFinding, occurrences: int, review: Review | None) -> FindingItem:
    if review is None:
        return FindingItem(latest, occurrences, FindingState.open, None, False)
    if review.state == FindingState.acknowledged:
        return FindingItem(latest, occurrences, FindingState.acknowledged, review, False)
    if latest.found_at > review.reviewed_at:
        return FindingItem(latest, occurrences, FindingState.open, review, True)
    return FindingItem(latest, occurrences, FindingState.resolved, review, False)
