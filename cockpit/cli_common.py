"""What every command shares: one-line errors with exit 2 and loading a valid catalog."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from cockpit.auth import known_user
from cockpit.clearance import visible_codes
from indicators.registry import Catalog, load_catalog
from indicators.store import StoreOpenError, open_store

CatalogOption = Annotated[
    Path, typer.Option("--catalog", help="Folder of indicator YAML files.", show_default=False)
]


def os_user() -> str:
    """The login name running the command ("unknown" where there is none, as in some
    containers)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def cli_actor() -> str:
    """Who ran a command, as the audit log names a person at the server's shell."""
    return f"cli:{os_user()}"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print a one-line error and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


AsUser = Annotated[
    str | None,
    typer.Option(
        "--as", help="Only what this user may see (their role and bureau); default: everything."
    ),
]


def as_user(catalog: Catalog, username: str | None) -> Catalog:
    """The catalog as `username` may see it (`--as`); the whole catalog without one. Made
    as a user, a CLI export shows nothing they could not see on the screens."""
    if username is None:
        return catalog
    try:
        principal = known_user(open_store().engine, username)
    except StoreOpenError as exc:
        raise fail(str(exc)) from None
    if principal is None:
        raise fail(f"--as {username}: no enabled user of that name (cockpit user list)")
    return catalog.only(visible_codes(catalog, principal))


def load_valid_catalog(directory: Path) -> Catalog:
    result = load_catalog(directory)
    if result.problems:
        raise fail(
            f"catalog {directory} has {len(result.problems)} problem(s); run `cockpit validate`"
        )
    return result.catalog
