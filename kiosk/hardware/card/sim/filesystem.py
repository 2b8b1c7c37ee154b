"""The simulated card's file system: applications, binary/record EFs, PIN references and keys."""

from __future__ import annotations

from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import rsa

from kiosk.hardware.card.sim.constants import App


@dataclass(frozen=True, slots=True)
class BinaryFile:
    """A transparent EF; any one PIN in ``readable_with`` opens it (empty = free)."""

    fid: int
    content: bytes
    readable_with: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class RecordFile:
    """A record-structured EF (records numbered from 1)."""

    fid: int
    records: tuple[bytes, ...]
    readable_with: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class KeyFile:
    """A private-key EF usable by COMPUTE SIGNATURE once one of ``unlocked_by`` is verified."""

    fid: int
    key: rsa.RSAPrivateKey
    unlocked_by: frozenset[int] = frozenset()


@dataclass(slots=True)
class PinFile:
    """A PIN/password reference with its retry counter (mutable card state)."""

    fid: int
    value: bytes
    max_tries: int
    tries_left: int
    min_length: int = 4
    max_length: int = 4
    digits_only: bool = True

    @property
    def blocked(self) -> bool:
        """True once every try is used up."""
        return self.tries_left <= 0

    def acceptable(self, new_value: bytes) -> bool:
        """Whether a new value fits this reference's format (for CHANGE REFERENCE DATA)."""
        if not self.min_length <= len(new_value) <= self.max_length:
            return False
        if not new_value.isascii():
            return False
        if self.digits_only:
            return new_value.isdigit()
        return new_value.isalnum() and new_value.upper() == new_value


FileEntry = BinaryFile | RecordFile | KeyFile | PinFile


@dataclass(slots=True)
class Application:
    """One DF: its AID, files by FID, and the key used by 80 2A with P2 = 00 (if any)."""

    app: App
    aid: bytes
    files: dict[int, FileEntry] = field(default_factory=dict)
    default_key: int | None = None

    def add(self, *entries: FileEntry) -> Application:
        """Add files (chainable)."""
        for e in entries:
            self.files[e.fid] = e
        return self

    def by_sfi(self, sfi: int) -> FileEntry | None:
        """The EF whose short file identifier (low 5 bits of the FID) is ``sfi``."""
        for fid, entry in self.files.items():
            if fid >> 8 == 0 and fid & 0x1F == sfi and fid <= 0x1E:
                return entry
        return None
