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


def assess(scan: ScanFacts | None, stored: Filing | None) -> Review:
    """Checks for the panel plus the accept/reject decision rules."""
    copy = copy_match(scan, stored)
    outcome, text, text_en = _COPY_TEXT[copy]
    checks = (
        _kiosk_check(scan, stored),
        _resident_check(scan, stored),
        Check("posted_copy", outcome, "送信データ照合", "Posted copy", text, text_en),
    )
    blocker = ""
    if stored is not None and stored.status is not FilingStatus.RECEIVED:
        blocker = "審査済みです (already decided)"
    elif scan is None:
        blocker = "届出書のQRコードを読み取ってください (scan the printed filing first)"
    elif scan.signature is not KioskSignature.VALID:
        blocker = "端末署名が有効ではありません (kiosk signature not valid)"
    elif copy is CopyMatch.DIFFERS:
        blocker = "紙と送信データが異なります (paper differs from the posted copy)"
    elif stored is not None and stored.resident_binding is ResidentBindingState.UNTRUSTED_CHAIN:
        blocker = "本人の証明書が信頼できません (resident certificate untrusted)"
    can_reject = (stored is None and scan is not None) or (
        stored is not None and stored.status is FilingStatus.RECEIVED
    )
    return Review(checks, copy, blocker == "", blocker, can_reject)
