"""The briefing's PDF engine: one HTML document (cover, 目录, numbered sections) and a
sandboxed WeasyPrint render.

Blocks hand over finished, self-escaped HTML; this module only frames it. Rendering runs in a
child process with a time and address-space limit and a URL fetcher that allows `data:` only,
because WeasyPrint on hostile or merely huge input can loop, eat memory or read local files
(practice.md 2.5, 2.6).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

HERE = Path(__file__).parent
CHINESE_DIGITS = "零一二三四五六七八九"
ERROR_PREFIX = "RENDER-ERROR: "
# How a capped address space shows up when a shared library cannot be mapped.
OUT_OF_MEMORY = ("failed to map segment", "Cannot allocate memory")


class RenderError(RuntimeError):
    """The PDF could not be rendered (time limit, memory limit or a WeasyPrint failure)."""


@dataclass(frozen=True)
class Section:
    anchor: str  # HTML id, e.g. "s3"
    title: str | None  # heading and TOC entry; None: no heading, not in the TOC
    html: str  # the block's body, already escaped by the block itself


@dataclass(frozen=True)
class DocumentMeta:
    title: str  # e.g. 新河市经济运行月度简报
    issuer: str  # 发文单位
    period_label: str  # e.g. 2026年10月
    issue: str  # 期号, e.g. 2026年第10期
    classification: str  # 密级/标注, e.g. 内部资料; "" for none
    # The day the figures stand at (the day after the month); the Word file's created and
    # modified dates, never the clock, so a rebuilt briefing is the archived one byte for byte.
    as_of: date | None = None


def chinese_number(n: int) -> str:
    """一 … 九十九: the 序号 of a first-level heading (一、二、…)."""
    if not 1 <= n <= 99:
        raise ValueError(f"section number out of range 1–99: {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CHINESE_DIGITS[tens] + "十")
    return head + (CHINESE_DIGITS[units] if units else "")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _trusted(section: Section) -> dict[str, object]:
    """Section body as Markup: blocks escape their own content; titles stay plain text."""
    return {"anchor": section.anchor, "title": section.title, "html": Markup(section.html)}


def document_html(meta: DocumentMeta, cover: Section | None, sections: Sequence[Section]) -> str:
    """The complete briefing as one self-contained HTML string (CSS inlined, nothing fetched).

    The cover page always carries the 报头 (title, 期号, issuer, period); `cover`'s body is
    added below it. Titled sections are numbered 一、二、… in heading and 目录 alike.
    """
    anchors = [s.anchor for s in ([cover] if cover else []) + list(sections)]
    duplicates = sorted({a for a in anchors if anchors.count(a) > 1})
    if duplicates:
        raise ValueError(f"duplicate section anchors: {', '.join(duplicates)}")
    numbered: list[tuple[str, dict[str, object]]] = []
    count = 0
    for section in sections:
        if section.title is not None:
            count += 1
        numbered.append(
            (chinese_number(count) if section.title is not None else "", _trusted(section))
        )
    css = Markup((HERE / "document.css").read_text(encoding="utf-8"))
    template = _environment().get_template("briefing.html.j2")
    return template.render(
        meta=meta, cover=_trusted(cover) if cover else None, numbered=numbered, css=css
    )


def render_pdf(html: str, timeout_seconds: float = 120, memory_mb: int = 1536) -> bytes:
    """PDF bytes of `html`, rendered in a killable child process.

    A child keeps WeasyPrint's memory growth and any runaway layout out of the app process;
    RLIMIT_AS caps its address space and the child is killed once the time limit passes.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    command = [
        sys.executable,
        "-c",
        "from reports.document import _child; _child()",
        str(memory_mb),
    ]
    try:
        done = subprocess.run(
            command,
            input=html.encode("utf-8"),
            capture_output=True,
            timeout=timeout_seconds,
            env=env,
        )
    except subprocess.TimeoutExpired:
        raise RenderError(f"PDF render exceeded the {timeout_seconds:g} s time limit") from None
    if done.returncode == 0 and done.stdout.startswith(b"%PDF"):
        return done.stdout
    stderr = done.stderr.decode("utf-8", "replace")
    reported = [
        line[len(ERROR_PREFIX) :] for line in stderr.splitlines() if line.startswith(ERROR_PREFIX)
    ]
    if reported:
        raise RenderError(reported[-1])
    raise RenderError(
        f"PDF render process died (exit code {done.returncode}); "
        f"it may have exceeded the {memory_mb} MB memory limit"
    )


def _data_only_fetcher():  # -> weasyprint.urls.URLFetcher (imported lazily, in the child)
    """Refuse file:, http(s): and every other scheme: no local reads, no SSRF."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(timeout=5, allow_redirects=False, allowed_protocols={"data"})


def _child() -> None:
    """Child entry: limit memory first, then read HTML on stdin and write the PDF to stdout."""
    import resource

    limit = int(sys.argv[1]) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from weasyprint import HTML

        html = sys.stdin.buffer.read().decode("utf-8")
        pdf = HTML(string=html, url_fetcher=_data_only_fetcher()).write_pdf()
    except Exception as exc:  # one line for the caller; the traceback is not its business
        message = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, MemoryError) or any(m in message for m in OUT_OF_MEMORY):
            message = f"PDF render exceeded the {sys.argv[1]} MB memory limit"
        else:
            message = f"PDF render failed: {type(exc).__name__}: {message}"
        print(ERROR_PREFIX + message, file=sys.stderr)
        sys.exit(1)
    sys.stdout.buffer.write(pdf)
    sys.stdout.flush()
