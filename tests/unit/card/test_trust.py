from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from kiosk.hardware.card.trust import ChainResult, TrustStore, TrustStoreError
from tests.unit.card import builders
from tests.unit.card.conftest import NOW


def pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def pub_pem(key: builders.rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_loads_certificates_and_keys_regardless_of_file_names(
    tmp_path: Path,
    keys: builders.Keys,
    root_cert: x509.Certificate,
    caplog: pytest.LogCaptureFixture,
) -> None:
    (tmp_path / "zz-anything.pem").write_bytes(pem(root_cert) + b"\n" + pub_pem(keys.cv_issuer))
    (tmp_path / "a.PEM").write_bytes(pub_pem(keys.other))
    (tmp_path / "broken.pem").write_bytes(
        b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    )
    (tmp_path / "empty.pem").write_bytes(b"nothing here")
    (tmp_path / "ignored.txt").write_bytes(pem(root_cert))
    with caplog.at_level(logging.WARNING):
        store = TrustStore.load(tmp_path)
    assert [c.serial_number for c in store.roots] == [root_cert.serial_number]
    assert {k.public_numbers() for k in store.cv_issuer_keys} == {
        keys.cv_issuer.public_key().public_numbers(),
        keys.other.public_key().public_numbers(),
    }
    assert "broken.pem" in caplog.text and "empty.pem" in caplog.text


def test_missing_folder_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(TrustStoreError) as info:
        TrustStore.load(tmp_path / "absent")
    assert info.value.code == "bad_trust_dir"


def test_leaf_issued_by_a_root_is_trusted(
    root_cert: x509.Certificate, leaf_cert: x509.Certificate
) -> None:
    assert TrustStore(roots=(root_cert,)).check_chain(leaf_cert, NOW) is ChainResult.TRUSTED


def test_each_root_is_tried_in_turn(
    keys: builders.Keys, root_cert: x509.Certificate, leaf_cert: x509.Certificate
) -> None:
    # same DN, different key — like the JPKI root generations
    impostor = builders.certificate(
        root_cert.subject,
        keys.other,
        root_cert.subject,
        keys.other,
        serial=2,
        not_before=root_cert.not_valid_before_utc,
        not_after=root_cert.not_valid_after_utc,
        ca=True,
    )
    assert TrustStore(roots=(impostor,)).check_chain(leaf_cert, NOW) is ChainResult.UNTRUSTED
    assert (
        TrustStore(roots=(impostor, root_cert)).check_chain(leaf_cert, NOW) is ChainResult.TRUSTED
    )


def test_expired_or_not_yet_valid_leaf_is_untrusted(
    root_cert: x509.Certificate, leaf_cert: x509.Certificate
) -> None:
    store = TrustStore(roots=(root_cert,))
    assert (
        store.check_chain(leaf_cert, dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
        is ChainResult.UNTRUSTED
    )
    assert (
        store.check_chain(leaf_cert, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        is ChainResult.UNTRUSTED
    )


def test_no_roots_means_untrusted(leaf_cert: x509.Certificate) -> None:
    assert TrustStore().check_chain(leaf_cert, NOW) is ChainResult.UNTRUSTED


def test_chain_through_an_intermediate(keys: builders.Keys, root_cert: x509.Certificate) -> None:
    ca_name = builders.name("JPKI auth CA")
    ca = builders.certificate(
        ca_name,
        keys.other,
        root_cert.subject,
        keys.root,
        serial=3,
        not_before=root_cert.not_valid_before_utc,
        not_after=root_cert.not_valid_after_utc,
        ca=True,
    )
    leaf = builders.certificate(
        builders.name("leaf"),
        keys.leaf,
        ca_name,
        keys.other,
        serial=4,
        not_before=root_cert.not_valid_before_utc,
        not_after=root_cert.not_valid_after_utc,
        ca=False,
    )
    store = TrustStore(roots=(root_cert,))
    assert store.check_chain(leaf, NOW) is ChainResult.UNTRUSTED
    assert store.check_chain(leaf, NOW, intermediates=[ca]) is ChainResult.TRUSTED
