"""Review rules: which checks a filing shows and whether a clerk may accept or reject it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server_sync.intake.records import Filing, FilingSource, FilingStatus, ResidentBindingState


class KioskSignature(StrEnum):
    """The printed payload's kiosk signature, checked against the enrolled kiosk key."""

    VALID = "valid"
    INVALID = "invalid"
    UNKNOWN_KIOSK = "unknown_kiosk"
    REVOKED_KIOSK = "revoked_kiosk"


class CopyMatch(StrEnum):
    """How the scanned paper relates to the stored (posted) copy."""

    MATCHES = "matches"
    DIFFERS = "differs"
    PAPER_ONLY = "paper_only"
    NOT_SCANNED = "not_scanned"


class Outcome(StrEnum):
    """How a check is drawn: ✔ ok, ✖ bad, ⚠ warn, — none."""

    OK = "ok"
    BAD = "bad"
    WARN = "warn"
    NONE = "none"


MARKS = {Outcome.OK: "✔", Outcome.BAD: "✖", Outcome.WARN: "⚠", Outcome.NONE: "—"}


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """What the scanned barcode says, after verification (no personal data beyond the filing)."""

    filing_id: str
    kiosk_id: str
    key_id: str
    created_at: str
    signature: KioskSignature
    filing_json: str
    filing_sha256: str


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the checks panel."""

    name: str
    outcome: Outcome
    title: str
    title_en: str
    text: str
    text_en: str

    @property
    def mark(self) -> str:
        """The big symbol shown in front of the line."""
        return MARKS[self.outcome]


@dataclass(frozen=True, slots=True)
class Review:
    """The checks of one filing and the actions they allow."""

    checks: tuple[Check, ...]
    copy: CopyMatch
    can_accept: bool
    accept_blocker: str
    can_reject: bool
    blocker_code: str = ""


def copy_match(scan: ScanFacts | None, stored: Filing | None) -> CopyMatch:
    """Compare the scanned filing with the stored copy (SHA-256 of the bytes, and the kiosk)."""
    if scan is None:
        return CopyMatch.NOT_SCANNED
    if stored is None:
        return CopyMatch.PAPER_ONLY
    if stored.kiosk_id is not None and stored.kiosk_id != scan.kiosk_id:
        return CopyMatch.DIFFERS  # same filing id claimed by another kiosk
    if stored.source is FilingSource.PAPER and stored.envelope is None:
        # recorded earlier from paper: a match is still a match, but nothing was ever posted
        if stored.filing_sha256 != scan.filing_sha256:
            return CopyMatch.DIFFERS
        return CopyMatch.PAPER_ONLY
    return CopyMatch.MATCHES if stored.filing_sha256 == scan.filing_sha256 else CopyMatch.DIFFERS


_SIGNATURE_TEXT: dict[KioskSignature, tuple[Outcome, str, str]] = {
    KioskSignature.VALID: (Outcome.OK, "署名有効", "signature valid"),
    KioskSignature.INVALID: (Outcome.BAD, "署名無効（改ざんの疑い）", "INVALID signature"),
    KioskSignature.UNKNOWN_KIOSK: (Outcome.BAD, "未登録の端末", "unknown kiosk"),
    KioskSignature.REVOKED_KIOSK: (Outcome.BAD, "失効した端末", "revoked kiosk"),
}

_RESIDENT_TEXT: dict[ResidentBindingState, tuple[Outcome, str, str]] = {
    ResidentBindingState.VERIFIED: (
        Outcome.OK,
        "本人署名有効・証明書チェーン有効",
        "resident signature and chain valid",
    ),
    ResidentBindingState.ABSENT: (
        Outcome.WARN,
        "本人署名なし（窓口で本人確認）",
        "no resident signature: check identity at the counter",
    ),
    ResidentBindingState.UNTRUSTED_CHAIN: (
        Outcome.BAD,
        "証明書が信頼できるルートに連鎖しない",
        "certificate does not chain to the JPKI roots",
    ),
}

_COPY_TEXT: dict[CopyMatch, tuple[Outcome, str, str]] = {
    CopyMatch.MATCHES: (Outcome.OK, "送信データと一致", "matches the posted copy"),
    CopyMatch.DIFFERS: (Outcome.BAD, "送信データと相違", "DIFFERS from the posted copy"),
    CopyMatch.PAPER_ONLY: (Outcome.WARN, "紙のみ（端末から未送信）", "paper only: never posted"),
    CopyMatch.NOT_SCANNED: (Outcome.NONE, "届出書のQR未読取", "paper not scanned yet"),
}


def _kiosk_check(scan: ScanFacts | None, stored: Filing | None) -> Check:
    title, title_en = "端末署名", "Kiosk signature"
    if scan is not None:
        outcome, text, text_en = _SIGNATURE_TEXT[scan.signature]
        return Check("kiosk_signature", outcome, title, title_en, text, text_en)
    if stored is not None and stored.kiosk_signature_ok:
        return Check(
            "kiosk_signature",
            Outcome.OK,
            title,
            title_en,
            "署名有効（受信時に検証）",
            "signature valid (verified on receipt)",
        )
    return Check("kiosk_signature", Outcome.BAD, title, title_en, "署名未検証", "not verified")


def _resident_check(scan: ScanFacts | None, stored: Filing | None) -> Check:
    title, title_en = "本人署名", "Resident signature"
    if stored is not None and stored.envelope is not None:
        outcome, text, text_en = _RESIDENT_TEXT[stored.resident_binding]
        return Check("resident_signature", outcome, title, title_en, text, text_en)
    del scan
    return Check(
        "resident_signature",
        Outcome.WARN,
        title,
        title_en,
        "紙のみ：本人署名なし（窓口で本人確認）",
        "paper only: no card signature, check identity at the counter",
    )


#: blockers the counter identity check lifts (unknown kiosk, untrusted certificate, paper differs)
LIFTABLE = frozenset({"unknown_kiosk", "paper_differs", "untrusted_certificate"})


def _findings_check(errors: int, warnings: int) -> Check:
    title, title_en = "届出内容の検証", "Validation"
    if errors:
        text = f"エラー{errors}件・警告{warnings}件（下の一覧を確認）"
        return Check("validation", Outcome.BAD, title, title_en, text, "errors found")
    if warnings:
        return Check(
            "validation",
            Outcome.WARN,
            title,
            title_en,
            f"警告{warnings}件（下の一覧を確認）",
            "warnings",
        )
    return Check("validation", Outcome.OK, title, title_en, "指摘なし", "no findings")


def blocker_of(scan: ScanFacts | None, stored: Filing | None, copy: CopyMatch) -> tuple[str, str]:
    """(code, clerk text) of what stops an accept, ("", "") if nothing."""
    if stored is not None and stored.status is not FilingStatus.RECEIVED:
        return "decided", "審査済みです (already decided)"
    if scan is None:
        return "not_scanned", "届出書のQRコードを読み取ってください (scan the printed filing first)"
    if scan.signature is KioskSignature.UNKNOWN_KIOSK:
        return "unknown_kiosk", (
            "未登録の端末です。窓口で本人確認をすれば受理できます (unknown kiosk signature)"
        )
    if scan.signature is not KioskSignature.VALID:
        return "bad_signature", "端末署名が有効ではありません (kiosk signature not valid)"
    if copy is CopyMatch.DIFFERS:
        return "paper_differs", (
            "紙と送信データが異なります。相違箇所を確認してください (paper differs)"
        )
    if stored is not None and stored.resident_binding is ResidentBindingState.UNTRUSTED_CHAIN:
        return (
            "untrusted_certificate",
            "本人の証明書が信頼できません。窓口で本人確認で受理可 (certificate untrusted)",
        )
    return "", ""


def assess(
    scan: ScanFacts | None,
    stored: Filing | None,
    *,
    identity_checked: bool = False,
    errors: int = 0,
    warnings: int = 0,
) -> Review:
    """Checks for the panel plus the accept/reject decision rules.

    A counter identity check (``identity_checked``) lifts the :data:`LIFTABLE` blockers; an
    ERROR finding of the shared validation blocks the accept.
    """
    copy = copy_match(scan, stored)
    outcome, text, text_en = _COPY_TEXT[copy]
    checks = (
        _kiosk_check(scan, stored),
        _resident_check(scan, stored),
        Check("posted_copy", outcome, "送信データ照合", "Posted copy", text, text_en),
        _findings_check(errors, warnings),
    )
    code, blocker = blocker_of(scan, stored, copy)
    if code in LIFTABLE and identity_checked:
        code, blocker = "", ""
    if not blocker and errors:
        code, blocker = "findings", "エラーがあります（下の指摘を確認） (validation errors)"
    can_reject = (stored is None and scan is not None) or (
        stored is not None and stored.status is FilingStatus.RECEIVED
    )
    return Review(checks, copy, blocker == "", blocker, can_reject, code)
