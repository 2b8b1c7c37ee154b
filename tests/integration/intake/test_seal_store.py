"""Certificates recorded per filing and the bindings' end paths, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import httpx
from sqlalchemy import text

from server_sync.intake.bindings import store as bindings
from server_sync.intake.bindings.certs import facts_of
from server_sync.intake.bindings.crl import import_crl
from server_sync.intake.bindings.errors import BindingConflictError
from server_sync.intake.clock import stamp, utc_now
from tests.fixtures.intake import IntakeServer
from tests.integration.intake.kit import Pki, TestKiosk
from tests.integration.intake.seal_kit import card, crl

UTC = dt.UTC


def test_every_filing_records_issuer_serial_and_not_after(
    shared_intake: IntakeServer, client: httpx.Client, jpki: Pki, rogue_pki: Pki
) -> None:
    kiosk = TestKiosk("seal-cert-recorder")
    assert kiosk.enrol(client, shared_intake.create_token(kiosk.kiosk_id)).status_code == 201
    trusted, untrusted = card(jpki), card(rogue_pki)
    ids = {}
    for name, holder in (("trusted", trusted), ("untrusted", untrusted), ("none", None)):
        fid, env = kiosk.envelope(card=holder)
        assert kiosk.post_filing(client, env).status_code == 201
        ids[name] = fid
    with shared_intake.engine.connect() as conn:
        rows = {
            r.filing_id: r
            for r in conn.execute(
                text(
                    "SELECT filing_id, resident_binding, resident_cert_serial,"
                    " resident_cert_issuer, resident_cert_not_after FROM filings"
                    " WHERE kiosk_id = :k"
                ),
                {"k": kiosk.kiosk_id},
            )
        }
    for name, holder in (("trusted", trusted), ("untrusted", untrusted)):
        row = rows[ids[name]]
        assert row.resident_cert_serial == format(holder.cert.serial_number, "x")
        assert row.resident_cert_issuer == "CN=Toy JPKI user authentication CA"
        assert row.resident_cert_not_after == stamp(holder.cert.not_valid_after_utc)
    assert rows[ids["trusted"]].resident_binding == "verified"
    assert rows[ids["untrusted"]].resident_binding == "untrusted_chain"
    none = rows[ids["none"]]
    assert (none.resident_cert_serial, none.resident_cert_issuer, none.resident_cert_not_after) == (
        None,
        None,
        None,
    )


def test_end_paths_and_no_revival(shared_intake: IntakeServer, jpki: Pki) -> None:
    engine, now = shared_intake.engine, utc_now()
    a, b, c = card(jpki), card(jpki), card(jpki)
    made = {}
    for holder, resident in ((a, "R-A"), (b, "R-B"), (c, "R-C")):
        facts = facts_of(holder.cert, [jpki.root])
        made[resident] = bindings.add_binding(
            engine, facts, resident_id=resident, seal_number=f"S{resident}", actor="cli:t", now=now
        )
    # 死亡 entered by a clerk; a second end is refused
    ended = bindings.end_binding(
        engine, made["R-A"].binding_id, bindings.EndReason.DEATH, actor="staff:x", now=now
    )
    assert (ended.status, ended.end_reason, ended.ended_by) == ("ended", "death", "staff:x")
    try:
        bindings.end_binding(
            engine, made["R-A"].binding_id, bindings.EndReason.DEATH, actor="staff:x", now=now
        )
    except BindingConflictError:
        pass
    else:  # pragma: no cover - the assertion below names the failure
        raise AssertionError("ending an ended binding must be refused")
    # 転出 by 宛名番号
    with engine.begin() as conn:
        assert bindings.end_bindings_of_resident(
            conn, "R-B", bindings.EndReason.MOVE_OUT, actor="staff:x", now=now
        ) == [made["R-B"].binding_id]
    # a CRL revokes c; a later CRL without c never revives it
    roots = [jpki.root]
    first = crl(jpki, [c.cert.serial_number], number=100, this_update=now - dt.timedelta(hours=1))
    assert import_crl(engine, first, roots, actor="cli:t", now=now).bindings_revoked == 1
    later = crl(jpki, [], number=101)
    assert import_crl(engine, later, roots, actor="cli:t", now=now).bindings_revoked == 0
    found = bindings.lookup(engine, facts_of(c.cert, roots).cert_id, now)
    assert found.as_json() == {"status": "revoked", "seal_number": None}
    statuses = {
        r: bindings.lookup(engine, facts_of(h.cert, roots).cert_id, now).status.value
        for h, r in ((a, "R-A"), (b, "R-B"), (c, "R-C"))
    }
    assert statuses == {"R-A": "ended", "R-B": "ended", "R-C": "revoked"}
