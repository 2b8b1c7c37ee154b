"""Staff roles and what each may do (docs/console.md, "Roles").

clerk: scan, review, accept and reject; supervisor: also export and reopen; admin: also manage
staff and kiosks. Checked on every console route that changes or exports something.
"""

from __future__ import annotations

from enum import StrEnum

from .errors import ConsoleError


class Role(StrEnum):
    """A staff member's role (stored in ``staff.role``)."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Permission(StrEnum):
    """One kind of console action."""

    REVIEW = "review"  # scan, view, accept, reject
    EXPORT = "export"
    REOPEN = "reopen"
    MANAGE_STAFF = "manage_staff"
    MANAGE_KIOSKS = "manage_kiosks"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({Permission.REVIEW}),
    Role.SUPERVISOR: frozenset({Permission.REVIEW, Permission.EXPORT, Permission.REOPEN}),
    Role.ADMIN: frozenset(Permission),
}


class ForbiddenError(ConsoleError):
    """The logged-in staff member's role does not allow this action."""

    code = "forbidden"
    status = 403


def parse_role(value: str) -> Role:
    """A stored or typed role; anything unknown is the least privileged role."""
    try:
        return Role(value)
    except ValueError:
        return Role.CLERK


def allowed(role: str, permission: Permission) -> bool:
    """Whether ``role`` may do ``permission``."""
    return permission in ROLE_PERMISSIONS[parse_role(role)]


def require(role: str, permission: Permission) -> None:
    """Raise ForbiddenError (403) unless ``role`` may do ``permission``."""
    if not allowed(role, permission):
        raise ForbiddenError(f"この操作の権限がありません (your role may not {permission.value})")
