"""A `data:` image as PNG bytes for Word, which shows no SVG: vl_convert rasterises the chart
after every external reference is removed. Nothing is ever fetched."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote_to_bytes

# Any attribute ending in href (href, xlink:href, foo:href) whose value is not data: or #id.
SVG_EXTERNAL_REF = re.compile(
    r"""(\b[\w.-]+:)?href\s*=\s*("(?!data:|#)[^"]*"|'(?!data:|#)[^']*')"""
)


def svg_without_external_refs(svg: str) -> str | None:
    """`svg` with every href that is not `data:` or `#id` emptied; None if it has a DTD.

    vl_convert's renderer reads local files named by <image href="/path">; a chart never
    needs one, and a DTD could smuggle a path in through an entity."""
    if re.search(r"<!(DOCTYPE|ENTITY)", svg, re.IGNORECASE):
        return None
    return SVG_EXTERNAL_REF.sub(lambda m: f'{m.group(1) or ""}href=""', svg)


def image_png(src: str) -> bytes | None:
    """PNG bytes for a `data:image/svg+xml` or `data:image/png` source; None for anything else
    (http, file, other types) or for data that does not decode. Never fetches."""
    match = re.fullmatch(r"data:([\w.+/-]+)((?:;[\w=.+-]+)*),(.*)", src.strip(), re.DOTALL)
    if match is None:
        return None
    mime, params, payload = match.group(1).lower(), match.group(2).lower(), match.group(3)
    if mime not in ("image/svg+xml", "image/png"):
        return None
    try:
        if ";base64" in params:
            data = base64.b64decode(payload, validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None
    if mime == "image/png":
        return data if data.startswith(b"\x89PNG\r\n\x1a\n") else None
    import vl_convert  # heavy; only when a figure is present

    svg = svg_without_external_refs(data.decode("utf-8", "replace"))
    if svg is None:
        return None
    try:
        return vl_convert.svg_to_png(svg, scale=2)
    except Exception:  # a malformed SVG: the writer shows a placeholder instead
        return None
