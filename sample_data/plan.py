"""What the sample city plants on purpose, so freshness and errors show something true."""

from __future__ import annotations

from enum import StrEnum

# 市财政局 has not delivered its latest monthly report: `cockpit status` must say so.
OVERDUE_SOURCES = frozenset({"finance_files"})
# 供电公司's latest CSV has a cell no one can read: its refresh fails, naming file/row/field.
BROKEN_SOURCE = "power_files"

SAMPLE_DIR = "sample"  # under COCKPIT_HOME, beside sources.yaml
API_TOKEN_VARIABLE = "COCKPIT_SAMPLE_API_TOKEN"
API_PORT = 8765


class Scale(StrEnum):
    """full (the default): the 12345 and grid databases hold every record of a real city's
    volume, over a million work orders; small: 1/20 of those records, for tests (their counts
    are then 1/20 of the city's; rates stay about the same)."""

    small = "small"
    full = "full"
