"""Kiosks: enrolment tokens, enrolment, revocation, last contact and heartbeats."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import Connection, Engine, text

from server_sync.envelope import key_id_for
from server_sync.intake.clock import stamp
from server_sync.intake.errors import BadTokenError, NotFoundError
from server_sync.intake.records import Kiosk
from server_sync.intake.store.audit import write_audit
from server_sync.intake.store.pg_direct import is_postgres, pg_connections
from server_sync.intake.store.sqlite_direct import fetch_one, is_sqlite, sqlite_reader

TOKEN_BYTES = 24
#: last_contact_at is telemetry: refreshed at most this often per kiosk
CONTACT_RESOLUTION = timedelta(seconds=5)
_KIOSK_COLUMNS = (
    "kiosk_id, public_key, key_id, enrolled_at, revoked_at, last_contact_at, backlog, dead,"
    " master_version, app_version"
)
_STAND_COLUMNS = "image_version, boot_slot, reader_state, printer_state"
#: the filing POST's one read: the kiosk row and the digest stored under the idempotency key
_KIOSK_AND_DIGEST = (
    f"SELECT {_KIOSK_COLUMNS}, (SELECT filing_sha256 FROM filings"  # noqa: S608
    " WHERE filing_id = :f AND kiosk_id = :k) FROM kiosks WHERE kiosk_id = :k"
)


@dataclass(frozen=True, slots=True)
class StandState:
    """What a heartbeat says about the stand itself (each None when the stand cannot tell)."""

    image_version: str | None
    slot: str | None
    reader: str | None
    printer: str | None


@dataclass(frozen=True, slots=True)
class PendingEnrolment:
    """A kiosk id with an unused enrolment token and no enrolled key yet."""

    kiosk_id: str
    token_created_at: str
    token_expires_at: str
    expired: bool


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _kiosk(row: Sequence[Any]) -> Kiosk:
    return Kiosk(
        kiosk_id=row[0],
        public_key=base64.b64decode(row[1]),
        key_id=row[2],
        enrolled_at=row[3],
        revoked_at=row[4],
        last_contact_at=row[5],
        backlog=row[6],
        dead=row[7],
        master_version=row[8],
        app_version=row[9],
    )


def create_enrol_token(
    engine: Engine, kiosk_id: str, *, ttl: timedelta, now: datetime, actor: str
) -> str:
    """Issue a one-time enrolment token bound to ``kiosk_id``; only its hash is stored."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO enrol_tokens (token_sha256, kiosk_id, created_at, expires_at,"
                " created_by) VALUES (:h, :k, :c, :e, :by)"
            ),
            {
                "h": _token_hash(token),
                "k": kiosk_id,
                "c": stamp(now),
                "e": stamp(now + ttl),
                "by": actor,
            },
        )
        write_audit(
            conn,
            actor=actor,
            action="enrol_token.created",
            subject_type="kiosk",
            subject_id=kiosk_id,
            detail={"expires_at": stamp(now + ttl)},
        )
    return token


def _get_kiosk(conn: Connection, kiosk_id: str) -> Kiosk | None:
    row = conn.execute(
        text(f"SELECT {_KIOSK_COLUMNS} FROM kiosks WHERE kiosk_id = :k"),  # noqa: S608
        {"k": kiosk_id},
    ).first()
    return None if row is None else _kiosk(row)


def _record_key(conn: Connection, params: dict[str, str]) -> None:
    """Retire the kiosk's current key (kept for older filings) and record the new one."""
    conn.execute(
        text(
            "UPDATE kiosk_keys SET retired_at = :now"
            " WHERE kiosk_id = :k AND retired_at IS NULL AND key_id <> :kid"
        ),
        params,
    )
    conn.execute(text("DELETE FROM kiosk_keys WHERE kiosk_id = :k AND key_id = :kid"), params)
    conn.execute(
        text(
            "INSERT INTO kiosk_keys (kiosk_id, key_id, public_key, enrolled_at)"
            " VALUES (:k, :kid, :pk, :now)"
        ),
        params,
    )


def kiosk_key_at(engine: Engine, kiosk_id: str, key_id: str, signed_at: str) -> bytes | None:
    """The raw public key ``key_id`` of the kiosk if it was its key at ``signed_at`` (RFC 3339).

    The current key always qualifies; a retired one only for what was signed before it was
    replaced (re-enrolment).
    """
    sql = (
        "SELECT public_key FROM kiosk_keys WHERE kiosk_id = :k AND key_id = :kid"
        " AND (retired_at IS NULL OR retired_at > :at)"
    )
    params = {"k": kiosk_id, "kid": key_id, "at": signed_at}
    row: Sequence[Any] | None
    if is_sqlite(engine):
        row = fetch_one(engine, sql, params)
    elif is_postgres(engine):
        row = pg_connections(engine).fetch_one(sql, params)
    else:
        with engine.connect() as conn:
            row = conn.execute(text(sql), params).first()
    return None if row is None else base64.b64decode(row[0])


def kiosk_keys_at(engine: Engine, kiosk_id: str, signed_at: str) -> list[bytes]:
    """Every raw public key the kiosk had at ``signed_at`` (the current one included)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT public_key FROM kiosk_keys WHERE kiosk_id = :k"
                " AND (retired_at IS NULL OR retired_at > :at) ORDER BY enrolled_at DESC"
            ),
            {"k": kiosk_id, "at": signed_at},
        ).all()
    return [base64.b64decode(row[0]) for row in rows]


def get_kiosk(engine: Engine, kiosk_id: str) -> Kiosk | None:
    """The kiosk with this id, or None."""
    with engine.connect() as conn:
        return _get_kiosk(conn, kiosk_id)


def kiosk_and_digest(
    engine: Engine, kiosk_id: str, filing_id: str
) -> tuple[Kiosk | None, str | None]:
    """The kiosk row and the stored digest of ``filing_id`` (or None each), in one query.

    The filing POST reads both up front; the digest is only looked at after every check passed.
    """
    sql, params = _KIOSK_AND_DIGEST, {"k": kiosk_id, "f": filing_id}
    row: Sequence[Any] | None
    if is_sqlite(engine):  # the hot read of every filing POST: no SQLAlchemy per-statement work
        row = fetch_one(engine, sql, params)
    elif is_postgres(engine):  # one round trip, prepared (see store/pg_direct.py)
        row = pg_connections(engine).fetch_one(sql, params)
    else:
        with engine.connect() as conn:
            row = conn.execute(text(sql), params).first()
    if row is None:
        return None, None
    return _kiosk(row), row[10]


async def kiosk_and_digest_async(
    engine: Engine, kiosk_id: str, filing_id: str
) -> tuple[Kiosk | None, str | None]:
    """:func:`kiosk_and_digest` for the event loop: PostgreSQL's round trip is awaited; SQLite's
    read (in-process, an index lookup, never waiting for a writer under WAL) runs inline."""
    params = {"k": kiosk_id, "f": filing_id}
    row: Sequence[Any] | None
    if is_sqlite(engine):
        row = sqlite_reader(engine).fetch_one(_KIOSK_AND_DIGEST, params)
    elif is_postgres(engine):
        row = await pg_connections(engine).fetch_one_async(_KIOSK_AND_DIGEST, params)
    else:
        return kiosk_and_digest(engine, kiosk_id, filing_id)
    return (None, None) if row is None else (_kiosk(row), row[10])


def list_kiosks(engine: Engine) -> list[Kiosk]:
    """Every kiosk ever enrolled (revoked ones included), by id, with the stand's last report."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(f"SELECT {_KIOSK_COLUMNS}, {_STAND_COLUMNS} FROM kiosks ORDER BY kiosk_id")  # noqa: S608
        ).all()
    width = len(_KIOSK_COLUMNS.split(","))
    return [
        dataclasses.replace(
            _kiosk(row),
            image_version=row[width],
            boot_slot=row[width + 1],
            reader_state=row[width + 2],
            printer_state=row[width + 3],
        )
        for row in rows
    ]


def pending_enrolments(engine: Engine, now: datetime) -> list[PendingEnrolment]:
    """Kiosk ids that got an enrolment token but never enrolled (newest token per id)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT kiosk_id, MAX(created_at), MAX(expires_at) FROM enrol_tokens"
                " WHERE used_at IS NULL AND kiosk_id NOT IN (SELECT kiosk_id FROM kiosks)"
                " GROUP BY kiosk_id ORDER BY kiosk_id"
            )
        ).all()
    return [
        PendingEnrolment(str(r[0]), str(r[1]), str(r[2]), expired=str(r[2]) < stamp(now))
        for r in rows
    ]


def enrol_kiosk(
    engine: Engine, token: str, kiosk_id: str, public_key: bytes, now: datetime
) -> Kiosk:
    """Consume a token and store (or replace) the kiosk's key; re-enrolment lifts a revocation."""
    key_id = key_id_for(Ed25519PublicKey.from_public_bytes(public_key))
    with engine.begin() as conn:
        claimed = conn.execute(
            text(
                "UPDATE enrol_tokens SET used_at = :now WHERE token_sha256 = :h AND kiosk_id = :k"
                " AND used_at IS NULL AND expires_at > :now"
            ),
            {"now": stamp(now), "h": _token_hash(token), "k": kiosk_id},
        )
        if claimed.rowcount != 1:
            raise BadTokenError("enrolment token is unknown, used, expired or for another kiosk")
        previous = _get_kiosk(conn, kiosk_id)
        params = {
            "k": kiosk_id,
            "pk": base64.b64encode(public_key).decode("ascii"),
            "kid": key_id,
            "now": stamp(now),
        }
        if previous is None:
            conn.execute(
                text(
                    "INSERT INTO kiosks (kiosk_id, public_key, key_id, enrolled_at)"
                    " VALUES (:k, :pk, :kid, :now)"
                ),
                params,
            )
        else:
            conn.execute(
                text(
                    "UPDATE kiosks SET public_key = :pk, key_id = :kid, enrolled_at = :now,"
                    " revoked_at = NULL WHERE kiosk_id = :k"
                ),
                params,
            )
        _record_key(conn, params)
        write_audit(
            conn,
            actor=f"kiosk:{kiosk_id}",
            action="kiosk.enrolled" if previous is None else "kiosk.re_enrolled",
            subject_type="kiosk",
            subject_id=kiosk_id,
            detail={"key_id": key_id},
        )
        kiosk = _get_kiosk(conn, kiosk_id)
    if kiosk is None:  # pragma: no cover - written in this transaction
        raise NotFoundError(f"kiosk {kiosk_id} vanished")
    return kiosk


def revoke_kiosk(engine: Engine, kiosk_id: str, *, now: datetime, actor: str) -> Kiosk:
    """Revoke a kiosk: its requests are refused from now on (403 revoked_kiosk)."""
    with engine.begin() as conn:
        changed = conn.execute(
            text("UPDATE kiosks SET revoked_at = :now WHERE kiosk_id = :k AND revoked_at IS NULL"),
            {"now": stamp(now), "k": kiosk_id},
        )
        kiosk = _get_kiosk(conn, kiosk_id)
        if kiosk is None:
            raise NotFoundError(f"no kiosk {kiosk_id}")
        if changed.rowcount == 1:
            write_audit(
                conn, actor=actor, action="kiosk.revoked", subject_type="kiosk", subject_id=kiosk_id
            )
        # unused tokens for a revoked kiosk die with it
        conn.execute(
            text("UPDATE enrol_tokens SET used_at = :now WHERE kiosk_id = :k AND used_at IS NULL"),
            {"now": stamp(now), "k": kiosk_id},
        )
    return kiosk


def record_contact(engine: Engine, kiosk_id: str, now: datetime) -> None:
    """Note the time of an authenticated request (telemetry, not audited).

    Written at most every CONTACT_RESOLUTION: a busy kiosk's requests then cost no extra commit
    (each commit is an fsync, the intake's throughput limit).
    """
    params = {"now": stamp(now), "k": kiosk_id, "cutoff": stamp(now - CONTACT_RESOLUTION)}
    stale = "kiosk_id = :k AND (last_contact_at IS NULL OR last_contact_at < :cutoff)"
    with engine.connect() as conn:  # a read first: an UPDATE would take SQLite's write lock
        due = conn.execute(text(f"SELECT 1 FROM kiosks WHERE {stale}"), params).first()  # noqa: S608
    if due is None:
        return
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE kiosks SET last_contact_at = :now WHERE {stale}"), params)  # noqa: S608


def contact_due(kiosk: Kiosk, now: datetime) -> bool:
    """Whether the kiosk row just read needs its last_contact_at refreshed (a write)."""
    return kiosk.last_contact_at is None or kiosk.last_contact_at < stamp(now - CONTACT_RESOLUTION)


def record_contact_of(engine: Engine, kiosk: Kiosk, now: datetime) -> None:
    """Like :func:`record_contact` for a kiosk row just read: no second read when not due."""
    if not contact_due(kiosk, now):
        return
    cutoff = stamp(now - CONTACT_RESOLUTION)
    params = {"now": stamp(now), "k": kiosk.kiosk_id, "cutoff": cutoff}
    stale = "kiosk_id = :k AND (last_contact_at IS NULL OR last_contact_at < :cutoff)"
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE kiosks SET last_contact_at = :now WHERE {stale}"), params)  # noqa: S608


def record_heartbeat(
    engine: Engine,
    kiosk_id: str,
    *,
    now: datetime,
    backlog: int,
    dead: int,
    master_version: str | None,
    app_version: str,
    stand: StandState | None = None,
) -> None:
    """Store what the kiosk reported (shown by the console's fleet view; not audited).

    A kiosk that sends no stand fields (older software) keeps the last ones it sent.
    """
    params: dict[str, Any] = {
        "now": stamp(now),
        "b": backlog,
        "d": dead,
        "mv": master_version,
        "av": app_version,
        "k": kiosk_id,
    }
    stand_sql = ""
    if stand is not None:
        stand_sql = (
            ", image_version = :iv, boot_slot = :sl, reader_state = :rs, printer_state = :ps"
        )
        params |= {"iv": stand.image_version, "sl": stand.slot, "rs": stand.reader,
                   "ps": stand.printer}  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            text(  # stand_sql is one of two constant texts: no input reaches the SQL
                "UPDATE kiosks SET last_contact_at = :now, backlog = :b, dead = :d,"  # noqa: S608
                f" master_version = :mv, app_version = :av{stand_sql} WHERE kiosk_id = :k"
            ),
            params,
        )
