"""Pure pieces of the intake: ETags, listen addresses, master-set checks, dev CA, trust roots."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from server_sync.intake.cli import parse_listen
from server_sync.intake.devca import ensure_dev_tls
from server_sync.intake.errors import MasterSetError
from server_sync.intake.masterset import SQLITE_MAGIC, check_master_file, read_master_folder
from server_sync.intake.routes.master import etag_matches
from server_sync.intake.settings import IntakeSettings
from server_sync.intake.verify import load_roots
from server_sync.intake.workers import SETTINGS_ENV, settings_from_env, settings_to_env
from tests.unit.sync.masterdata import address_master_bytes


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, False),
        ('"v1"', True),
        ('W/"v1"', True),
        ('"v0", "v1"', True),
        ("*", True),
        ('"v2"', False),
        ("v1", False),
    ],
)
def test_if_none_match(header: str | None, expected: bool):
    assert etag_matches(header, '"v1"') is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1:8443", ("127.0.0.1", 8443)),
        ("[::1]:9000", ("::1", 9000)),
        (":8443", ("127.0.0.1", 8443)),
    ],
)
def test_parse_listen(text: str, expected: tuple[str, int]):
    assert parse_listen(text) == expected


@pytest.mark.parametrize("text", ["127.0.0.1", "host:0", "host:70000", "host:http"])
def test_parse_listen_refuses(text: str):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError):
        parse_listen(text)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("address_master.sqlite", b"not a database"),
        ("relationship_codes.json", b"[1, 2]"),
        ("ward_settings.json", b"\xff"),
        ("trust/root.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
        ("trust/../../etc/passwd.pem", b""),
        ("notes.txt", b"hello"),
    ],
)
def test_master_files_are_checked_by_role(name: str, data: bytes):
    with pytest.raises(MasterSetError):
        check_master_file(name, data)


def test_master_folder_needs_the_three_files(tmp_path: Path, tmp_path_factory):
    master = address_master_bytes(tmp_path_factory.mktemp("scratch"))
    (tmp_path / "address_master.sqlite").write_bytes(master)
    (tmp_path / "ward_settings.json").write_text(json.dumps({"counter": 3}))
    with pytest.raises(MasterSetError, match="relationship_codes.json"):
        read_master_folder(tmp_path)
    (tmp_path / "relationship_codes.json").write_text('{"codes": {}}')
    assert sorted(read_master_folder(tmp_path)) == [
        "address_master.sqlite",
        "relationship_codes.json",
        "ward_settings.json",
    ]


def test_master_folder_with_an_invalid_address_master_is_not_published(tmp_path: Path):
    (tmp_path / "address_master.sqlite").write_bytes(SQLITE_MAGIC + b"\0" * 84)
    (tmp_path / "ward_settings.json").write_text(json.dumps({"counter": 3}))
    (tmp_path / "relationship_codes.json").write_text('{"codes": {}}')
    with pytest.raises(MasterSetError, match="not a valid kiosk master"):
        read_master_folder(tmp_path)


def test_dev_ca_issues_a_loopback_server_certificate(tmp_path: Path):
    files, created = ensure_dev_tls(tmp_path)
    assert created
    ca = x509.load_pem_x509_certificate(files.ca_cert.read_bytes())
    server = x509.load_pem_x509_certificate(files.server_cert.read_bytes())
    server.verify_directly_issued_by(ca)
    san = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in san.get_values_for_type(x509.IPAddress)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert stat.S_IMODE(files.server_key.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "tls" / "ca.key").stat().st_mode) == 0o600
    now = dt.datetime.now(dt.UTC)
    assert server.not_valid_before_utc <= now <= server.not_valid_after_utc
    again, created_again = ensure_dev_tls(tmp_path)
    assert not created_again and again.ca_cert.read_bytes() == files.ca_cert.read_bytes()


def test_load_roots_skips_unreadable_files(tmp_path: Path):
    files, _ = ensure_dev_tls(tmp_path / "x")
    (tmp_path / "good.pem").write_bytes(files.ca_cert.read_bytes())
    (tmp_path / "broken.pem").write_text(
        "-----BEGIN CERTIFICATE-----\n!!\n-----END CERTIFICATE-----\n"
    )
    (tmp_path / "readme.txt").write_text("not a cert")
    roots = load_roots(tmp_path)
    assert len(roots) == 1 and isinstance(roots[0].public_key(), ec.EllipticCurvePublicKey)
    assert load_roots(tmp_path / "missing") == []


def test_worker_settings_travel_through_the_environment(tmp_path: Path) -> None:
    settings = IntakeSettings(
        db_url="sqlite:///x.db",
        data_dir=tmp_path,
        trust_dir=tmp_path / "roots",
        reject_untrusted_chain=True,
    )
    assert settings_from_env({SETTINGS_ENV: settings_to_env(settings)}) == settings
    plain = IntakeSettings(db_url="postgresql://h/db", data_dir=tmp_path)
    assert settings_from_env({SETTINGS_ENV: settings_to_env(plain)}) == plain


@pytest.mark.parametrize(
    "raw",
    [None, "[]",
     '{"db_url": 1, "data_dir": "d", "trust_dir": null, "reject_untrusted_chain": false}',
     '{"db_url": "u", "data_dir": "d", "trust_dir": 3, "reject_untrusted_chain": false}',
     '{"db_url": "u", "data_dir": "d", "trust_dir": null, "reject_untrusted_chain": "yes"}'],
)  # fmt: skip
def test_worker_settings_refuse_a_missing_or_malformed_value(raw: str | None) -> None:
    with pytest.raises(ValueError, match=SETTINGS_ENV):
        settings_from_env({} if raw is None else {SETTINGS_ENV: raw})
