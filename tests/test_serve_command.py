"""`cockpit serve`: the cockpit answers on the port asked for, after printing where it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cockpit import serve_command
from cockpit.cli import app
from tests.cockpit_process import cockpit_env, free_port, stop, wait_healthy


def test_serve_prints_the_url_then_answers_there(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cockpit", "serve", "--port", str(port), "--no-open"],
        env=cockpit_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", server)
        assert server.stdout is not None
        assert server.stdout.readline() == f"驾驶舱 cockpit: http://127.0.0.1:{port}/\n"
    finally:
        stop(server)


def test_a_browser_opens_only_where_there_is_a_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    script = Path("streamlit_app.py")

    def headless(open_browser: bool) -> str:
        command = serve_command.streamlit_command(script, 8501, "127.0.0.1", open_browser)
        return command[command.index("--server.headless") + 1]

    assert headless(True) == "true"
    monkeypatch.setenv("DISPLAY", ":0")
    assert (headless(True), headless(False)) == ("false", "true")


def test_a_wildcard_address_is_shown_as_this_machines_name() -> None:
    assert serve_command.public_url("0.0.0.0", 8501).startswith("http://")
    assert "0.0.0.0" not in serve_command.public_url("0.0.0.0", 8501)
    assert serve_command.public_url("::1", 80) == "http://[::1]:80/"


def test_a_missing_app_file_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(serve_command, "app_file", lambda: tmp_path / "streamlit_app.py")
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"error: {tmp_path / 'streamlit_app.py'}: no such file; "
        "`cockpit serve` needs the project's streamlit_app.py"
    )
