"""Staff login and server-side sessions (random cookie token, stored only as its SHA-256)."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from server_sync.intake.passwords import DUMMY_HASH, verify_password
from server_sync.intake.store.audit import audit_if_idle, audit_row, write_audit
from server_sync.intake.store.sqlite_direct import fetch_one, is_sqlite

from . import csrf
from .errors import LoginFailedError
from .settings import ConsoleSettings
from .throttle import LoginThrottle, ThrottlePolicy

log = logging.getLogger(__name__)

SESSION_COOKIE = "console_session"
LOGIN_CSRF_COOKIE = "console_login_csrf"
TOKEN_BYTES = 32
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
INITIAL_STAFF_USERNAME = "admin"
STAFF_LOGIN_SQL = "SELECT password_hash, disabled, role FROM staff WHERE username = :u"

Clock = Callable[[], int]


def wall_clock() -> int:
    """Current Unix time in whole seconds."""
    return int(time.time())


def token_hash(token: str) -> str:
    """What the database stores for a session token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def throttle_policy(settings: ConsoleSettings) -> ThrottlePolicy:
    """The login limits of these settings."""
    return ThrottlePolicy(
        source_free_failures=settings.login_max_failures,
        base_lock_s=settings.login_lock_base_s,
        max_lock_s=settings.login_failure_window_s,
        window_s=settings.login_failure_window_s,
        account_max_failures=settings.login_account_max_failures,
        hash_slots=settings.login_hash_slots,
        hash_queue=settings.login_hash_queue,
    )


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
    role: str = "clerk"


class Authenticator:
    """Checks passwords, throttles failures, opens, finds and closes sessions."""

    def __init__(
        self,
        engine: Engine,
        settings: ConsoleSettings,
        clock: Clock = wall_clock,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock
        self._given_throttle = throttle

    @property
    def _throttle(self) -> LoginThrottle:
        """The app's throttle; a private one (made on first use) for a bare authenticator."""
        if self._given_throttle is None:
            self._given_throttle = LoginThrottle(throttle_policy(self._settings))
        return self._given_throttle

    def login(self, username: str, password: str, source: str = "") -> tuple[str, Session]:
        """Open a session; returns the cookie token (never stored) and the session.

        Failures are counted in memory (:mod:`.throttle`): a wrong password never waits for
        the database's write lock, and the hash runs in a bounded pool.
        """
        now = self._clock()
        account = username[:64]
        self._throttle.check(source, account, now)
        row = self._staff_row(username) if valid_username(username) else None
        stored = str(row[0]) if row is not None else DUMMY_HASH
        matches = self._throttle.verify(verify_password, password, stored, source, now)
        ok = matches and row is not None and not row[1]
        if not ok:
            first = self._throttle.failed(source, account, now)
            if row is not None and first:  # one audit row per source and account and window
                written = audit_if_idle(
                    self._engine,
                    audit_row(
                        actor="console",
                        action="staff.login_failed",
                        subject_type="staff",
                        subject_id=username,
                    ),
                )
                if not written:
                    log.warning("failed console login not audited: the database is busy")
            log.info("console login failed")
            raise LoginFailedError("wrong username or password")
        assert row is not None  # for mypy: ok implies a row
        self._throttle.succeeded(source, account)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        session = Session(
            token_hash=token_hash(token),
            username=username,
            csrf_token=csrf.new_token(),
            created_at=now,
            last_seen_at=now,
            expires_at=now + self._settings.session_max_s,
            role=str(row[2]),
        )
        with self._engine.begin() as conn:
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

    def _staff_row(self, username: str) -> tuple[Any, ...] | None:
        """(password_hash, disabled, role) — a plain read (SQLAlchemy begins IMMEDIATE here)."""
        params = {"u": username}
        if is_sqlite(self._engine):
            return fetch_one(self._engine, STAFF_LOGIN_SQL, params)
        with self._engine.connect() as conn:
            found = conn.execute(text(STAFF_LOGIN_SQL), params).first()
        return None if found is None else tuple(found)

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
                    " st.disabled, st.role FROM console_sessions s"
                    " LEFT JOIN staff st ON st.username = s.username WHERE s.token_hash = :h"
                ),
                {"h": digest},
            ).first()
            if row is None:
                return None
            username, csrf_token, created_at, last_seen_at, expires_at, disabled, role = row
            idle_deadline = int(last_seen_at) + self._settings.session_idle_s
            if now >= int(expires_at) or now >= idle_deadline or disabled is None or disabled:
                self._drop(conn, digest)
                return None
            conn.execute(
                text("UPDATE console_sessions SET last_seen_at = :n WHERE token_hash = :h"),
                {"n": now, "h": digest},
            )
        return Session(
            digest,
            str(username),
            str(csrf_token),
            int(created_at),
            now,
            int(expires_at),
            str(role),
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
