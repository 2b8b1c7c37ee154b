"""Master pull: verified, validated, atomic switch; a bad download keeps the old set."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from server_sync.errors import MasterDataError
from server_sync.master_pull import MasterStore, parse_manifest, pull_master
from server_sync.transport import ManifestAnswer
from tests.unit.sync.masterdata import master_set


class FakeIntake:
    """Serves a manifest + files; ``corrupt`` replaces the bytes of one file after publication."""

    def __init__(self) -> None:
        self.version = ""
        self.files: dict[str, bytes] = {}
        self.corrupt: dict[str, bytes] = {}
        self.downloads: list[str] = []

    def publish(self, version: str, files: dict[str, bytes]) -> None:
        self.version, self.files, self.corrupt = version, dict(files), {}

    def get_manifest(self, etag: str | None) -> ManifestAnswer | None:
        if etag == f'"{self.version}"':
            return None
        doc = {
            "version": self.version,
            "published_at": "2026-11-27T10:00:00Z",
            "files": [
                {"name": n, "sha256": hashlib.sha256(d).hexdigest(), "size": len(d)}
                for n, d in sorted(self.files.items())
            ],
        }
        return ManifestAnswer(f'"{self.version}"', doc)

    def get_file(self, name: str, *, version: str, max_bytes: int) -> bytes:
        assert version == self.version
        self.downloads.append(name)
        return self.corrupt.get(name, self.files[name])[: max_bytes + 1]


def _ward_town(store: MasterStore) -> str:
    current = store.current_dir()
    assert current is not None
    return str(json.loads((current / "ward_settings.json").read_text())["town"])


def test_first_pull_installs_and_switches_current(tmp_path: Path) -> None:
    intake, store = FakeIntake(), MasterStore(tmp_path / "master")
    intake.publish("v1", master_set(tmp_path))
    result = pull_master(intake, store)
    assert result.changed and result.version == "v1"
    assert store.current_link.is_symlink()
    assert _ward_town(store) == "新宿三丁目"
    current = store.current_dir()
    assert current is not None
    assert (current / "trust" / "jpki-user.pem").read_bytes().startswith(b"-----BEGIN")
    assert json.loads((current / "manifest.json").read_text())["version"] == "v1"
    # unchanged: 304, no download
    intake.downloads.clear()
    assert not pull_master(intake, store).changed
    assert intake.downloads == []


def test_new_version_swaps_and_keeps_only_the_previous(tmp_path: Path) -> None:
    intake, store = FakeIntake(), MasterStore(tmp_path / "master")
    for n, town in enumerate(["一丁目", "二丁目", "三丁目"], start=1):
        intake.publish(f"v{n}", master_set(tmp_path, town))
        assert pull_master(intake, store).version == f"v{n}"
    assert _ward_town(store) == "三丁目"
    assert sorted(p.name for p in (tmp_path / "master" / "versions").iterdir()) == ["v2", "v3"]


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("address_master.sqlite", b"SQLite format 3\x00" + b"\x00" * 200),  # right size? no
        (
            "relationship_codes.json",
            b'{"name": "x", "codes": {"\xe4\xb8\x96\xe5\xb8\xaf\xe4\xb8\xbb": "02"}}',
        ),
        ("ward_settings.json", b"[1, 2]"),
        ("trust/jpki-user.pem", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"),
    ],
)
def test_invalid_content_keeps_the_old_set(tmp_path: Path, name: str, bad: bytes) -> None:
    intake, store = FakeIntake(), MasterStore(tmp_path / "master")
    intake.publish("v1", master_set(tmp_path, "旧"))
    pull_master(intake, store)
    files = master_set(tmp_path, "新")
    files[name] = bad  # published as such: sha256/size match, content is wrong
    intake.publish("v2", files)
    with pytest.raises(MasterDataError):
        pull_master(intake, store)
    assert store.current_version() == "v1" and _ward_town(store) == "旧"
    leftovers = [p.name for p in (tmp_path / "master" / "versions").iterdir()]
    assert leftovers == ["v1"]


def test_corrupted_download_fails_the_digest_check(tmp_path: Path) -> None:
    intake, store = FakeIntake(), MasterStore(tmp_path / "master")
    intake.publish("v1", master_set(tmp_path, "旧"))
    pull_master(intake, store)
    intake.publish("v2", master_set(tmp_path, "新"))
    good = intake.files["ward_settings.json"]
    intake.corrupt["ward_settings.json"] = good[:-2] + b"!}"
    with pytest.raises(MasterDataError, match="sha256"):
        pull_master(intake, store)
    intake.corrupt["ward_settings.json"] = good[:-1]
    with pytest.raises(MasterDataError, match="size"):
        pull_master(intake, store)
    assert _ward_town(store) == "旧"


def test_truncated_sqlite_fails_integrity(tmp_path: Path) -> None:
    intake, store = FakeIntake(), MasterStore(tmp_path / "master")
    files = master_set(tmp_path)
    files["address_master.sqlite"] = files["address_master.sqlite"][:1024]
    intake.publish("v1", files)
    with pytest.raises(MasterDataError):
        pull_master(intake, store)
    assert store.current_version() is None


@pytest.mark.parametrize(
    "doc",
    [
        {"version": "../x", "published_at": "t", "files": []},
        {
            "version": "v",
            "published_at": "t",
            "files": [{"name": "../etc/passwd", "sha256": "0" * 64, "size": 1}],
        },
        {
            "version": "v",
            "published_at": "t",
            "files": [{"name": "/abs", "sha256": "0" * 64, "size": 1}],
        },
        {
            "version": "v",
            "published_at": "t",
            "files": [{"name": "a/b/c", "sha256": "0" * 64, "size": 1}],
        },
        {
            "version": "v",
            "published_at": "t",
            "files": [{"name": "ward_settings.json", "sha256": "x", "size": 1}],
        },
        {
            "version": "v",
            "published_at": "t",
            "files": [{"name": "ward_settings.json", "sha256": "0" * 64, "size": -1}],
        },
        {"version": "v", "published_at": "t", "files": []},  # required files missing
        {"version": "v", "files": []},
    ],
)
def test_bad_manifests_are_refused(doc: dict[str, object]) -> None:
    with pytest.raises(MasterDataError):
        parse_manifest(doc)


def test_the_app_path_follows_the_current_set(tmp_path: Path) -> None:
    import sqlite3

    app_path = tmp_path / "master.sqlite"
    intake, store = FakeIntake(), MasterStore(tmp_path / "master", app_link=app_path)
    for n, town in enumerate(["一丁目", "二丁目"], start=1):
        intake.publish(f"v{n}", master_set(tmp_path, town))
        pull_master(intake, store)
        conn = sqlite3.connect(f"file:{app_path}?mode=ro", uri=True)
        assert conn.execute("SELECT town FROM test_marker").fetchone() == (town,)
        conn.close()
    assert app_path.is_symlink()


def test_a_regular_app_master_file_is_left_alone(tmp_path: Path) -> None:
    app_path = tmp_path / "master.sqlite"
    app_path.write_bytes(b"built by an installer")
    intake, store = FakeIntake(), MasterStore(tmp_path / "master", app_link=app_path)
    intake.publish("v1", master_set(tmp_path))
    pull_master(intake, store)
    assert app_path.read_bytes() == b"built by an installer"
