"""The generated test PKI: roots, end-entity certificates, determinism, trust folder."""

from __future__ import annotations

from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.hardware.card.sim import TestPki
from kiosk.hardware.card.sim.identity import EXAMPLES_DIR, Identity
from kiosk.hardware.card.sim.pki import OID_SAN_BIRTH_DATE, OID_SAN_NAME

TAKAHASHI = Identity.load(EXAMPLES_DIR / "takahashi.json")


def _verify_issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> None:
    key = issuer.public_key()
    assert isinstance(key, rsa.RSAPublicKey)
    assert cert.signature_hash_algorithm is not None
    key.verify(
        cert.signature,
        cert.tbs_certificate_bytes,
        padding.PKCS1v15(),
        cert.signature_hash_algorithm,
    )
    assert cert.issuer == issuer.subject


def test_roots_are_self_signed_rsa_2048_jpki_style(test_pki: TestPki) -> None:
    for root, ou in (
        (test_pki.auth_root, "JPKI for user authentication"),
        (test_pki.sign_root, "JPKI for digital signature"),
    ):
        _verify_issued_by(root, root)
        key = root.public_key()
        assert isinstance(key, rsa.RSAPublicKey) and key.key_size == 2048
        ous = [
            a.value for a in root.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        ]
        assert ou in ous
        assert root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca


def test_auth_certificate_carries_no_personal_data(test_pki: TestPki) -> None:
    der = test_pki.card(TAKAHASHI).auth_cert_der
    cert = x509.load_der_x509_certificate(der)
    _verify_issued_by(cert, test_pki.auth_root)
    text = cert.subject.rfc4514_string() + repr(cert.extensions)
    for secret in ("髙橋", "𠮷", "北海道", TAKAHASHI.my_number, "19621130"):
        assert secret not in text
        assert secret.encode() not in der
    assert len(cert.serial_number.to_bytes(8, "big").lstrip(b"\x00")) == 4
    assert cert.not_valid_after_utc.date().isoformat() == "2029-11-30"


def test_sign_certificate_has_the_personal_data_in_subject_alt_name(test_pki: TestPki) -> None:
    creds = test_pki.card(TAKAHASHI)
    assert creds.sign_cert_der is not None
    cert = x509.load_der_x509_certificate(creds.sign_cert_der)
    _verify_issued_by(cert, test_pki.sign_root)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    values = {n.type_id: n.value for n in san if isinstance(n, x509.OtherName)}
    assert values[OID_SAN_NAME] == b"\x0c\x10" + "髙橋　𠮷子".encode()
    assert values[OID_SAN_BIRTH_DATE] == b"\x0c\x09" + b"319621130"  # 昭和 = 3


def test_same_seed_gives_byte_identical_certificates(test_pki: TestPki) -> None:
    other = TestPki(test_pki.seed)  # a fresh instance reading the same disk cache
    assert other.card(TAKAHASHI).auth_cert_der == test_pki.card(TAKAHASHI).auth_cert_der
    assert other.auth_root == test_pki.auth_root


def test_different_seed_gives_a_different_hierarchy(tmp_path: Path) -> None:
    keys = {"root-auth": TestPki.shared().key("cv-issuer")}  # pre-generated keys can be passed in
    pki = TestPki("another-seed", cache_dir=tmp_path, keys=keys)
    assert pki.auth_root.public_key() == keys["root-auth"].public_key()
    assert pki.auth_root != TestPki.shared().auth_root


def test_write_trust_dir_writes_only_what_is_asked(test_pki: TestPki, tmp_path: Path) -> None:
    both = test_pki.write_trust_dir(tmp_path / "both")
    pems = {p.name: p.read_bytes() for p in both.iterdir()}
    certs = [x509.load_pem_x509_certificate(v) for v in pems.values() if b"CERTIFICATE" in v]
    assert {c.subject for c in certs} == {test_pki.auth_root.subject, test_pki.sign_root.subject}
    public = [v for v in pems.values() if b"PUBLIC KEY" in v]
    assert len(public) == 1
    loaded = serialization.load_pem_public_key(public[0])
    assert loaded == test_pki.cv_issuer_key.public_key()
    assert not any(b"PRIVATE" in v for v in pems.values())
    roots_only = test_pki.write_trust_dir(tmp_path / "roots", cv_issuer=False)
    assert all(b"CERTIFICATE" in p.read_bytes() for p in roots_only.iterdir())
    cv_only = test_pki.write_trust_dir(tmp_path / "cv", jpki_roots=False)
    assert [b"PUBLIC KEY" in p.read_bytes() for p in cv_only.iterdir()] == [True]
