"""Importing a JPKI CRL: verified against the trust anchors, never older than the stored one.

A CRL is complete for its issuer, so an import replaces that issuer's revoked list; bindings of
a listed serial become ``revoked`` in the same transaction (a later CRL that drops an expired
serial never revives a binding).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from sqlalchemy import Connection, Engine, text

from server_sync.intake.clock import stamp
from server_sync.intake.store.audit import write_audit

from .certs import serial_text
from .errors import CrlRefusedError
from .store import revoke_serials

PEM_CRL_MARK = b"-----BEGIN X509 CRL-----"
MAX_CRL_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class StoredCrl:
    """The newest imported CRL of an issuer."""

    issuer: str
    crl_number: int | None
    this_update: str
    next_update: str | None
    sha256: str
    revoked: int
    imported_at: str


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did."""

    issuer: str
    crl_number: int | None
    revoked_serials: int
    bindings_revoked: int
    unchanged: bool


def load_crl(data: bytes) -> x509.CertificateRevocationList:
    """A CRL from DER or PEM (CrlRefusedError otherwise)."""
    if len(data) > MAX_CRL_BYTES:
        raise CrlRefusedError("the CRL file is too large")
    try:
        if data.lstrip().startswith(PEM_CRL_MARK):
            return x509.load_pem_x509_crl(data)
        return x509.load_der_x509_crl(data)
    except ValueError as err:
        raise CrlRefusedError("not a readable X.509 CRL (DER or PEM)") from err


def _number(crl: x509.CertificateRevocationList) -> int | None:
    try:
        ext = crl.extensions.get_extension_for_class(x509.CRLNumber)
    except x509.ExtensionNotFound:
        return None
    return int(ext.value.crl_number)


def verify_crl(crl: x509.CertificateRevocationList, roots: Sequence[x509.Certificate]) -> None:
    """The CRL's signature must verify with the key of a trust anchor named as its issuer."""
    for root in roots:
        if root.subject != crl.issuer:
            continue
        try:
            if crl.is_signature_valid(root.public_key()):  # type: ignore[arg-type]
                return
        except (TypeError, ValueError):
            continue
    raise CrlRefusedError("the CRL's signature does not verify against the JPKI trust anchors")


def stored_crl(conn: Connection, issuer: str) -> StoredCrl | None:
    """The newest imported CRL of ``issuer``."""
    row = conn.execute(
        text(
            "SELECT issuer, crl_number, this_update, next_update, sha256, revoked, imported_at"
            " FROM jpki_crls WHERE issuer = :i"
        ),
        {"i": issuer},
    ).first()
    if row is None:
        return None
    return StoredCrl(
        issuer=row[0],
        crl_number=int(row[1]) if row[1] is not None else None,
        this_update=row[2],
        next_update=row[3],
        sha256=row[4],
        revoked=int(row[5]),
        imported_at=row[6],
    )


def stored_crls(engine: Engine) -> list[StoredCrl]:
    """Every issuer's newest CRL (for the console)."""
    with engine.connect() as conn:
        issuers = [str(r[0]) for r in conn.execute(text("SELECT issuer FROM jpki_crls"))]
        return [c for i in sorted(issuers) if (c := stored_crl(conn, i)) is not None]


def _check_newer(crl: x509.CertificateRevocationList, old: StoredCrl, digest: str) -> bool:
    """True if ``crl`` is the stored one again (nothing to do); CrlRefusedError if older."""
    if digest == old.sha256:
        return True
    this_update = stamp(crl.last_update_utc)
    number = _number(crl)
    if this_update < old.this_update:
        raise CrlRefusedError(
            f"the CRL (thisUpdate {this_update}) is older than the stored one ({old.this_update})"
        )
    if number is not None and old.crl_number is not None and number <= old.crl_number:
        raise CrlRefusedError(
            f"the CRL number {number} is not newer than the stored one ({old.crl_number})"
        )
    if number is None and this_update == old.this_update:
        raise CrlRefusedError("a different CRL with the same thisUpdate as the stored one")
    return False


def import_crl(
    engine: Engine,
    data: bytes,
    roots: Sequence[x509.Certificate],
    *,
    actor: str,
    now: datetime,
) -> ImportResult:
    """Verify and store a CRL, revoking the bindings of its serials (all or nothing)."""
    crl = load_crl(data)
    verify_crl(crl, roots)
    issuer = crl.issuer.rfc4514_string()
    digest = hashlib.sha256(crl.public_bytes(Encoding.DER)).hexdigest()
    serials = sorted({serial_text(entry.serial_number) for entry in crl})
    with engine.begin() as conn:
        old = stored_crl(conn, issuer)
        if old is not None and _check_newer(crl, old, digest):
            return ImportResult(issuer, old.crl_number, old.revoked, 0, unchanged=True)
        conn.execute(text("DELETE FROM jpki_revoked WHERE issuer = :i"), {"i": issuer})
        when = {serial_text(e.serial_number): stamp(e.revocation_date_utc) for e in crl}
        if serials:
            conn.execute(
                text("INSERT INTO jpki_revoked (issuer, serial, revoked_at) VALUES (:i, :s, :at)"),
                [{"i": issuer, "s": s, "at": when[s]} for s in serials],
            )
        conn.execute(text("DELETE FROM jpki_crls WHERE issuer = :i"), {"i": issuer})
        number = _number(crl)
        conn.execute(
            text(
                "INSERT INTO jpki_crls (issuer, crl_number, this_update, next_update, sha256,"
                " revoked, imported_at, imported_by) VALUES (:i, :n, :tu, :nu, :h, :r, :at, :by)"
            ),
            {
                "i": issuer,
                "n": str(number) if number is not None else None,
                "tu": stamp(crl.last_update_utc),
                "nu": stamp(crl.next_update_utc) if crl.next_update_utc else None,
                "h": digest,
                "r": len(serials),
                "at": stamp(now),
                "by": actor,
            },
        )
        revoked = revoke_serials(conn, issuer, serials, actor=actor, now=now)
        write_audit(
            conn,
            actor=actor,
            action="jpki_crl.imported",
            subject_type="jpki_crl",
            subject_id=digest[:16],
            detail={"crl_number": number, "serials": len(serials), "bindings": len(revoked)},
        )
    return ImportResult(issuer, number, len(serials), len(revoked), unchanged=False)
