"""The ``seal_bindings`` table: a card certificate bound to a 宛名番号 and 印鑑登録番号.

Stored status is ``active``, ``revoked`` (the JPKI CRL lists the serial) or ``ended`` (死亡,
印鑑登録廃止, 転出, replaced by a renewed certificate). ``expired`` is derived: an active binding
past the certificate's notAfter answers ``expired`` (no sweep needed, never stale). Audit rows
name the binding id only — never the 宛名番号 or 印鑑登録番号.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, Engine, Row, text
from sqlalchemy.exc import IntegrityError

from server_sync.ids import new_uuid7
from server_sync.intake.clock import stamp
from server_sync.intake.store.audit import write_audit

from .certs import CertFacts, CertId
from .errors import BadBindingInputError, BindingConflictError, UntrustedCertificateError

#: 宛名番号 / 印鑑登録番号: the ward's own numbering (digits, letters, '-'), bounded
NUMBER_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z-]{0,31}$")


class LookupStatus(StrEnum):
    """What a lookup answers (the CLI and API contract)."""

    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"
    ENDED = "ended"
    UNKNOWN = "unknown"


class EndReason(StrEnum):
    """Why a binding ended."""

    DEATH = "death"  # 死亡 (entered by a clerk)
    SEAL_ABOLISHED = "seal_abolished"  # 印鑑登録廃止 (entered by a clerk)
    MOVE_OUT = "move_out"  # an accepted 転出 of the resident
    REPLACED = "replaced"  # a new certificate was bound for the same resident
    CRL = "crl"  # the serial appeared on an imported CRL (status revoked)
    CORRECTED = "corrected"  # entered in error (a clerk ends it and binds again)


#: reasons a clerk may enter on the console / CLI
CLERK_REASONS = (EndReason.DEATH, EndReason.SEAL_ABOLISHED, EndReason.CORRECTED)
END_LABELS = {
    EndReason.DEATH: "死亡",
    EndReason.SEAL_ABOLISHED: "印鑑登録廃止",
    EndReason.MOVE_OUT: "転出",
    EndReason.REPLACED: "証明書の更新（新しい登録へ）",
    EndReason.CRL: "失効（CRL）",
    EndReason.CORRECTED: "入力誤りの訂正",
}


@dataclass(frozen=True, slots=True)
class Binding:
    """One stored binding."""

    binding_id: str
    resident_id: str
    seal_number: str
    cert_issuer: str
    cert_serial: str
    not_after: str
    status: str
    end_reason: str | None
    created_at: str
    created_by: str
    ended_at: str | None
    ended_by: str | None
    filing_id: str | None
    kiosk_id: str | None

    def effective(self, now: datetime, *, revoked: bool = False) -> LookupStatus:
        """The status a lookup answers now (revoked > ended > expired > active)."""
        if revoked or self.status == LookupStatus.REVOKED.value:
            return LookupStatus.REVOKED
        if self.status == LookupStatus.ENDED.value:
            return LookupStatus.ENDED
        if stamp(now) > self.not_after:
            return LookupStatus.EXPIRED
        return LookupStatus.ACTIVE


@dataclass(frozen=True, slots=True)
class Lookup:
    """A lookup's answer; the 印鑑登録番号 only while the binding is active."""

    status: LookupStatus
    seal_number: str | None
    binding: Binding | None = None

    def as_json(self) -> dict[str, str | None]:
        """The contract: ``{"status": …, "seal_number": …}``."""
        return {"status": self.status.value, "seal_number": self.seal_number}


_COLUMNS = (
    "binding_id, resident_id, seal_number, cert_issuer, cert_serial, not_after, status,"
    " end_reason, created_at, created_by, ended_at, ended_by, filing_id, kiosk_id"
)


_NAMES = tuple(name.strip() for name in _COLUMNS.split(","))


def _binding(row: Row[Any]) -> Binding:
    col = row._mapping
    return Binding(**{name: col[name] for name in _NAMES})


def checked_number(raw: str, what: str) -> str:
    """A 宛名番号 or 印鑑登録番号 as typed (trimmed), or BadBindingInputError."""
    value = raw.strip()
    if not NUMBER_RE.fullmatch(value):
        raise BadBindingInputError(f"{what} is 1-32 letters, digits or '-'")
    return value


_LOOKUP = text(
    f"SELECT {', '.join('b.' + c.strip() for c in _COLUMNS.split(','))},"  # noqa: S608
    " r.serial AS revoked_serial FROM seal_bindings b LEFT JOIN jpki_revoked r"
    " ON r.issuer = b.cert_issuer AND r.serial = b.cert_serial"
    " WHERE b.cert_issuer = :i AND b.cert_serial = :s ORDER BY b.created_at DESC LIMIT 1"
)


def lookup_on(conn: Connection, cert_id: CertId, now: datetime) -> Lookup:
    """The newest binding of this certificate and its status now (one query)."""
    row = conn.execute(_LOOKUP, {"i": cert_id.issuer, "s": cert_id.serial}).first()
    if row is None:
        return Lookup(LookupStatus.UNKNOWN, None)
    binding = _binding(row)
    status = binding.effective(now, revoked=row._mapping["revoked_serial"] is not None)
    seal = binding.seal_number if status is LookupStatus.ACTIVE else None
    return Lookup(status, seal, binding)


def lookup(engine: Engine, cert_id: CertId, now: datetime) -> Lookup:
    """See :func:`lookup_on`."""
    with engine.connect() as conn:
        return lookup_on(conn, cert_id, now)


def is_revoked(conn: Connection, cert_id: CertId) -> bool:
    """Whether an imported CRL lists this certificate."""
    row = conn.execute(
        text("SELECT 1 FROM jpki_revoked WHERE issuer = :i AND serial = :s"),
        {"i": cert_id.issuer, "s": cert_id.serial},
    ).first()
    return row is not None


def _end_where(
    conn: Connection,
    where: str,
    params: dict[str, Any],
    reason: EndReason,
    actor: str,
    now: datetime,
) -> list[str]:
    ids = [
        str(r[0])
        for r in conn.execute(
            text(f"SELECT binding_id FROM seal_bindings WHERE status = 'active' AND {where}"),  # noqa: S608
            params,
        )
    ]
    for binding_id in ids:
        status = "revoked" if reason is EndReason.CRL else "ended"
        conn.execute(
            text(
                "UPDATE seal_bindings SET status = :st, end_reason = :r, ended_at = :at,"
                " ended_by = :by WHERE binding_id = :b AND status = 'active'"
            ),
            {"st": status, "r": reason.value, "at": stamp(now), "by": actor, "b": binding_id},
        )
        write_audit(
            conn,
            actor=actor,
            action=f"seal_binding.{status}",
            subject_type="seal_binding",
            subject_id=binding_id,
            detail={"reason": reason.value},
        )
    return ids


def add_binding(
    engine: Engine,
    facts: CertFacts,
    *,
    resident_id: str,
    seal_number: str,
    actor: str,
    now: datetime,
    filing: tuple[str, str] | None = None,
    conn: Connection | None = None,
) -> Binding:
    """Bind a trusted, valid, unrevoked certificate; an older active binding of the resident
    (a renewed certificate) ends as ``replaced``. Refused: untrusted/expired/revoked
    certificates, malformed numbers, a certificate already actively bound."""
    resident = checked_number(resident_id, "宛名番号 (resident id)")
    seal = checked_number(seal_number, "印鑑登録番号 (seal number)")
    if not facts.signed_by_root:
        raise UntrustedCertificateError("the certificate does not chain to a configured JPKI root")
    if facts.expired(now):
        raise UntrustedCertificateError("the certificate is expired or not valid yet")
    binding_id = new_uuid7()
    try:
        if conn is not None:
            _insert(conn, facts, binding_id, resident, seal, actor, now, filing)
        else:
            with engine.begin() as own:
                _insert(own, facts, binding_id, resident, seal, actor, now, filing)
    except IntegrityError as err:
        raise BindingConflictError("this certificate already has an active binding") from err
    found = get_binding(engine, binding_id) if conn is None else get_binding_on(conn, binding_id)
    if found is None:  # pragma: no cover - written just above
        raise BindingConflictError("the binding vanished")
    return found


def _insert(
    conn: Connection,
    facts: CertFacts,
    binding_id: str,
    resident: str,
    seal: str,
    actor: str,
    now: datetime,
    filing: tuple[str, str] | None,
) -> None:
    cert = facts.cert_id
    if is_revoked(conn, cert):
        raise UntrustedCertificateError("the certificate is revoked (imported CRL)")
    active = lookup_on(conn, cert, now)
    if active.binding is not None and active.binding.status == "active":
        raise BindingConflictError("this certificate already has an active binding")
    _end_where(conn, "resident_id = :r", {"r": resident}, EndReason.REPLACED, actor, now)
    conn.execute(
        text(
            f"INSERT INTO seal_bindings ({_COLUMNS}) VALUES (:id, :res, :seal, :iss, :ser, :na,"  # noqa: S608
            " 'active', NULL, :at, :by, NULL, NULL, :fid, :kid)"
        ),
        {
            "id": binding_id,
            "res": resident,
            "seal": seal,
            "iss": cert.issuer,
            "ser": cert.serial,
            "na": facts.not_after_text,
            "at": stamp(now),
            "by": actor,
            "fid": filing[1] if filing else None,
            "kid": filing[0] if filing else None,
        },
    )
    write_audit(
        conn,
        actor=actor,
        action="seal_binding.created",
        subject_type="seal_binding",
        subject_id=binding_id,
        detail={"filing_id": filing[1] if filing else None},
    )


def get_binding_on(conn: Connection, binding_id: str) -> Binding | None:
    """One binding by id."""
    row = conn.execute(
        text(f"SELECT {_COLUMNS} FROM seal_bindings WHERE binding_id = :b"),  # noqa: S608
        {"b": binding_id},
    ).first()
    return None if row is None else _binding(row)


def get_binding(engine: Engine, binding_id: str) -> Binding | None:
    """One binding by id."""
    with engine.connect() as conn:
        return get_binding_on(conn, binding_id)


def bindings_of_filing(engine: Engine, kiosk_id: str, filing_id: str) -> list[Binding]:
    """The bindings created by approving this filing (newest first)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM seal_bindings WHERE filing_id = :f AND kiosk_id = :k"  # noqa: S608
                " ORDER BY created_at DESC"
            ),
            {"f": filing_id, "k": kiosk_id},
        ).all()
    return [_binding(r) for r in rows]


def bindings_of_cert(engine: Engine, cert_id: CertId) -> list[Binding]:
    """Every binding of a certificate (newest first)."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                f"SELECT {_COLUMNS} FROM seal_bindings WHERE cert_issuer = :i"  # noqa: S608
                " AND cert_serial = :s ORDER BY created_at DESC"
            ),
            {"i": cert_id.issuer, "s": cert_id.serial},
        ).all()
    return [_binding(r) for r in rows]


def end_binding(
    engine: Engine, binding_id: str, reason: EndReason, *, actor: str, now: datetime
) -> Binding:
    """End one active binding (死亡 / 印鑑登録廃止 / …); BindingConflictError if not active."""
    with engine.begin() as conn:
        ended = _end_where(conn, "binding_id = :b", {"b": binding_id}, reason, actor, now)
        if not ended:
            raise BindingConflictError("the binding is not active")
        found = get_binding_on(conn, binding_id)
    if found is None:  # pragma: no cover - updated just above
        raise BindingConflictError("the binding vanished")
    return found


def end_bindings_of_resident(
    conn: Connection, resident_id: str, reason: EndReason, *, actor: str, now: datetime
) -> list[str]:
    """End every active binding of a resident (転出) in the caller's transaction."""
    return _end_where(conn, "resident_id = :r", {"r": resident_id}, reason, actor, now)


def end_bindings_of_filing(
    conn: Connection, kiosk_id: str, filing_id: str, *, actor: str, now: datetime
) -> list[str]:
    """End the active binding an accepted filing created (its decision undone or reopened)."""
    return _end_where(
        conn,
        "filing_id = :f AND kiosk_id = :k",
        {"f": filing_id, "k": kiosk_id},
        EndReason.CORRECTED,
        actor,
        now,
    )


def end_bindings_of_cert(
    conn: Connection, cert_id: CertId, reason: EndReason, *, actor: str, now: datetime
) -> list[str]:
    """End the active binding of a certificate (a 転出 by the same card), same transaction."""
    return _end_where(
        conn,
        "cert_issuer = :i AND cert_serial = :s",
        {"i": cert_id.issuer, "s": cert_id.serial},
        reason,
        actor,
        now,
    )


def revoke_serials(
    conn: Connection, issuer: str, serials: Sequence[str], *, actor: str, now: datetime
) -> list[str]:
    """Mark the active bindings of revoked serials ``revoked`` (CRL import, same transaction)."""
    revoked: list[str] = []
    wanted = set(serials)
    rows = conn.execute(
        text(
            "SELECT binding_id, cert_serial FROM seal_bindings"
            " WHERE status = 'active' AND cert_issuer = :i"
        ),
        {"i": issuer},
    ).all()
    for binding_id, serial in rows:
        if serial in wanted:
            revoked += _end_where(
                conn, "binding_id = :b", {"b": binding_id}, EndReason.CRL, actor, now
            )
    return revoked
