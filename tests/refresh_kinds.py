"""A connector kind for tests, registered the way a site's own kind would be: it hands back
rows written into its options, or fails as told."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from connectors.base import Progress, ReadResult, Rejection, SourceContext, ValueRow
from connectors.config import SourcesFile
from connectors.registry import register


class InlineOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rows: list[tuple[str, str, str, Any] | tuple[str, str, str, Any, str]] = []
    rejections: list[tuple[str, str, str, str]] = []
    error: str | None = None


@register("inline", InlineOptions, "rows written in the sources file (tests)")
class InlineConnector:
    def __init__(self, options: InlineOptions) -> None:
        self.options = options

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        if self.options.error:
            raise OSError(self.options.error)
        progress("read", 1, 1)
        return ReadResult(
            rows=[ValueRow(*row) for row in self.options.rows],
            rejections=[Rejection(*r) for r in self.options.rejections],
            rows_read=len(self.options.rows) + len(self.options.rejections),
        )


def inline_sources(tmp_path, **sources: dict[str, Any]) -> SourcesFile:  # type: ignore[no-untyped-def]
    """A SourcesFile of inline sources: `hotline_db={"rows": [...]}`."""
    return SourcesFile(
        sources=[
            {
                "id": sid,
                "name_zh": sid,
                "owner": "测试局",
                "kind": "inline",
                "options": {k: v for k, v in spec.items() if k != "max_rejected"},
                "max_rejected": spec.get("max_rejected", 0),
            }
            for sid, spec in sources.items()
        ],
        base_dir=tmp_path,
    )
