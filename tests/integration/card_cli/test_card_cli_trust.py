"""``read --trust DIR`` with the folders a ward could really have: verdicts as documented."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from kiosk.hardware.card.sim import TestPki
from tests.integration.card_cli.conftest import CliResult

pytestmark = pytest.mark.pcsc

Cli = Callable[..., CliResult]
BROKEN_PEM = b"-----BEGIN CERTIFICATE-----\nMIIBroken==\n-----END CERTIFICATE-----\n"


def _roots(pki: TestPki, folder: Path) -> None:
    pki.write_trust_dir(folder, cv_issuer=False)


def _cv_key(pki: TestPki, folder: Path) -> None:
    pki.write_trust_dir(folder, jpki_roots=False)


def _both_in_one_file_with_junk(pki: TestPki, folder: Path) -> None:
    staging = folder / "staging"
    pki.write_trust_dir(staging)
    blob = b"\n".join(p.read_bytes() for p in sorted(staging.iterdir()))
    for p in staging.iterdir():
        p.unlink()
    staging.rmdir()
    (folder / "anchors").with_suffix(".pem").write_bytes(b"comment line\n" + blob)
    (folder / "README.txt").write_text("J-LIS anchors, installed 2026-11-27\n", encoding="utf-8")
    (folder / "broken.pem").write_bytes(BROKEN_PEM)
    ec_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    (folder / "ec-key.pem").write_bytes(
        ec_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    (folder / "sub.pem").mkdir()  # a folder named like an anchor


def _only_junk(pki: TestPki, folder: Path) -> None:
    (folder / "broken.pem").write_bytes(BROKEN_PEM)
    (folder / "notes.txt").write_text("nothing to see", encoding="utf-8")


def _empty(pki: TestPki, folder: Path) -> None:
    return


@pytest.mark.parametrize(
    ("fill", "integrity", "chain"),
    [
        (_roots, "unverified", "trusted"),
        (_cv_key, "verified", "untrusted"),
        (_both_in_one_file_with_junk, "verified", "trusted"),
        (_only_junk, "unverified", "untrusted"),
        (_empty, "unverified", "untrusted"),
    ],
    ids=["roots-only", "cv-key-only", "both-plus-junk", "broken-pem-only", "empty"],
)
def test_trust_folder_contents_decide_the_verdicts(
    cli: Cli,
    virtual_card: Any,
    test_pki: TestPki,
    tmp_path: Path,
    fill: Callable[[TestPki, Path], None],
    integrity: str,
    chain: str,
) -> None:
    fill(test_pki, tmp_path)
    virtual_card("yamada")
    result = cli(["read", "--trust", str(tmp_path), "--pin-stdin"], stdin="1234\n")
    assert result.code == 0, result.stdout + result.stderr
    assert (result.json["integrity"], result.json["auth_certificate"]["chain"]) == (
        integrity,
        chain,
    )
    assert result.json["name"] == "山田\u3000太郎"


def test_anchors_of_another_pki_are_untrusted_and_failed(
    cli: Cli, virtual_card: Any, tmp_path: Path
) -> None:
    TestPki("impostor-pki-1").write_trust_dir(tmp_path)  # same names, other keys
    virtual_card("yamada")
    result = cli(["read", "--trust", str(tmp_path), "--pin-stdin"], stdin="1234\n")
    assert result.code == 0
    assert (result.json["integrity"], result.json["auth_certificate"]["chain"]) == (
        "failed",
        "untrusted",
    )


def test_an_expired_auth_certificate_is_untrusted(
    cli: Cli, virtual_card: Any, trust_dir: Path, tmp_path: Path
) -> None:
    identity = tmp_path / "expired.json"
    example = Path(__file__).resolve().parents[3] / "examples" / "cards" / "sato.json"
    identity.write_text(
        example.read_text(encoding="utf-8")
        .replace('"id": "sato"', '"id": "sato_expired"')
        .replace('"cert_valid_until": "2028-02-28"', '"cert_valid_until": "2025-02-28"'),
        encoding="utf-8",
    )
    virtual_card(identity)
    result = cli(["read", "--trust", str(trust_dir), "--pin-stdin"], stdin="9012\n")
    assert result.code == 0
    assert result.json["auth_certificate"]["not_after"] == "2025-02-28"
    assert result.json["auth_certificate"]["chain"] == "untrusted"
    assert result.json["integrity"] == "verified"
