"""`cockpit user`: accounts added, listed, disabled and given a new password from the command
line, passwords never taken as arguments, every change on the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cockpit.accounts import Attempt, SignInRefused, sign_in
from cockpit.cli import app
from indicators.store import open_store
from indicators.store.audit import entries
from indicators.store.users import find_user

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COCKPIT_HOME", str(tmp_path))
    monkeypatch.delenv("COCKPIT_DATABASE_URL", raising=False)
    return tmp_path


def cockpit(*args: str, password: str = "") -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), input=password)
    return result.exit_code, result.output


def test_a_user_is_added_signs_in_and_is_listed(home: Path) -> None:
    code, out = cockpit(
        "user", "add", "zhang", "--name", "张三", "--role", "bureau_head", "--bureau", "市统计局",
        "--password-stdin", password="correct-horse-1\n",
    )  # fmt: skip
    assert (code, out.strip()) == (0, "added zhang (bureau_head)")
    engine = open_store().engine
    assert find_user(engine, "zhang").password_hash.startswith("$argon2id$")
    assert sign_in(engine, Attempt("zhang", "correct-horse-1", "test"), NOW).bureau == "市统计局"
    code, listing = cockpit("user", "list")
    assert code == 0 and "zhang" in listing and "市统计局" in listing and "正常" in listing
    assert cockpit("user", "list", "--names") == (0, "zhang\n")


def test_disable_and_passwd_take_effect_and_are_audited(home: Path) -> None:
    cockpit("user", "add", "li", "--name", "李四", "--role", "leader", "--password-stdin",
            password="first-password-1\n")  # fmt: skip
    assert (
        cockpit("user", "passwd", "li", "--password-stdin", password="second-password-2\n")[0] == 0
    )
    engine = open_store().engine
    assert sign_in(engine, Attempt("li", "second-password-2", "test"), NOW).user == "li"
    assert cockpit("user", "disable", "li")[0] == 0
    with pytest.raises(SignInRefused):
        sign_in(engine, Attempt("li", "second-password-2", "test"), NOW)
    actions = [e.action for e in entries(engine) if e.actor.startswith("cli:")]
    assert actions == ["user_disable", "user_passwd", "user_add"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["zhang", "--name", "张三", "--role", "bureau_head"], "--bureau: a bureau_head needs"),
        (["../x", "--name", "x", "--role", "leader"], "username '../x': use up to 64"),
        (["wang", "--name", "王五", "--role", "leader"], "password needs at least 10"),
    ],
)
def test_bad_input_is_one_line_and_adds_nobody(home: Path, args: list[str], message: str) -> None:
    code, out = cockpit("user", "add", *args, "--password-stdin", password="short\n")
    assert code == 2 and out.startswith(f"error: {message}") and len(out.splitlines()) == 1
    assert cockpit("user", "list")[1].count("│") == 0  # an empty table


def test_single_sign_on_users_are_e_mails_in_lower_case_without_a_password(home: Path) -> None:
    code, out = cockpit(
        "user", "add", "Wang.Wu@Gov.CN", "--name", "王五", "--role", "leader", "--no-password"
    )
    assert (code, out.strip()) == (0, "added wang.wu@gov.cn (leader)")
    assert find_user(open_store().engine, "wang.wu@gov.cn").password_hash is None
    with pytest.raises(SignInRefused):  # no password to sign in with locally
        sign_in(open_store().engine, Attempt("WANG.WU@gov.cn", "", "test"), NOW)


def test_unknown_user_and_duplicate_are_refused(home: Path) -> None:
    assert cockpit("user", "disable", "nobody") == (2, "error: no user 'nobody'\n")
    add = ["user", "add", "li", "--name", "李四", "--role", "leader", "--password-stdin"]
    cockpit(*add, password="first-password-1\n")
    assert cockpit(*add, password="first-password-1\n") == (2, "error: user 'li' already exists\n")
