"""Local users in the store (so every app server behind the proxy signs in against the same
list): username, display name, role, bureau, an argon2 hash, and whether the account is
disabled. Hashing and roles are the caller's (cockpit.accounts); this module keeps rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from indicators.store.schema import app_user


class UserExists(ValueError):
    """A user with that name is already there."""


class UserNotFound(LookupError):
    """No user has that name."""


@dataclass(frozen=True)
class UserRecord:
    username: str
    display_name: str
    role: str
    bureau: str | None
    password_hash: str | None
    disabled: bool
    created_at: datetime
    updated_at: datetime


def add_user(engine: Engine, user: UserRecord) -> None:
    try:
        with engine.begin() as conn:
            conn.execute(insert(app_user).values(**user.__dict__))
    except IntegrityError:
        raise UserExists(f"user {user.username!r} already exists") from None


def find_user(engine: Engine, username: str) -> UserRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(app_user).where(app_user.c.username == username)).first()
    return None if row is None else UserRecord(**row._mapping)


def users(engine: Engine) -> list[UserRecord]:
    with engine.connect() as conn:
        rows = conn.execute(select(app_user).order_by(app_user.c.username)).all()
    return [UserRecord(**row._mapping) for row in rows]


def change_user(engine: Engine, username: str, now: datetime, **values: object) -> None:
    """Set `values` (password_hash, disabled, role, bureau, display_name) on one user."""
    with engine.begin() as conn:
        result = conn.execute(
            update(app_user).where(app_user.c.username == username).values(**values, updated_at=now)
        )
    if result.rowcount == 0:
        raise UserNotFound(f"no user {username!r}")
