"""`cockpit user add|disable|enable|passwd|list`: the local accounts people sign in with.

Passwords are read from the terminal (asked twice, never echoed) or, for provisioning
scripts, from standard input with --password-stdin; never from the command line, where they
would sit in the shell history and the process list. Every change is on the audit log.
"""

from __future__ import annotations

import re
import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine

from cockpit.accounts import PasswordRejected, hash_password, normal_username
from cockpit.cli_common import cli_actor, fail
from cockpit.session import Role
from indicators.formatting import local_time
from indicators.store import StoreOpenError, open_store
from indicators.store.audit import log
from indicators.store.users import (
    UserExists,
    UserNotFound,
    UserRecord,
    add_user,
    change_user,
    users,
)

user_app = typer.Typer(no_args_is_help=True, help="用户: local accounts for sign-in.")
console = Console()
NEEDS_BUREAU = {Role.bureau_head}
USERNAME = re.compile(r"[a-z0-9._@-]{1,64}")  # after lower-casing; @ for SSO e-mails
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = typer.prompt("密码 Password", hide_input=True)
    if typer.prompt("再次输入 Repeat", hide_input=True) != first:
        raise fail("the two passwords differ")
    return first


def _hashed(from_stdin: bool) -> str:
    try:
        return hash_password(_password(from_stdin))
    except PasswordRejected as exc:
        raise fail(str(exc)) from None


def _store_engine() -> Engine:
    try:
        return open_store().engine
    except StoreOpenError as exc:
        raise fail(str(exc)) from None


def _audit(engine: Engine, action: str, username: str, **detail: object) -> None:
    log(engine, cli_actor(), action, username, **detail)


@user_app.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Sign-in name: letters, digits, . _ -")],
    name: Annotated[str, typer.Option("--name", help="Display name, e.g. 张三.")],
    role: Annotated[Role, typer.Option("--role", help="leader, bureau_head, operator, admin.")],
    bureau: Annotated[
        str | None, typer.Option("--bureau", help="The 责任单位 a bureau head answers for.")
    ] = None,
    password_stdin: PasswordStdin = False,
    no_password: Annotated[
        bool, typer.Option("--no-password", help="Single sign-on only (proxy or OIDC).")
    ] = False,
) -> None:
    """Add a user with a password (argon2id hash stored, never the password), or for single
    sign-on only. Usernames are kept in lower case."""
    shown = username
    username = normal_username(username)
    if not USERNAME.fullmatch(username):
        raise fail(f"username {shown!r}: use up to 64 letters, digits, '.', '_', '@' or '-'")
    bureau = (bureau or "").strip() or None
    if role in NEEDS_BUREAU and bureau is None:
        raise fail(f"--bureau: a {role.value} needs the bureau (责任单位) they answer for")
    hashed = None if no_password else _hashed(password_stdin)
    engine = _store_engine()
    now = datetime.now(UTC)
    user = UserRecord(username, name.strip(), role.value, bureau, hashed, False, now, now)
    try:
        add_user(engine, user)
    except UserExists as exc:
        raise fail(str(exc)) from None
    _audit(engine, "user_add", username, role=role.value, bureau=bureau)
    typer.echo(f"added {username} ({role.value})")


def _change(username: str, action: str, **values: object) -> None:
    username = normal_username(username)
    engine = _store_engine()
    try:
        change_user(engine, username, datetime.now(UTC), **values)
    except UserNotFound as exc:
        raise fail(str(exc)) from None
    _audit(engine, action, username)


@user_app.command("disable")
def disable(username: str) -> None:
    """Stop a user signing in (their history stays on the audit log)."""
    _change(username, "user_disable", disabled=True)
    typer.echo(f"disabled {username}")


@user_app.command("enable")
def enable(username: str) -> None:
    _change(username, "user_enable", disabled=False)
    typer.echo(f"enabled {username}")


@user_app.command("passwd")
def passwd(username: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password."""
    hashed = _hashed(password_stdin)
    _change(username, "user_passwd", password_hash=hashed)
    typer.echo(f"password changed for {username}")


@user_app.command("list")
def list_users(
    names: Annotated[bool, typer.Option("--names", help="Usernames only, one per line.")] = False,
) -> None:
    found = users(_store_engine())
    if names:
        for user in found:
            typer.echo(user.username)
        return
    table = Table("用户名", "姓名", "角色", "单位", "状态", "更新")
    for user in found:
        state = "已停用" if user.disabled else "正常"
        table.add_row(
            user.username, user.display_name, user.role, user.bureau or "—", state,
            local_time(user.updated_at),
        )  # fmt: skip
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")
