"""Which files a file source may read: only those in the sources file's folder or in a folder
its top-level `folders:` list names.

The globs are written by whoever edits the sources file, but the files are dropped into inboxes
by many hands. `../../etc/*` or an absolute `/etc/*` must not turn a connector into a reader of
the whole server, and a symlink dropped into a shared inbox must not make the cockpit read
another folder. So a pattern whose fixed part (before the first * ? [) lies outside every
allowed folder is a ConnectorConfigError raised before anything is listed or read, and every
match is resolved with its links followed: one that really lies elsewhere is a Rejection naming
the file, never read. Folders are compared as resolved paths (`Path.is_relative_to`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

from connectors.base import Rejection, SourceContext
from connectors.registry import ConnectorConfigError
from indicators.settings import cockpit_home, database_url

GLOB_MAGIC = re.compile(r"[*?[]")
LINKS_OUTSIDE = "links outside the configured folders"
OWN_FILE = "is one of the cockpit's own files (its secrets or its store)"
# In COCKPIT_HOME, which is the sources file's folder in a setup like `cockpit sample`'s.
OWN_FILE_NAMES = ("session.key", "secrets.env", "cockpit.db", "cockpit.db-wal", "cockpit.db-shm")


@dataclass(frozen=True)
class FileMatches:
    """The files a pattern matched that may be read, and a rejection for each that may not."""

    paths: list[Path] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)


def allowed_folders(context: SourceContext) -> tuple[Path, ...]:
    """The sources file's folder and the listed ones, resolved, without repeats."""
    listed = (context.base_dir, *context.folders)
    return tuple(dict.fromkeys(folder.resolve() for folder in listed))


def own_files() -> frozenset[Path]:
    """The resolved paths of the site secret, the secrets file and the embedded store (a
    store at another SQLite path included): no source may read those, wherever it may."""
    home = cockpit_home().resolve()
    own = {home / name for name in OWN_FILE_NAMES}
    store = make_url(database_url())
    if store.get_backend_name() == "sqlite" and store.database:
        own.add(Path(store.database).resolve())
    return frozenset(own)


def is_inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether the resolved `path` lies in one of the resolved `folders`."""
    return any(path.is_relative_to(folder) for folder in folders)


def check_pattern(pattern: str, option: str, base_dir: Path, folders: Sequence[Path]) -> Path:
    """`pattern` made absolute against `base_dir`; raises unless its fixed part is inside."""
    full = base_dir / pattern
    parts = full.parts
    fixed = next((i for i, part in enumerate(parts) if GLOB_MAGIC.search(part)), len(parts))
    if ".." in parts[fixed:]:
        raise ConnectorConfigError(
            f"{option}: {pattern} goes up (..) after a wildcard, so the folders it reads "
            "cannot be checked; write the folder before any * ? ["
        )
    if not is_inside(Path(*parts[:fixed]).resolve(), folders):
        raise ConnectorConfigError(f"{option}: {outside(pattern, folders)}")
    return full


def outside(what: object, folders: Sequence[Path]) -> str:
    """Why `what` may not be read, naming the folders that may."""
    shown = ", ".join(str(folder) for folder in folders)
    return (
        f"{what} is outside the folders this sources file may read ({shown}); "
        "list the folder under folders:"
    )


def readable_files(context: SourceContext, pattern: str, option: str) -> FileMatches:
    """The files `pattern` matches (relative to the sources file's folder unless absolute),
    sorted, without the ~$ lock files Excel leaves beside an open workbook; a match whose
    real path lies outside the allowed folders is rejected instead. `option` names the
    pattern's option in errors (`options.inbox`)."""
    folders, own = allowed_folders(context), own_files()
    full = check_pattern(pattern, option, context.base_dir, folders)
    root = Path(full.anchor)
    matches = sorted(
        path
        for path in root.glob(str(full.relative_to(root)))
        if path.is_file() and not path.name.startswith("~$")
    )
    found = FileMatches()
    for path in matches:
        try:
            real = path.resolve(strict=True)
        except OSError as exc:  # removed or relinked since it was listed
            reason = f"cannot be opened ({exc.strerror or exc})"
            found.rejections.append(Rejection(path.name, "file", str(path), reason))
            continue
        refusal = None if is_inside(real, folders) else LINKS_OUTSIDE
        refusal = OWN_FILE if real in own else refusal
        if refusal is None:
            found.paths.append(path)
        else:
            found.rejections.append(Rejection(path.name, "file", str(path), refusal))
    return found
