"""A filled 基层填报 workbook looked at as the zip it is, before any spreadsheet library opens
it: values only, from a bureau. Refused with one reason: a zip bomb (too many parts, or
unpacking far beyond what a template of figures needs), macros, links to other workbooks, or
cell formulas (a figure must be typed, not computed from cells we cannot see)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

MAX_PARTS = 1000
MAX_UNPACKED = 100 * 2**20  # a year of a bureau's figures is well under 1 MB
CHUNK = 2**20
SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")
FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def workbook_problem(path: Path) -> str | None:
    """Why the workbook at `path` is refused, or None."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return f"not a readable .xlsx workbook ({exc})"
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            return f"{len(parts)} parts in the file: not a filled template"
        names = [part.filename.lower() for part in parts]
        if any(name.endswith("vbaproject.bin") for name in names):
            return "contains macros (vbaProject.bin): send the .xlsx without macros"
        if any(name.startswith("xl/externallinks/") for name in names):
            return "links to other workbooks: paste the values instead"
        unpacked = 0
        for part in parts:
            sheet = SHEET.fullmatch(part.filename) is not None
            read, formula = _scan(archive, part, MAX_UNPACKED - unpacked, sheet)
            unpacked += read
            if unpacked > MAX_UNPACKED:
                return f"unpacks to more than {MAX_UNPACKED // 2**20} MB: not a filled template"
            if formula:
                return f"cell formulas in {part.filename}: fill in values only"
    return None


def _scan(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, allowance: int, sheet: bool
) -> tuple[int, bool]:
    """Bytes this part unpacks to (read until `allowance` is passed, whatever its header
    claims) and, for a worksheet, whether a cell holds a formula."""
    read, tail = 0, b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > allowance:
                return read, False
            if sheet:
                if FORMULA.search(tail + chunk):
                    return read, True
                tail = chunk[-16:]  # a tag split across two chunks
    return read, False
