"""Pieces of issue 13's central side: certificate input forms, the 方書 candidate text, the
master merge (validated as kiosks validate it), and the derived binding status."""

from __future__ import annotations

import base64
import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from kiosk.forms.master.lookup import AddressMaster
from kiosk.forms.master.records import Building
from kiosk.forms.master.sample_data import build_sample_master
from kiosk.forms.master.validate import validate_master_file
from server_sync.intake.bindings.certs import load_certificate, normalise_issuer, normalise_serial
from server_sync.intake.bindings.crl import load_crl
from server_sync.intake.bindings.errors import BadCertificateError, CrlRefusedError
from server_sync.intake.bindings.store import Binding, LookupStatus
from server_sync.intake.katagaki.candidates import building_part, number_key
from server_sync.intake.katagaki.decisions import Entry, KatagakiInputError, checked_kana
from server_sync.intake.katagaki.merge import merge_entries
from tests.integration.intake.kit import make_pki
from tests.integration.intake.seal_kit import card, crl

UTC = dt.UTC


@pytest.mark.parametrize(
    ("typed", "building"),
    [
        ("新宿ハイツ302号室", "新宿ハイツ"),
        ("新宿ハイツ 302", "新宿ハイツ"),
        ("グリーンコート３Ｆ ３０１号室", "グリーンコート"),
        ("サンパレスA-12", "サンパレス"),
        ("メゾン桜 101号", "メゾン桜"),
        ("コーポ山田", "コーポ山田"),
        ("１０１", "１０１"),  # nothing but a number: kept whole for the clerk to correct
    ],
)
def test_building_part(typed: str, building: str) -> None:
    assert building_part(typed) == building


def test_number_key_matches_the_kiosk_master() -> None:
    assert number_key({"scheme": "residential", "block": "5", "residence": "2"}) == (
        "residential",
        "5/2",
    )
    assert number_key({"scheme": "parcel", "chiban": "12-3"}) == ("parcel", "12-3")


def test_kana_is_folded_to_katakana_and_checked() -> None:
    assert checked_kana("しんじゅく はいつ") == "シンジュクハイツ"
    with pytest.raises(KatagakiInputError):
        checked_kana("Shinjuku")


@pytest.fixture(scope="module")
def sample_master() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.sqlite"
        build_sample_master(path)
        return path.read_bytes()


def test_merge_adds_validates_and_is_deterministic(sample_master: bytes, tmp_path: Path) -> None:
    entries = [
        Entry("0020003", "residential", "5/2", "新宿グリーンコート", "シンジュクグリーンコート"),
        Entry("9999999", "residential", "1/1", "よその町", "ヨソノマチ"),  # not in this master
    ]
    merged, added = merge_entries(sample_master, entries)
    assert added == 1
    assert merge_entries(sample_master, entries)[0] == merged  # same inputs, same bytes
    path = tmp_path / "address_master.sqlite"
    path.write_bytes(merged)
    validate_master_file(path)  # the kiosk's full check, checksum included
    with AddressMaster.open(path) as master:
        offered = master.katagaki(master.address("0020003", block="5", residence="2"))
    assert Building("新宿グリーンコート", "シンジュクグリーンコート") in offered
    # nothing new: the very same bytes (a publish of an unchanged set stays one version)
    assert merge_entries(merged, entries) == (merged, 0)
    assert merge_entries(sample_master, []) == (sample_master, 0)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM katagaki WHERE machiaza_id = '9999999'").fetchone() == (
        0,
    )
    db.close()


def test_certificate_inputs_and_serials() -> None:
    pki = make_pki("Toy JPKI user authentication CA")
    c = card(pki)
    der = c.der()
    pem = c.cert.public_bytes(serialization.Encoding.PEM)
    for form in (der, pem, base64.b64encode(der), b"  " + pem + b"\n"):
        assert load_certificate(form).serial_number == c.cert.serial_number
    for junk in (b"", b"not a cert", b"\x30\x03\x02\x01\x01", b"A" * 20_000):
        with pytest.raises(BadCertificateError):
            load_certificate(junk)
    assert normalise_serial("0x00Ab:cd") == "abcd"
    with pytest.raises(BadCertificateError):
        normalise_serial("xyz")
    assert (
        normalise_issuer(" CN=Toy JPKI user authentication CA ")
        == pki.root.subject.rfc4514_string()
    )
    with pytest.raises(CrlRefusedError):
        load_crl(b"garbage")
    assert load_crl(crl(pki, [1, 2], number=4, encoding=serialization.Encoding.PEM)) is not None


def _binding(status: str, not_after: str) -> Binding:
    return Binding("b", "r", "s", "CN=x", "1", not_after, status, None, "t", "cli:x",
                   None, None, None, None)  # fmt: skip


def test_effective_status_precedence() -> None:
    now = dt.datetime(2027, 1, 1, tzinfo=UTC)
    future, past = "2028-01-01T00:00:00.000000Z", "2026-01-01T00:00:00.000000Z"
    assert _binding("active", future).effective(now) is LookupStatus.ACTIVE
    assert _binding("active", past).effective(now) is LookupStatus.EXPIRED
    assert _binding("ended", past).effective(now) is LookupStatus.ENDED
    assert _binding("revoked", past).effective(now) is LookupStatus.REVOKED
    assert _binding("active", future).effective(now, revoked=True) is LookupStatus.REVOKED
