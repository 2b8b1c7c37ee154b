"""Master-data pull: download a published set, verify and validate it, swap it in atomically.

Layout under the master directory: ``versions/<version>/…`` (one complete set each) and the
``current`` symlink pointing at one of them. A new set is staged in a temporary directory,
checked (size, SHA-256, content validation), fsynced, renamed into ``versions/`` and only then
made current by renaming a fresh symlink over ``current``. Any failure leaves the old set current.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from server_sync.errors import MasterDataError
from server_sync.fsutil import fsync_dir
from server_sync.master_validate import ADDRESS_MASTER, REQUIRED_FILES, TRUST_PREFIX, validate_file

if TYPE_CHECKING:  # the HTTP stack is not needed to read the installed master
    from server_sync.transport import ManifestAnswer

log = logging.getLogger(__name__)

CURRENT_LINK = "current"
VERSIONS_DIR = "versions"
MANIFEST_FILE = "manifest.json"
LOCK_FILE = ".lock"
_VERSION_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_NAME_PART_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")
_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class MasterSource(Protocol):
    """Where sets come from (the intake client)."""

    def get_manifest(self, etag: str | None) -> ManifestAnswer | None:
        """The manifest, or None when ``etag`` is current."""
        ...

    def get_file(self, name: str, *, version: str, max_bytes: int) -> bytes:
        """One file's bytes from set ``version``."""
        ...


@dataclass(frozen=True, slots=True)
class ManifestFile:
    """One entry of a manifest."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class Manifest:
    """A validated manifest document."""

    version: str
    published_at: str
    files: tuple[ManifestFile, ...]


@dataclass(frozen=True, slots=True)
class PullResult:
    """What a pull did: ``changed`` False means the current set is still the newest."""

    changed: bool
    version: str | None


def _safe_name(name: object) -> str:
    if not isinstance(name, str) or len(name) > 200:
        raise MasterDataError("manifest: file name must be a short string")
    parts = name.split("/")
    if not all(_NAME_PART_RE.match(p) for p in parts) or len(parts) > 2:
        raise MasterDataError(f"manifest: unsafe file name {name!r}")
    if len(parts) == 2 and not name.startswith(TRUST_PREFIX):
        raise MasterDataError(f"manifest: unexpected folder in {name!r}")
    return name


def parse_manifest(doc: dict[str, Any]) -> Manifest:
    """Check a manifest's shape, names and required files."""
    version, published_at, files = doc.get("version"), doc.get("published_at"), doc.get("files")
    if not isinstance(version, str) or not _VERSION_RE.match(version):
        raise MasterDataError("manifest: bad version")
    if not isinstance(published_at, str) or not isinstance(files, list):
        raise MasterDataError("manifest: published_at and files are required")
    entries: list[ManifestFile] = []
    for item in files:
        if not isinstance(item, dict):
            raise MasterDataError("manifest: each file is an object")
        name = _safe_name(item.get("name"))
        sha, size = item.get("sha256"), item.get("size")
        if not isinstance(sha, str) or not _SHA256_RE.match(sha):
            raise MasterDataError(f"manifest: bad sha256 for {name}")
        if type(size) is not int or size < 0:
            raise MasterDataError(f"manifest: bad size for {name}")
        entries.append(ManifestFile(name, sha, size))
    names = [e.name for e in entries]
    if len(set(names)) != len(names):
        raise MasterDataError("manifest: duplicate file names")
    missing = REQUIRED_FILES - set(names)
    if missing:
        raise MasterDataError(f"manifest: missing {sorted(missing)}")
    return Manifest(version, published_at, tuple(entries))


class MasterStore:
    """The on-disk master-data sets of one kiosk."""

    def __init__(self, root: Path, *, app_link: Path | None = None) -> None:
        self.root = root
        #: where the kiosk app opens the address master (kiosk.forms.paths); kept pointing at
        #: ``current/address_master.sqlite`` unless a regular file is already there
        self.app_link = app_link

    @property
    def current_link(self) -> Path:
        """The ``current`` symlink."""
        return self.root / CURRENT_LINK

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise pulls (the sender loop and the master-sync timer may overlap)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def current_dir(self) -> Path | None:
        """The directory of the current set (what the kiosk app reads), or None."""
        link = self.current_link
        return link.resolve() if link.is_symlink() and link.resolve().is_dir() else None

    def current_version(self) -> str | None:
        """The version of the current set."""
        current = self.current_dir()
        return None if current is None else current.name

    def install(self, manifest: Manifest, source: MasterSource) -> None:
        """Download, verify, validate and switch to a set; on any error the old set stays."""
        versions = self.root / VERSIONS_DIR
        versions.mkdir(parents=True, exist_ok=True)
        staging = versions / f".staging-{manifest.version}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            for entry in manifest.files:
                self._fetch(staging, manifest.version, entry, source)
            for entry in manifest.files:
                validate_file(staging / entry.name, entry.name)
            manifest_doc = {
                "version": manifest.version,
                "published_at": manifest.published_at,
                "files": [
                    {"name": e.name, "sha256": e.sha256, "size": e.size} for e in manifest.files
                ],
            }
            _write_synced(staging / MANIFEST_FILE, json.dumps(manifest_doc, indent=1).encode())
            for sub in {(staging / e.name).parent for e in manifest.files}:
                fsync_dir(sub)
            final = versions / manifest.version
            if final.exists():
                if final.resolve() == self.current_dir():
                    raise MasterDataError("refusing to replace the current set in place")
                shutil.rmtree(final)
            os.rename(staging, final)
            fsync_dir(versions)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        self._switch(final)

    def _fetch(
        self, staging: Path, version: str, entry: ManifestFile, source: MasterSource
    ) -> None:
        data = source.get_file(entry.name, version=version, max_bytes=entry.size)
        if len(data) != entry.size:
            raise MasterDataError(f"{entry.name}: size {len(data)} != manifest {entry.size}")
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise MasterDataError(f"{entry.name}: sha256 does not match the manifest")
        target = staging / entry.name
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_synced(target, data)

    def _switch(self, final: Path) -> None:
        previous = self.current_dir()
        tmp_link = self.root / f".{CURRENT_LINK}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        os.symlink(Path(VERSIONS_DIR) / final.name, tmp_link)
        os.replace(tmp_link, self.current_link)
        fsync_dir(self.root)
        log.info("master: switched to version %s", final.name)
        self._link_app_master()
        keep = {final.resolve()} | ({previous} if previous else set())
        for old in (self.root / VERSIONS_DIR).iterdir():
            if old.resolve() not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def _link_app_master(self) -> None:
        link = self.app_link
        if link is None:
            return
        if link.exists() and not link.is_symlink():
            log.info("master: %s is a regular file, not linked to the pulled set", link)
            return
        target = os.path.relpath(self.current_link / ADDRESS_MASTER, link.parent)
        tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        os.symlink(target, tmp)
        os.replace(tmp, link)
        fsync_dir(link.parent)


def _write_synced(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def pull_master(source: MasterSource, store: MasterStore) -> PullResult:
    """Fetch the manifest (conditional on the current version) and install a newer set."""
    with store.locked():
        current = store.current_version()
        answer = source.get_manifest(f'"{current}"' if current else None)
        if answer is None:
            return PullResult(changed=False, version=current)
        manifest = parse_manifest(answer.document)
        if manifest.version == current:
            return PullResult(changed=False, version=current)
        store.install(manifest, source)
        return PullResult(changed=True, version=manifest.version)
