"""Staff accounts (the table is shared with the console, which owns login and sessions)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, text

from server_sync.intake.clock import stamp
from server_sync.intake.console.passwords import hash_password
from server_sync.intake.store.audit import write_audit


def count_staff(engine: Engine) -> int:
    """How many staff accounts exist."""
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT COUNT(*) FROM staff")).scalar_one())


def create_staff(
    engine: Engine, username: str, password: str, *, now: datetime, actor: str
) -> None:
    """Create a staff account (scrypt hash in the console's format only)."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO staff (username, password_hash, created_at, disabled)"
                " VALUES (:u, :h, :at, 0)"
            ),
            {"u": username, "h": hash_password(password), "at": stamp(now)},
        )
        write_audit(
            conn, actor=actor, action="staff.created", subject_type="staff", subject_id=username
        )
