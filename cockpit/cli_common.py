"""What every command shares: one-line errors with exit 2 and loading a valid catalog."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from indicators.registry import Catalog, load_catalog

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


def load_valid_catalog(directory: Path) -> Catalog:
    result = load_catalog(directory)
    if result.problems:
        raise fail(
            f"catalog {directory} has {len(result.problems)} problem(s); run `cockpit validate`"
        )
    return result.catalog
