"""Who is looking: the current user and role, decided once per session in the router.

Sign-in arrives with the access issue; until then every session runs as the embedded
default, a leader, and the pages already ask this module rather than assume.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    leader = "leader"  # 领导: every screen
    bureau_head = "bureau_head"  # 委办局负责人
    operator = "operator"  # 运维人员
    admin = "admin"  # 管理员


@dataclass(frozen=True)
class Principal:
    user: str
    display_name: str
    role: Role


DEFAULT_PRINCIPAL = Principal("default", "默认用户", Role.leader)


def current_principal(session: dict[str, object]) -> Principal:
    """The session's principal (`session` is st.session_state), the default until sign-in."""
    found = session.get("principal")
    return found if isinstance(found, Principal) else DEFAULT_PRINCIPAL
