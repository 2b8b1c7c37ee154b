"""Published master-data sets: versions, manifests and file contents."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine, text

from server_sync.intake.clock import stamp, stamp_seconds
from server_sync.intake.records import MasterFileInfo, MasterManifest
from server_sync.intake.store.audit import write_audit

VERSION_DIGEST_CHARS = 12


def set_digest(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the sorted "name sha256" lines of a set (identifies its content)."""
    lines = "".join(f"{name} {hashlib.sha256(files[name]).hexdigest()}\n" for name in sorted(files))
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def current_master(engine: Engine) -> MasterManifest | None:
    """The newest published set, or None before the first publication."""
    with engine.connect() as conn:
        head = conn.execute(
            text(
                "SELECT version, published_at FROM master_versions"
                " ORDER BY published_at DESC, version DESC LIMIT 1"
            )
        ).first()
        if head is None:
            return None
        rows = conn.execute(
            text("SELECT name, sha256, size FROM master_files WHERE version = :v ORDER BY name"),
            {"v": head[0]},
        ).all()
    return MasterManifest(
        version=head[0],
        published_at=head[1],
        files=tuple(MasterFileInfo(name=r[0], sha256=r[1], size=int(r[2])) for r in rows),
    )


def master_file(engine: Engine, version: str, name: str) -> bytes | None:
    """The bytes of one file of a published set, or None."""
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT content FROM master_files WHERE version = :v AND name = :n"),
            {"v": version, "n": name},
        ).first()
    return None if row is None else bytes(row[0])


def publish_master_files(
    engine: Engine, files: Mapping[str, bytes], *, now: datetime, actor: str
) -> tuple[MasterManifest, bool]:
    """Publish a set (already validated); returns (manifest, newly_published).

    Publishing the same content as the current set publishes nothing and returns the current one.
    The clerk-confirmed 方書 (issue 13) are added to the set's address master first.
    """
    # imported here: the katagaki package uses the store package (import cycle at load time)
    from server_sync.intake.katagaki.decisions import confirmed_entries
    from server_sync.intake.katagaki.merge import with_confirmed

    files = with_confirmed(files, confirmed_entries(engine))
    digest = set_digest(files)
    current = current_master(engine)
    if current is not None:
        with engine.connect() as conn:
            row = conn.execute(
                text("SELECT digest FROM master_versions WHERE version = :v"),
                {"v": current.version},
            ).first()
        if row is not None and row[0] == digest:
            return current, False
    compact = stamp_seconds(now).replace("-", "").replace(":", "")
    version = f"{compact}-{digest[:VERSION_DIGEST_CHARS]}"
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO master_versions (version, published_at, published_by, digest)"
                " VALUES (:v, :at, :by, :d)"
            ),
            {"v": version, "at": stamp(now), "by": actor, "d": digest},
        )
        for name in sorted(files):
            content = files[name]
            conn.execute(
                text(
                    "INSERT INTO master_files (version, name, sha256, size, content)"
                    " VALUES (:v, :n, :h, :s, :c)"
                ),
                {
                    "v": version,
                    "n": name,
                    "h": hashlib.sha256(content).hexdigest(),
                    "s": len(content),
                    "c": content,
                },
            )
        write_audit(
            conn,
            actor=actor,
            action="master.published",
            subject_type="master",
            subject_id=version,
            detail={"files": len(files), "digest": digest},
        )
    published = current_master(engine)
    if published is None:  # pragma: no cover - written just above
        raise RuntimeError("master set vanished after publication")
    return published, True
