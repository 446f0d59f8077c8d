"""The one place that knows streamlit-sortables (a components-v1 iframe, pinned): blocks are
dragged by their labels, which must be unique across both lists, and the component keeps
its own state, so its key changes whenever the lists it was given change."""

from __future__ import annotations

from collections.abc import Sequence

from streamlit_sortables import sort_items

STYLE = """
.sortable-component { background: transparent; border: 1px solid #1d3a66; border-radius: 6px; }
.sortable-container-header { color: #8aa0c0; }
.sortable-item, .sortable-item:hover { background: #12305c; color: #e6eef8; border-radius: 4px; }
"""


def dragged_briefing(library: Sequence[str], briefing: Sequence[str], key: str) -> list[str]:
    """The briefing list's labels after a drag: reordered, with library entries dropped in
    and blocks dragged out (the given list until something is dragged)."""
    stamp = abs(hash((tuple(library), tuple(briefing)))) % 10**8
    containers = [
        {"header": "组件库（拖入简报）", "items": list(library)},
        {"header": "本期简报", "items": list(briefing)},
    ]
    result = sort_items(
        containers, multi_containers=True, direction="vertical", custom_style=STYLE,
        key=f"{key}-{stamp}",
    )  # fmt: skip
    return list(result[1]["items"])
