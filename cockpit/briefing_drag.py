"""What a drag on /briefing means for the draft: the briefing list as the user left it, where
a library entry dropped in becomes a new block of its kind at that place and a block dragged
out (back into the library) is removed. Pure, so it is tested without a browser."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cockpit.briefing_editor import Draft

LIBRARY_MARK = "＋ "  # a library entry's label: "＋ 图表" (never a block's "图表 · #4")


def library_labels(titles: Mapping[str, str]) -> dict[str, str]:
    """Label → kind for the library container."""
    return {f"{LIBRARY_MARK}{title}": kind for kind, title in titles.items()}


def arranged(
    draft: Draft,
    briefing: Sequence[str],
    blocks: Mapping[str, int],
    library: Mapping[str, str],
    new_params: Callable[[str], dict[str, Any]],
) -> Draft:
    """The draft in the order of `briefing` (labels after the drag): `blocks` maps a block's
    label to its id, `library` an entry's label to its kind (new blocks get `new_params`)."""
    order: list[int] = []
    for label in briefing:
        if label in blocks:
            order.append(blocks[label])
        elif label in library:
            draft = draft.added(library[label], new_params(library[label]))
            order.append(draft.blocks[-1].id)
    for block_id in set(blocks.values()) - set(order):
        draft = draft.removed(block_id)
    return draft.reordered(order)
