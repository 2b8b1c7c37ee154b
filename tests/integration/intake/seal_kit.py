"""Test side of issue 13's bindings: cards with chosen validity and CRLs from the toy JPKI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.integration.intake.kit import Card, Pki

REPO = Path(__file__).resolve().parents[3]
UTC = dt.UTC
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # one key: fast tests


def card(pki: Pki, *, start: dt.datetime | None = None, days: int = 365) -> Card:
    """A card certificate of ``pki`` valid from ``start`` (default yesterday) for ``days``."""
    begin = start or dt.datetime.now(UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "card holder")]))
        .issuer_name(pki.root.subject)
        .public_key(_KEY.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(begin)
        .not_valid_after(begin + dt.timedelta(days=days))
        .sign(pki.root_key, hashes.SHA256())
    )
    return Card(cert, _KEY)


def pem(path: Path, c: Card) -> Path:
    """Write the card certificate as PEM (what the CLI's --cert reads)."""
    path.write_bytes(c.cert.public_bytes(serialization.Encoding.PEM))
    return path


def crl(
    pki: Pki,
    serials: Sequence[int],
    *,
    number: int,
    this_update: dt.datetime | None = None,
    signer: rsa.RSAPrivateKey | None = None,
    encoding: serialization.Encoding = serialization.Encoding.DER,
) -> bytes:
    """A CRL named as issued by ``pki`` listing ``serials`` (signed by ``signer`` if forged)."""
    issued = this_update or dt.datetime.now(UTC) - dt.timedelta(minutes=5)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(pki.root.subject)
        .last_update(issued)
        .next_update(issued + dt.timedelta(days=1))
        .add_extension(x509.CRLNumber(number), critical=False)
    )
    for serial in serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(serial)
            .revocation_date(issued - dt.timedelta(minutes=1))
            .build()
        )
    return builder.sign(signer or pki.root_key, hashes.SHA256()).public_bytes(encoding)


def intake_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m server_sync.intake ARGS`` as an administrator runs it."""
    return subprocess.run(
        [sys.executable, "-m", "server_sync.intake", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command in this process (``main`` of ``python -m server_sync.intake``): fast."""
    import contextlib
    import io
    import logging

    from server_sync.intake.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    logging.getLogger().handlers.clear()
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
