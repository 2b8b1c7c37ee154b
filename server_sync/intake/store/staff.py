"""Staff accounts (the table is shared with the console, which owns login and sessions)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, text

from server_sync.intake.clock import stamp
from server_sync.intake.errors import IntakeError
from server_sync.intake.passwords import hash_password
from server_sync.intake.store.audit import write_audit

#: the roles a staff account can have (docs/console.md, "Roles")
ROLES = ("clerk", "supervisor", "admin")
DEFAULT_ROLE = "clerk"


class StaffError(IntakeError):
    """A staff command cannot be done (unknown or duplicate name, bad role or password)."""

    code = "bad_staff"
    status = 400


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One staff account as listed (never the password hash)."""

    username: str
    role: str
    created_at: str
    disabled: bool


def count_staff(engine: Engine) -> int:
    """How many staff accounts exist."""
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM staff")).scalar_one())


def _hashed(password: str) -> str:
    try:
        return hash_password(password)
    except ValueError as err:
        raise StaffError(str(err)) from err


def _checked_role(role: str) -> str:
    if role not in ROLES:
        raise StaffError(f"role must be one of {', '.join(ROLES)}")
    return role


def create_staff(
    engine: Engine,
    username: str,
    password: str,
    *,
    now: datetime,
    actor: str,
    role: str = DEFAULT_ROLE,
) -> None:
    """Create a staff account (scrypt hash in the console's format only)."""
    digest = _hashed(password)
    with engine.begin() as conn:
        if _exists(conn, username):
            raise StaffError(f"a staff account named {username} exists already")
        conn.execute(
            text(
                "INSERT INTO staff (username, password_hash, created_at, disabled, role)"
                " VALUES (:u, :h, :at, 0, :r)"
            ),
            {"u": username, "h": digest, "at": stamp(now), "r": _checked_role(role)},
        )
        write_audit(
            conn,
            actor=actor,
            action="staff.created",
            subject_type="staff",
            subject_id=username,
            detail={"role": role},
        )


def _exists(conn: Connection, username: str) -> bool:
    row = conn.execute(text("SELECT 1 FROM staff WHERE username = :u"), {"u": username}).first()
    return row is not None


def list_staff(engine: Engine) -> list[StaffMember]:
    """Every staff account in name order."""
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT username, role, created_at, disabled FROM staff ORDER BY username")
        ).all()
    return [
        StaffMember(str(r.username), str(r.role), str(r.created_at), bool(r.disabled)) for r in rows
    ]


def disable_staff(engine: Engine, username: str, *, actor: str) -> None:
    """Disable an account and end its sessions at once."""
    with engine.begin() as conn:
        if not _exists(conn, username):
            raise StaffError(f"no staff account named {username}")
        conn.execute(text("UPDATE staff SET disabled = 1 WHERE username = :u"), {"u": username})
        conn.execute(text("DELETE FROM console_sessions WHERE username = :u"), {"u": username})
        write_audit(
            conn, actor=actor, action="staff.disabled", subject_type="staff", subject_id=username
        )


def set_staff_password(engine: Engine, username: str, password: str, *, actor: str) -> None:
    """Replace an account's password (its sessions end: a new password means a new login)."""
    digest = _hashed(password)
    with engine.begin() as conn:
        if not _exists(conn, username):
            raise StaffError(f"no staff account named {username}")
        conn.execute(
            text("UPDATE staff SET password_hash = :h WHERE username = :u"),
            {"h": digest, "u": username},
        )
        conn.execute(text("DELETE FROM console_sessions WHERE username = :u"), {"u": username})
        write_audit(
            conn,
            actor=actor,
            action="staff.password_changed",
            subject_type="staff",
            subject_id=username,
        )
