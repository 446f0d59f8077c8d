"""Catalog changes on the audit log. The catalog is YAML deployed with the code, not edited
in the app, so a change is noticed where the app reads it: the first server start after its
files differ from the ones last recorded. The entry names the files that changed and keeps
every file's sha256 for the next comparison."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import Engine

from indicators.store.audit import entries, log

CATALOG_CHANGE = "catalog_change"
PATTERNS = ("*.yaml", "*.geojson")


def file_digests(directory: Path) -> dict[str, str]:
    """Each catalog file's sha256, by its name in the folder."""
    files = sorted(path for pattern in PATTERNS for path in directory.glob(pattern))
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in files}


def record_catalog_change(engine: Engine, directory: Path, actor: str) -> list[str] | None:
    """Log the catalog in `directory` if it differs from the last one logged; the names of
    the files added, changed or removed (all of them the first time), or None when the same."""
    now = file_digests(directory)
    last = entries(engine, action=CATALOG_CHANGE, limit=1)
    before: dict[str, str] = last[0].detail.get("files", {}) if last else {}
    changed = sorted(
        name for name in now.keys() | before.keys() if now.get(name) != before.get(name)
    )
    if not changed:
        return None
    log(engine, actor, CATALOG_CHANGE, str(directory), changed=changed, files=now)
    return changed
