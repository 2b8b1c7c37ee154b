"""Compiled catalogs kept on disk between starts (issue 14: start-up to the welcome screen).

Compiling a catalog means parsing its ``.po``, filling the ward word from the glossary and
marking ruby: ~15 ms for Japanese on a desktop core, several times that on the stand, on every
start. The result (``.mo`` bytes) depends only on the files read and on the code that reads them,
so it is stored under a key made of all of them (the ``.po``, ``glossary.toml``, the ward word, the
language and the modules that do the compiling): any edit makes a new key, and a stale file is
never read. Nothing here is personal data (the shipped catalogs only).

The folder is ``$KIOSK_CATALOG_CACHE``, else ``$XDG_CACHE_HOME/kiosk/catalogs`` (the UI unit sets
``XDG_CACHE_HOME=/var/cache/kiosk``), else ``~/.cache/kiosk/catalogs``. Any failure to read or
write the cache falls back to compiling: the cache can only save time, never change a text.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path

log = logging.getLogger(__name__)

#: bump when the cached format or its meaning changes
CACHE_FORMAT = "1"
CACHE_ENV = "KIOSK_CATALOG_CACHE"
CACHE_SUBDIR = ("kiosk", "catalogs")
HERE = Path(__file__).resolve().parent
#: the modules whose code shapes a compiled catalog (their source is part of the key)
COMPILER_SOURCES = (
    "catalog.py",
    "po.py",
    "ruby.py",
    "ward.py",
    "glossary.py",
    "languages.py",
    "mo_cache.py",
)


def cache_dir() -> Path:
    """Where compiled catalogs are kept."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, *CACHE_SUBDIR)


def cache_key(code: str, ward: str, inputs: Iterable[Path]) -> str:
    """A digest of everything a compiled catalog depends on."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}\0{code}\0{ward}\0".encode())
    for path in (*inputs, *(HERE / name for name in COMPILER_SOURCES)):
        data = path.read_bytes() if path.exists() else b""
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def cached_mo(code: str, ward: str, inputs: Iterable[Path], compile_: Callable[[], bytes]) -> bytes:
    """The compiled catalog from the cache, or ``compile_()`` stored there for the next start."""
    try:
        key = cache_key(code, ward, inputs)
    except OSError:
        return compile_()
    folder = cache_dir()
    path = folder / f"{code}-{key}.mo"
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = compile_()
    _store(folder, path, code, data)
    return data


def _store(folder: Path, path: Path, code: str, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)  # readers see the whole file or none
        for old in folder.glob(f"{code}-*.mo"):  # the same language compiled from older inputs
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as err:
        log.info("catalog cache not written (%s): compiled on each start", type(err).__name__)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
