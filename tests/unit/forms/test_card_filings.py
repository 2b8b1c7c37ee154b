"""The card procedures' filings: format, ``check`` (the real command), QR code, the A4 request."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.forms.codec import canonical_bytes, filing_from_json, filing_to_dict
from kiosk.forms.errors import FilingFormatError
from kiosk.forms.messages import message
from kiosk.forms.model import NO_ADDRESS, Filing, FilingKind, ForeignResident, SealCard
from kiosk.forms.payload import decode_payload, encode_payload
from kiosk.forms.render.documents import render_documents
from kiosk.forms.validation import validate

REPO = Path(__file__).resolve().parents[3]
CARD_EXAMPLES = REPO / "examples" / "filings" / "card"
TODAY = "2026-11-27"
LANGUAGES = ("ja", "ja-x-easy", "en", "zh-Hans", "ko", "vi", "ne", "fil")


def _example(name: str) -> Filing:
    return filing_from_json((CARD_EXAMPLES / f"{name}.json").read_bytes())


def _check(filing: Filing, tmp_path: Path) -> tuple[int, dict[str, object]]:
    path = tmp_path / "filing.json"
    path.write_text(json.dumps(filing_to_dict(filing), ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "kiosk.forms", "check", "--filing", str(path), "--today", TODAY],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return proc.returncode, json.loads(proc.stdout)


def _codes(report: dict[str, object]) -> set[tuple[str, str]]:
    return {(f["code"], f["severity"]) for f in report["findings"]}  # type: ignore[attr-defined, index]


@pytest.mark.parametrize("name", ["seal_card_binding", "honseki_convenience_registration"])
def test_examples_round_trip_in_format_2_without_an_address(name: str) -> None:
    raw = (CARD_EXAMPLES / f"{name}.json").read_text(encoding="utf-8")
    filing = filing_from_json(raw)
    assert filing.kind is FilingKind(name) and filing.kind.is_card_procedure
    assert json.loads(raw) == filing_to_dict(filing)  # written back byte-for-byte as stored
    assert filing_to_dict(filing)["format"] == 2 and filing.new_address == NO_ADDRESS
    assert filing_from_json(canonical_bytes(filing)) == filing


def test_check_accepts_both_examples(tmp_path: Path) -> None:
    code, report = _check(_example("seal_card_binding"), tmp_path)
    assert code == 0 and _codes(report) == {("seal_card.clerk_confirms", "warning")}
    code, report = _check(_example("honseki_convenience_registration"), tmp_path)
    assert code == 0
    assert _codes(report) == {("honseki_registration.processing_time", "warning")}


def test_check_refuses_a_request_the_card_did_not_sign(tmp_path: Path) -> None:
    unsigned = dataclasses.replace(_example("seal_card_binding"), card_certificate=None)
    code, report = _check(unsigned, tmp_path)
    assert code == 1 and ("card_procedure.signature_missing", "error") in _codes(report)


def test_check_refuses_under_15_and_no_seal(tmp_path: Path) -> None:
    f = _example("seal_card_binding")
    young = dataclasses.replace(
        f, members=(dataclasses.replace(f.members[0], birth_date=date(2012, 1, 1)),)
    )
    code, report = _check(young, tmp_path)
    assert code == 1 and ("seal_card.too_young", "error") in _codes(report)
    no_seal = dataclasses.replace(f, seal_card=SealCard(seal_registered=False))
    code, report = _check(no_seal, tmp_path)
    assert code == 1 and ("seal_card.seal_not_registered", "error") in _codes(report)


def test_check_refuses_foreign_nationals_and_a_missing_honseki(tmp_path: Path) -> None:
    f = _example("honseki_convenience_registration")
    holder = f.members[0]
    foreign = dataclasses.replace(
        f, members=(dataclasses.replace(holder, honseki=None, foreign=ForeignResident("ベトナム")),)
    )
    code, report = _check(foreign, tmp_path)
    assert code == 1 and ("honseki_registration.not_japanese", "error") in _codes(report)
    missing = dataclasses.replace(f, members=(dataclasses.replace(holder, honseki=None),))
    code, report = _check(missing, tmp_path)
    assert code == 1 and ("honseki_registration.honseki_missing", "error") in _codes(report)


def test_expired_certificate_and_address_are_errors() -> None:
    f = _example("seal_card_binding")
    assert f.card_certificate is not None
    expired = dataclasses.replace(
        f, card_certificate=dataclasses.replace(f.card_certificate, not_after=date(2026, 1, 1))
    )
    codes = {x.code for x in validate(expired, None, today=date(2026, 11, 27))}
    assert "card_procedure.certificate_expired" in codes
    moved = dataclasses.replace(f, new_address=f.old_address)  # type: ignore[arg-type]
    codes = {x.code for x in validate(moved, None, today=date(2026, 11, 27))}
    assert "card_procedure.address_not_applicable" in codes


def test_codec_refuses_malformed_card_objects() -> None:
    raw = json.loads((CARD_EXAMPLES / "seal_card_binding.json").read_text(encoding="utf-8"))
    bad = {**raw, "card_certificate": {**raw["card_certificate"], "serial": "D60CAAA"}}
    with pytest.raises(FilingFormatError, match="card_certificate.serial"):
        filing_from_json(json.dumps(bad))
    bad = {**raw, "seal_card": {"seal_registered": True, "number": "123"}}
    with pytest.raises(FilingFormatError, match="seal_card.number"):
        filing_from_json(json.dumps(bad))
    v1 = {**raw, "format": 1}
    with pytest.raises(FilingFormatError):
        filing_from_json(json.dumps(v1))


def test_every_card_finding_has_a_text_in_every_language() -> None:
    f = _example("seal_card_binding")
    unsigned = dataclasses.replace(f, card_certificate=None, seal_card=None)
    findings = validate(unsigned, None, today=date(2026, 11, 27))
    assert {x.code for x in findings} >= {"card_procedure.signature_missing"}
    for finding in findings:
        for lang in ("ja", "en"):
            assert message(finding, lang) != finding.code


def test_qr_payload_carries_the_request(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    f = _example("seal_card_binding")
    parts = encode_payload(f, kiosk_id="kiosk-test-01", private_key=key)
    decoded = decode_payload(parts, trusted_keys=[key.public_key()])
    assert decoded.filing == f and decoded.signature == "valid"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_a4_request_is_one_page_with_the_serial(language: str) -> None:
    f = dataclasses.replace(_example("seal_card_binding"), language=language)
    docs = render_documents(f, kiosk_id="kiosk-test-01", private_key=Ed25519PrivateKey.generate())
    assert len(docs.pdf.pages) == 1 and docs.pdf.data.startswith(b"%PDF")
    assert docs.pdf.missing == () and docs.receipt.missing == ()
    page = docs.pdf.pages[0].convert("L")
    w, h = page.size
    top = page.crop((0, 0, w, h // 2)).point(lambda v: 255 if v < 128 else 0).getbbox()
    lower = page.crop((0, int(h * 0.72), w, int(h * 0.9)))  # above the page footer line
    assert top is not None  # the request is drawn
    assert lower.point(lambda v: 255 if v < 128 else 0).getbbox() is None  # a short form
