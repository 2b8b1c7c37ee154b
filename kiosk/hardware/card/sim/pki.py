"""A generated, cached test PKI for the simulated card (JPKI roots, end-entity certs, CV issuer).

RSA-2048 key generation costs ~0.1–0.5 s per key, so keys are generated once per ``seed`` and kept
as PEM files under a cache folder (``$KIOSK_SIM_PKI_CACHE`` or ``<tmp>/kiosk-sim-pki``); the
cache is guarded by an fcntl lock so parallel processes agree on the same keys. Certificates are
rebuilt from the keys with fixed fields and RSA PKCS#1 v1.5 signatures, so they are byte-identical
in every process that uses the same seed.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from kiosk.hardware.card.sim.constants import RSA_BITS, RSA_PUBLIC_EXPONENT
from kiosk.hardware.card.sim.identity import Identity, Sex, era_of

DEFAULT_SEED = "kiosk-test-pki-1"
CACHE_ENV = "KIOSK_SIM_PKI_CACHE"

JLIS_OU = "Japan Agency for Local Authority Information Systems"
TEST_ORG = "JPKI-TEST"
OU_AUTH = "JPKI for user authentication"
OU_SIGN = "JPKI for digital signature"

ROOT_VALID_FROM = dt.datetime(2023, 7, 16, tzinfo=dt.UTC)
ROOT_VALID_UNTIL = dt.datetime(2043, 7, 15, 14, 59, 59, tzinfo=dt.UTC)

# subjectAltName otherName OIDs of the signing certificate (card-protocol.md §6.3)
OID_SAN_NAME = x509.ObjectIdentifier("1.2.392.200149.8.5.5.1")
OID_SAN_NAME_SUBSTITUTE = x509.ObjectIdentifier("1.2.392.200149.8.5.5.2")
OID_SAN_SEX = x509.ObjectIdentifier("1.2.392.200149.8.5.5.3")
OID_SAN_BIRTH_DATE = x509.ObjectIdentifier("1.2.392.200149.8.5.5.4")
OID_SAN_ADDRESS = x509.ObjectIdentifier("1.2.392.200149.8.5.5.5")
OID_SAN_ADDRESS_SUBSTITUTE = x509.ObjectIdentifier("1.2.392.200149.8.5.5.6")

#: key id of the CV-certificate issuer of the 券面事項入力補助AP on test cards (§5.4)
CV_ISSUER_KEY_ID = b"6000033" + b"\x08\x05" + b"001" + bytes(4)
KEY_ID_LENGTH = 16

TAG_UTF8_STRING = 0x0C

_SHARED: dict[str, TestPki] = {}
_SHARED_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class CardCredentials:
    """Per-card keys and certificates, as DER, plus the private keys the card uses."""

    auth_key: rsa.RSAPrivateKey
    sign_key: rsa.RSAPrivateKey
    text_ap_key: rsa.RSAPrivateKey  # the integrity-record signer (shared per generation)
    auth_cert_der: bytes
    sign_cert_der: bytes | None
    text_ap_key_id: bytes


class TestPki:
    """JPKI-style test roots, a CV issuer key, and per-card certificates, all cached on disk."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        seed: str = DEFAULT_SEED,
        *,
        cache_dir: Path | None = None,
        keys: Mapping[str, rsa.RSAPrivateKey] | None = None,
    ) -> None:
        self.seed = seed
        base = (
            cache_dir or Path(os.environ.get(CACHE_ENV) or tempfile.gettempdir()) / "kiosk-sim-pki"
        )
        self._dir = base / hashlib.sha256(seed.encode()).hexdigest()[:16]
        self._keys: dict[str, rsa.RSAPrivateKey] = dict(keys or {})
        self._certs: dict[str, x509.Certificate] = {}
        self._cards: dict[str, CardCredentials] = {}

    @classmethod
    def shared(cls, seed: str = DEFAULT_SEED) -> TestPki:
        """One instance per seed and process (keys and certificates are loaded only once)."""
        with _SHARED_LOCK:
            pki = _SHARED.get(seed)
            if pki is None:
                pki = _SHARED[seed] = cls(seed)
            return pki

    # -- keys -----------------------------------------------------------------------------------
    def key(self, name: str) -> rsa.RSAPrivateKey:
        """The RSA-2048 key called ``name``, from memory, the disk cache, or freshly generated."""
        if name in self._keys:
            return self._keys[name]
        self._dir.mkdir(parents=True, exist_ok=True)
        path = self._dir / f"{name}.pem"
        with open(self._dir / ".lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                if path.exists():
                    loaded = serialization.load_pem_private_key(
                        path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
                    )
                    if not isinstance(loaded, rsa.RSAPrivateKey):
                        raise TypeError(f"{path} is not an RSA key")
                    key = loaded
                else:
                    key = rsa.generate_private_key(RSA_PUBLIC_EXPONENT, RSA_BITS)
                    pem = key.private_bytes(
                        serialization.Encoding.PEM,
                        serialization.PrivateFormat.PKCS8,
                        serialization.NoEncryption(),
                    )
                    tmp = path.with_suffix(".tmp")
                    tmp.write_bytes(pem)
                    os.replace(tmp, path)
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        self._keys[name] = key
        return key

    @property
    def cv_issuer_key(self) -> rsa.RSAPrivateKey:
        """The key that signs the 券面事項入力補助AP's CV certificate (EF 0004)."""
        return self.key("cv-issuer")

    @property
    def cv_issuer_key_id(self) -> bytes:
        """16-byte key id of the CV issuer (7 digits, 08 05, 3 digits, 4 padding bytes)."""
        return CV_ISSUER_KEY_ID

    # -- roots ----------------------------------------------------------------------------------
    @property
    def auth_root(self) -> x509.Certificate:
        """Self-signed root of the user-authentication hierarchy (JPKI EF 000B)."""
        return self._root("auth", OU_AUTH)

    @property
    def sign_root(self) -> x509.Certificate:
        """Self-signed root of the digital-signature hierarchy (JPKI EF 0002)."""
        return self._root("sign", OU_SIGN)

    @property
    def auth_root_key(self) -> rsa.RSAPrivateKey:
        """Private key of the authentication root."""
        return self.key("root-auth")

    @property
    def sign_root_key(self) -> rsa.RSAPrivateKey:
        """Private key of the signature root."""
        return self.key("root-sign")

    def _root(self, kind: str, ou: str) -> x509.Certificate:
        cached = self._certs.get(kind)
        if cached is not None:
            return cached
        key = self.key(f"root-{kind}")
        name = _root_name(ou)
        serial = _serial(self.seed, "root", kind)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(serial)
            .not_valid_before(ROOT_VALID_FROM)
            .not_valid_after(ROOT_VALID_UNTIL)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=False,
                    content_commitment=False,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=True,
                    crl_sign=True,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        self._certs[kind] = cert
        return cert

    # -- per card -------------------------------------------------------------------------------
    def card(self, identity: Identity) -> CardCredentials:
        """Keys and certificates of one card (cached per ``identity.card_id``)."""
        cached = self._cards.get(identity.card_id)
        if cached is not None:
            return cached
        auth_key = self.key(f"card-{identity.card_id}-auth")
        sign_key = self.key(f"card-{identity.card_id}-sign")
        # the key that signs the integrity record is J-LIS's, shared by every card of a generation
        text_key = self.key(f"text-signer-{identity.text_signer}")
        auth_cert = self._issue(identity, auth_key, kind="auth")
        sign_cert = self._issue(identity, sign_key, kind="sign") if identity.has_sign_cert else None
        creds = CardCredentials(
            auth_key=auth_key,
            sign_key=sign_key,
            text_ap_key=text_key,
            auth_cert_der=auth_cert.public_bytes(serialization.Encoding.DER),
            sign_cert_der=(
                sign_cert.public_bytes(serialization.Encoding.DER) if sign_cert else None
            ),
            text_ap_key_id=_signer_key_id(self.seed, identity.text_signer),
        )
        self._cards[identity.card_id] = creds
        return creds

    def _issue(self, identity: Identity, key: rsa.RSAPrivateKey, *, kind: str) -> x509.Certificate:
        root = self.auth_root if kind == "auth" else self.sign_root
        root_key = self.auth_root_key if kind == "auth" else self.sign_root_key
        cn = _opaque_cn(self.seed, identity, kind)
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "JP")]
        if kind == "sign":
            attrs += [
                x509.NameAttribute(NameOID.LOCALITY_NAME, identity.prefecture_romaji),
                x509.NameAttribute(NameOID.LOCALITY_NAME, identity.locality_romaji),
            ]
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attrs))
            .issuer_name(root.subject)
            .public_key(key.public_key())
            .serial_number(_serial(self.seed, identity.card_id, kind))
            .not_valid_before(_utc(identity.cert_valid_from))
            .not_valid_after(_utc(identity.cert_valid_until, end_of_day=True))
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=kind == "sign",
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()),
                critical=False,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
        )
        if kind == "sign":
            builder = builder.add_extension(
                x509.SubjectAlternativeName(_personal_san(identity)), critical=False
            )
        return builder.sign(root_key, hashes.SHA256())

    # -- export ---------------------------------------------------------------------------------
    def write_trust_dir(
        self, path: Path, *, jpki_roots: bool = True, cv_issuer: bool = True
    ) -> Path:
        """Write PEM trust anchors (JPKI root certificates, CV issuer public key) into ``path``."""
        path.mkdir(parents=True, exist_ok=True)
        if jpki_roots:
            for label, cert in (("auth", self.auth_root), ("sign", self.sign_root)):
                pem = cert.public_bytes(serialization.Encoding.PEM)
                (path / f"jpki-test-{label}-root.pem").write_bytes(pem)
        if cv_issuer:
            pub = self.cv_issuer_key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            (path / "cv-issuer-6000033.pem").write_bytes(pub)
        return path


def sign_pkcs1_sha256(key: rsa.RSAPrivateKey, data: bytes) -> bytes:
    """RSA PKCS#1 v1.5 signature with SHA-256 (deterministic)."""
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


def _root_name(ou: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORG),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, JLIS_OU),
        ]
    )


def _serial(*parts: str) -> int:
    """A short positive serial number (4 bytes, as on real JPKI certificates)."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return (int.from_bytes(digest[:4], "big") & 0x7FFFFFFF) | 0x01000000


def _opaque_cn(seed: str, identity: Identity, kind: str) -> str:
    """An opaque alphanumeric subject CN like ``997794E9AGCIEG13221003A`` (no personal data)."""
    digest = hashlib.sha256(f"{seed}/{identity.card_id}/{kind}/cn".encode()).hexdigest().upper()
    letters = "".join(chr(ord("A") + int(c, 16) % 26) for c in digest[8:14])
    return f"{digest[:8]}{letters}{identity.municipality_code}003A"


def _signer_key_id(seed: str, generation: int) -> bytes:
    """Key id of the integrity-record signer of one generation (7 digits, 08 05, 3 digits)."""
    digest = hashlib.sha256(f"{seed}/text-signer/{generation}".encode()).digest()
    digits = int.from_bytes(digest[:4], "big")
    return f"{digits % 10_000_000:07d}".encode() + b"\x08\x05" + b"001" + bytes(4)


def _utc(day: dt.date, *, end_of_day: bool = False) -> dt.datetime:
    if end_of_day:
        return dt.datetime(day.year, day.month, day.day, 14, 59, 59, tzinfo=dt.UTC)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) - dt.timedelta(hours=9)


def _utf8_der(text: str) -> bytes:
    raw = text.encode("utf-8")
    if len(raw) < 0x80:
        return bytes([TAG_UTF8_STRING, len(raw)]) + raw
    if len(raw) <= 0xFF:
        return bytes([TAG_UTF8_STRING, 0x81, len(raw)]) + raw
    return bytes([TAG_UTF8_STRING, 0x82]) + len(raw).to_bytes(2, "big") + raw


def _personal_san(identity: Identity) -> list[x509.GeneralName]:
    _, _, era_code = era_of(identity.birth_date)
    birth = f"{era_code}{identity.birth_date:%Y%m%d}"
    entries: list[tuple[x509.ObjectIdentifier, str]] = [(OID_SAN_NAME, identity.name)]
    if identity.name_substitute:
        entries.append((OID_SAN_NAME_SUBSTITUTE, identity.name_substitute))
    entries += [
        (OID_SAN_SEX, str(Sex(identity.sex).value)),
        (OID_SAN_BIRTH_DATE, birth),
        (OID_SAN_ADDRESS, identity.address),
    ]
    if identity.address_substitute:
        entries.append((OID_SAN_ADDRESS_SUBSTITUTE, identity.address_substitute))
    return [x509.OtherName(oid, _utf8_der(value)) for oid, value in entries]
