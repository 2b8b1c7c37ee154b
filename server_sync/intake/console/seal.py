"""The card as 印鑑登録証 on the console: certificate state, binding on approval, ending.

- Every filing page with a card certificate shows its state: chain (a configured JPKI root
  signed it or not), expiry, revocation (from the imported CRL) and the binding status.
- A ``seal_card_binding`` filing is accepted only with the clerk's 宛名番号 and 印鑑登録番号;
  the final accept creates the active binding (audited, numbers never in the audit).
- An accepted 転出 ends the binding of the certificate that signed it (the same card) and, when
  the clerk enters the resident's 宛名番号 on accepting, every active binding of that resident.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography import x509

from server_sync.envelope import parse_envelope
from server_sync.errors import EnvelopeError
from server_sync.intake.bindings import crl as crl_store
from server_sync.intake.bindings import store as bindings
from server_sync.intake.bindings.certs import CertFacts, facts_of
from server_sync.intake.bindings.errors import BindingError
from server_sync.intake.clock import stamp
from server_sync.intake.context import IntakeContext
from server_sync.intake.records import Filing

from .auth import Session
from .errors import ActionRefusedError, BadInputError
from .views import short_time

log = logging.getLogger(__name__)

SEAL_KIND = "seal_card_binding"
MOVE_OUT_KIND = "move_out"
#: accept-form fields (carried to the confirmation page)
RESIDENT_FIELD = "resident_id"
SEAL_FIELD = "seal_number"
MOVE_OUT_RESIDENT_FIELD = "moveout_resident_id"
FIELDS = (RESIDENT_FIELD, SEAL_FIELD, MOVE_OUT_RESIDENT_FIELD)
STATUS_JA = {
    "active": "有効（連携中）",
    "revoked": "失効（CRL）",
    "expired": "期限切れ",
    "ended": "終了",
    "unknown": "未連携",
}


def kind_of(filing_json: str) -> str:
    """The ``kind`` member of a filing's JSON ("" if unreadable)."""
    try:
        kind = json.loads(filing_json).get("kind", "")
    except (ValueError, AttributeError, RecursionError):
        return ""
    return kind if isinstance(kind, str) else ""


def certificate_of(stored: Filing | None) -> x509.Certificate | None:
    """The 利用者証明用 certificate in the stored envelope (None for paper or without one)."""
    if stored is None or stored.envelope is None:
        return None
    try:
        envelope = parse_envelope(stored.envelope.encode("utf-8"))
    except EnvelopeError:
        return None
    if envelope.resident is None:
        return None
    try:
        return x509.load_der_x509_certificate(envelope.resident.certificate)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class AcceptPlan:
    """What accepting this filing does to bindings (checked before the decision)."""

    kind: str
    facts: CertFacts | None
    resident_id: str = ""
    seal_number: str = ""
    filing: tuple[str, str] = ("", "")


def _checked(form: Mapping[str, str], field: str, what: str) -> str:
    try:
        return bindings.checked_number(form.get(field, ""), what)
    except BindingError as err:
        raise BadInputError(f"{what}を正しく入力してください ({err.detail})") from err


def plan_accept(
    ctx: IntakeContext, stored: Filing | None, filing_json: str, form: Mapping[str, str]
) -> AcceptPlan | None:
    """Validate the binding fields of an accept (BadInputError / ActionRefusedError) or None."""
    kind = kind_of(filing_json)
    if kind not in (SEAL_KIND, MOVE_OUT_KIND):
        return None
    cert = certificate_of(stored)
    facts = facts_of(cert, ctx.roots) if cert is not None else None
    key = ((stored.kiosk_id or ""), stored.filing_id) if stored is not None else ("", "")
    if kind == MOVE_OUT_KIND:
        typed = form.get(MOVE_OUT_RESIDENT_FIELD, "").strip()
        resident = _checked(form, MOVE_OUT_RESIDENT_FIELD, "宛名番号") if typed else ""
        return AcceptPlan(kind, facts, resident_id=resident, filing=key)
    resident = _checked(form, RESIDENT_FIELD, "宛名番号")
    seal = _checked(form, SEAL_FIELD, "印鑑登録番号")
    if facts is None:
        raise ActionRefusedError(
            "カードの証明書がない届出は印鑑登録証として連携できません (no card certificate)"
        )
    if not facts.signed_by_root:
        raise ActionRefusedError(
            "証明書が信頼できる認証局のものではありません (certificate does not chain to JPKI)"
        )
    if facts.expired(ctx.now()):
        raise ActionRefusedError("証明書の有効期間外です (certificate expired)")
    with ctx.engine.connect() as conn:
        if bindings.is_revoked(conn, facts.cert_id):
            raise ActionRefusedError("証明書は失効しています (certificate revoked, CRL)")
        current = bindings.lookup_on(conn, facts.cert_id, ctx.now())
    if current.status is bindings.LookupStatus.ACTIVE:
        raise ActionRefusedError("この証明書は既に連携されています (already bound)")
    return AcceptPlan(kind, facts, resident_id=resident, seal_number=seal, filing=key)


def apply_accept(ctx: IntakeContext, session: Session, plan: AcceptPlan | None) -> None:
    """After the filing became 受理: create the binding, or end those a 転出 ends."""
    if plan is None:
        return
    actor = f"staff:{session.username}"
    now = ctx.now()
    if plan.kind == SEAL_KIND and plan.facts is not None:
        try:
            bindings.add_binding(
                ctx.engine,
                plan.facts,
                resident_id=plan.resident_id,
                seal_number=plan.seal_number,
                actor=actor,
                now=now,
                filing=plan.filing,
            )
        except BindingError as err:  # a race after the checks: the page shows "未連携"
            log.warning("binding for filing %s not created: %s", plan.filing[1], err.code)
        return
    with ctx.engine.begin() as conn:
        ended: list[str] = []
        if plan.facts is not None and plan.facts.signed_by_root:
            ended += bindings.end_bindings_of_cert(
                conn, plan.facts.cert_id, bindings.EndReason.MOVE_OUT, actor=actor, now=now
            )
        if plan.resident_id:
            ended += bindings.end_bindings_of_resident(
                conn, plan.resident_id, bindings.EndReason.MOVE_OUT, actor=actor, now=now
            )
    if ended:
        log.info("転出 %s ended %d seal bindings", plan.filing[1], len(ended))


def after_undecided(ctx: IntakeContext, session: Session, filing_id: str, kiosk_id: str) -> int:
    """A decision undone / reopened: the binding its approval created ends (入力誤りの訂正).

    Bindings a 転出 ended stay ended (the clerk binds again if the 転出 is withdrawn).
    """
    with ctx.engine.begin() as conn:
        ended = bindings.end_bindings_of_filing(
            conn, kiosk_id, filing_id, actor=f"staff:{session.username}", now=ctx.now()
        )
    return len(ended)


def binding_row(binding: bindings.Binding, now: datetime) -> dict[str, Any]:
    """One binding as the pages show it."""
    status = binding.effective(now).value
    reason = binding.end_reason
    return {
        "binding_id": binding.binding_id,
        "resident_id": binding.resident_id,
        "seal_number": binding.seal_number,
        "serial": binding.cert_serial,
        "issuer": binding.cert_issuer,
        "not_after": short_time(binding.not_after),
        "status": status,
        "status_ja": STATUS_JA.get(status, status),
        "end_reason": bindings.END_LABELS.get(bindings.EndReason(reason), reason) if reason else "",
        "created": f"{binding.created_by.split(':', 1)[-1]} {short_time(binding.created_at)}",
        "ended": (
            f"{(binding.ended_by or '').split(':', 1)[-1]} {short_time(binding.ended_at)}"
            if binding.ended_at
            else ""
        ),
        "can_end": binding.status == "active",
    }


def section(ctx: IntakeContext, session: Session, stored: Filing | None) -> dict[str, Any] | None:
    """The filing page's certificate section (None without a card certificate)."""
    del session
    cert = certificate_of(stored)
    if stored is None or cert is None:
        kind = kind_of(stored.filing_json) if stored is not None else ""
        return {"absent": True, "seal": kind == SEAL_KIND} if kind == SEAL_KIND else None
    now = ctx.now()
    facts = facts_of(cert, ctx.roots)
    with ctx.engine.connect() as conn:
        revoked = bindings.is_revoked(conn, facts.cert_id)
        found = bindings.lookup_on(conn, facts.cert_id, now)
        crl = crl_store.stored_crl(conn, facts.cert_id.issuer)
    rows = [binding_row(b, now) for b in bindings.bindings_of_cert(ctx.engine, facts.cert_id)]
    return {
        "absent": False,
        "seal": kind_of(stored.filing_json) == SEAL_KIND,
        "move_out": kind_of(stored.filing_json) == MOVE_OUT_KIND,
        "issuer": facts.cert_id.issuer,
        "serial": facts.cert_id.serial,
        "not_after": short_time(facts.not_after_text),
        "trusted": facts.signed_by_root,
        "expired": facts.expired(now),
        "revoked": revoked,
        "crl": (
            {
                "number": crl.crl_number,
                "this_update": short_time(crl.this_update),
                "stale": bool(crl.next_update and crl.next_update < stamp(now)),
            }
            if crl is not None
            else None
        ),
        "binding_status": found.status.value,
        "binding_status_ja": STATUS_JA[found.status.value],
        "bindings": rows,
        "reasons": [(r.value, bindings.END_LABELS[r]) for r in bindings.CLERK_REASONS],
    }
