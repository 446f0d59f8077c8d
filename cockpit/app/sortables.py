"""The one place that knows streamlit-sortables (a components-v1 iframe, pinned): blocks are
dragged by their labels, which must be unique, and the component keeps its own state, so its
key changes whenever the list it was given changes."""

from __future__ import annotations

from collections.abc import Sequence

from streamlit_sortables import sort_items

STYLE = """
.sortable-component { background: transparent; border: 1px solid #1d3a66; border-radius: 6px; }
.sortable-container-header { color: #8aa0c0; }
.sortable-item, .sortable-item:hover { background: #12305c; color: #e6eef8; border-radius: 4px; }
"""


def dragged_order(labels: Sequence[str], key: str) -> list[str]:
    """The labels in the order the user dragged them into (the given order until dragged)."""
    stamp = abs(hash(tuple(labels))) % 10**8
    order = sort_items(list(labels), direction="vertical", custom_style=STYLE, key=f"{key}-{stamp}")
    return [label for label in order if label in labels]
