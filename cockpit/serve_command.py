"""`cockpit serve`: the Streamlit cockpit, started with the project's fixed settings so that an
operator never has to remember Streamlit's flags (port, address, no usage statistics)."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Annotated

import typer

import cockpit
from cockpit.cli_common import fail

DEFAULT_PORT = 8501
WILDCARD_ADDRESSES = {"0.0.0.0", "::", ""}


def app_file() -> Path:
    """streamlit_app.py beside the installed package (the repo root for an editable install)."""
    return Path(cockpit.__file__).resolve().parent.parent / "streamlit_app.py"


def display_available() -> bool:
    """Whether a browser could open here: macOS and Windows always, Linux only with a display."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def public_url(address: str, port: int) -> str:
    """The URL a user types: a wildcard address is reached through this machine's name."""
    host = socket.gethostname() if address in WILDCARD_ADDRESSES else address
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def streamlit_command(script: Path, port: int, address: str, open_browser: bool) -> list[str]:
    headless = "false" if open_browser and display_available() else "true"
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        headless,
        "--browser.gatherUsageStats",
        "false",
    ]


def serve(
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    address: Annotated[
        str,
        typer.Option(help="Address to listen on; 0.0.0.0 serves every other machine too."),
    ] = "127.0.0.1",
    open_browser: Annotated[
        bool,
        typer.Option("--open/--no-open", help="Open a browser when this machine has a display."),
    ] = True,
) -> None:
    """Serve the cockpit (Streamlit) on this machine; Ctrl-C ends it."""
    script = app_file()
    if not script.is_file():
        raise fail(f"{script}: no such file; `cockpit serve` needs the project's streamlit_app.py")
    typer.echo(f"驾驶舱 cockpit: {public_url(address, port)}")
    sys.stdout.flush()  # exec replaces this process before Python would flush a pipe
    command = streamlit_command(script, port, address, open_browser)
    os.execv(command[0], command)
