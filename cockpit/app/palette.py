"""The wall's colours, shared by the page CSS and the chart options so both agree."""

from __future__ import annotations

from indicators.targets import Status

BACKGROUND = "#071226"
PANEL_BORDER = "#1d3a66"
TEXT = "#e6eef8"
MUTED = "#8aa0c0"
ACCENT = "#3ba1ff"
CYAN = "#36cbcb"
GOOD = "#4ecb73"
BAD = "#f2637b"

RAG_GREEN = "#2fc25b"
RAG_AMBER = "#facc14"
RAG_RED = "#f04864"
NOT_JUDGED = "#3a5680"

STATUS_COLOURS = {
    Status.green: RAG_GREEN,
    Status.amber: RAG_AMBER,
    Status.red: RAG_RED,
    Status.none: NOT_JUDGED,
    Status.unknown: NOT_JUDGED,
}

# Map shading from low to high: dark blue to bright cyan, readable on the dark panel.
MAP_RAMP = ["#12305c", "#1f5fa8", "#2f8fd8", "#4fc3e8", "#9ff0f5"]

# Freshness on the operators' console: the same traffic lights, failed darker than stale.
FRESHNESS_COLOURS = {
    "fresh": RAG_GREEN,
    "late": RAG_AMBER,
    "stale": RAG_RED,
    "never": NOT_JUDGED,
    "failed": "#b8002e",
}
