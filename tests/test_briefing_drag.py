"""A drag on /briefing read as a change of the draft: reordering, a library entry dropped in
becomes a new block where it was dropped, a block dragged back to the library is removed."""

from __future__ import annotations

from cockpit.briefing_drag import arranged, library_labels
from cockpit.briefing_editor import Draft
from reports.model import BriefingTemplate

TITLES = {"headline": "主要指标概览", "chart": "图表", "free_text": "自由文本"}
LIBRARY = library_labels(TITLES)
DRAFT = Draft.of(
    BriefingTemplate.model_validate(
        {
            "name": "t", "title": "简报", "issuer": "某局",
            "blocks": [
                {"kind": "headline", "params": {"codes": ["A"]}},
                {"kind": "chart", "params": {"code": "A"}},
            ],
        }
    )
)  # fmt: skip
BLOCKS = {"主要指标概览 · #1": 1, "图表 · #2": 2}


def new_params(kind: str) -> dict[str, object]:
    return {"title": f"新{kind}"}


def layout(draft: Draft) -> list[tuple[int, str, dict[str, object]]]:
    return [(b.id, b.kind, b.params) for b in draft.blocks]


def test_library_labels_are_marked_and_map_to_kinds() -> None:
    assert LIBRARY == {
        "＋ 主要指标概览": "headline",
        "＋ 图表": "chart",
        "＋ 自由文本": "free_text",
    }


def test_a_reorder_keeps_every_block_and_its_parameters() -> None:
    after = arranged(DRAFT, ["图表 · #2", "主要指标概览 · #1"], BLOCKS, LIBRARY, new_params)
    assert layout(after) == [(2, "chart", {"code": "A"}), (1, "headline", {"codes": ["A"]})]


def test_a_library_entry_dropped_in_becomes_a_new_block_where_it_was_dropped() -> None:
    order = ["主要指标概览 · #1", "＋ 自由文本", "图表 · #2"]
    after = arranged(DRAFT, order, BLOCKS, LIBRARY, new_params)
    assert layout(after) == [
        (1, "headline", {"codes": ["A"]}),
        (3, "free_text", {"title": "新free_text"}),
        (2, "chart", {"code": "A"}),
    ]


def test_a_block_dragged_back_to_the_library_is_removed() -> None:
    after = arranged(DRAFT, ["图表 · #2"], BLOCKS, LIBRARY, new_params)
    assert layout(after) == [(2, "chart", {"code": "A"})]
