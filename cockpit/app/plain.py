"""Text from outside (a URL, a source's error message, a file name) shown through Streamlit
elements that render Markdown, as nothing but text."""

from __future__ import annotations

import re

MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~:/$])")  # ':' '/': no autolinks


def as_plain_text(message: str, limit: int = 200) -> str:
    """Escaped so no link, image, formula or markup in `message` takes effect."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", message[:limit])
