"""Staff login and server-side sessions (random cookie token, stored only as its SHA-256)."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from server_sync.intake.store.audit import write_audit

from . import csrf
from .errors import LoginFailedError, LoginThrottledError
from .passwords import DUMMY_HASH, verify_password
from .settings import ConsoleSettings

log = logging.getLogger(__name__)

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
TOKEN_BYTES = 32
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
INITIAL_STAFF_USERNAME = "admin"

Clock = Callable[[], int]


def wall_clock() -> int:
    """Current Unix time in whole seconds."""
    return int(time.time())


def token_hash(token: str) -> str:
    """What the database stores for a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def valid_username(username: str) -> bool:
    """Usernames are short lower-case ASCII identifiers."""
    return bool(USERNAME_RE.fullmatch(username))


@dataclass(frozen=True, slots=True)
class Session:
    """One logged-in staff session."""

    token_hash: str
    username: str
    csrf_token: str
    created_at: int
    last_seen_at: int
    expires_at: int


class Authenticator:
    """Checks passwords, throttles failures, opens, finds and closes sessions."""

    def __init__(
        self, engine: Engine, settings: ConsoleSettings, clock: Clock = wall_clock
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock

    def login(self, username: str, password: str) -> tuple[str, Session]:
        """Open a session; returns the cookie token (never stored) and the session."""
        now = self._clock()
        window_start = now - self._settings.login_failure_window_s
        with self._engine.begin() as conn:
            failures = conn.execute(
                text(
                    "SELECT COUNT(*) FROM console_login_failures"
                    " WHERE username = :u AND failed_at > :t"
                ),
                {"u": username[:64], "t": window_start},
            ).scalar_one()
            if failures >= self._settings.login_max_failures:
                log.warning("console login throttled")
                raise LoginThrottledError("too many failed logins; wait and try again")
            row = None
            if valid_username(username):
                row = conn.execute(
                    text("SELECT password_hash, disabled FROM staff WHERE username = :u"),
                    {"u": username},
                ).first()
            stored = row[0] if row is not None else DUMMY_HASH
            ok = verify_password(password, stored) and row is not None and not row[1]
            if not ok and row is not None:
                write_audit(
                    conn,
                    actor="console",
                    action="staff.login_failed",
                    subject_type="staff",
                    subject_id=username,
                )
            if not ok:
                conn.execute(
                    text(
                        "INSERT INTO console_login_failures (username, failed_at) VALUES (:u, :t)"
                    ),
                    {"u": username[:64], "t": now},
                )
                conn.execute(
                    text("DELETE FROM console_login_failures WHERE failed_at <= :t"),
                    {"t": window_start},
                )
        if not ok:
            log.info("console login failed")
            raise LoginFailedError("wrong username or password")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        session = Session(
            token_hash=token_hash(token),
            username=username,
            csrf_token=csrf.new_token(),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self._settings.session_max_s,
        )
        with self._engine.begin() as conn:
            conn.execute(
                text("DELETE FROM console_login_failures WHERE username = :u"), {"u": username}
            )
            write_audit(
                conn,
                actor=f"staff:{username}",
                action="staff.login",
                subject_type="staff",
                subject_id=username,
            )
            conn.execute(
                text(
                    "INSERT INTO console_sessions (token_hash, username, csrf_token, created_at,"
                    " last_seen_at, expires_at) VALUES (:h, :u, :c, :n, :n, :e)"
                ),
                {
                    "h": session.token_hash,
                    "u": username,
                    "c": session.csrf_token,
                    "n": now,
                    "e": session.expires_at,
                },
            )
        log.info("console login ok user=%s", username)
        self.purge_expired()  # scans of abandoned sessions hold personal data: drop them
        return token, session

    def session(self, token: str | None) -> Session | None:
        """The live session for a cookie token (refreshing its idle timer), else None."""
        if not token or len(token) > 128:
            return None
        now = self._clock()
        digest = token_hash(token)
        with self._engine.begin() as conn:
            row = conn.execute(
                text(
                    "SELECT s.username, s.csrf_token, s.created_at, s.last_seen_at, s.expires_at,"
                    " st.disabled FROM console_sessions s"
                    " LEFT JOIN staff st ON st.username = s.username WHERE s.token_hash = :h"
                ),
                {"h": digest},
            ).first()
            if row is None:
                return None
            username, csrf_token, created_at, last_seen_at, expires_at, disabled = row
            idle_deadline = int(last_seen_at) + self._settings.session_idle_s
            if now >= int(expires_at) or now >= idle_deadline or disabled is None or disabled:
                self._drop(conn, digest)
                return None
            conn.execute(
                text("UPDATE console_sessions SET last_seen_at = :n WHERE token_hash = :h"),
                {"n": now, "h": digest},
            )
        return Session(
            digest, str(username), str(csrf_token), int(created_at), now, int(expires_at)
        )

    def logout(self, session: Session) -> None:
        """End a session and forget what it scanned."""
        with self._engine.begin() as conn:
            self._drop(conn, session.token_hash)
            write_audit(
                conn,
                actor=f"staff:{session.username}",
                action="staff.logout",
                subject_type="staff",
                subject_id=session.username,
            )

    @staticmethod
    def _drop(conn: Connection, digest: str) -> None:
        for table in ("console_scan_parts", "console_scans", "console_sessions"):
            conn.execute(text(f"DELETE FROM {table} WHERE token_hash = :h"), {"h": digest})  # noqa: S608

    def purge_expired(self) -> int:
        """Delete every expired session (and its scans); returns how many."""
        now = self._clock()
        idle_cut = now - self._settings.session_idle_s
        with self._engine.begin() as conn:
            hashes = [
                str(r[0])
                for r in conn.execute(
                    text(
                        "SELECT token_hash FROM console_sessions"
                        " WHERE expires_at <= :n OR last_seen_at <= :i"
                    ),
                    {"n": now, "i": idle_cut},
                )
            ]
            for digest in hashes:
                self._drop(conn, digest)
        return len(hashes)
