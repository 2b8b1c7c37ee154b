"""Settings precedence, device key files and the sender lock."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from server_sync.config import load_settings
from server_sync.devicekey import load_or_create_device_key, load_or_create_outbox_key
from server_sync.envelope import key_id_for
from server_sync.errors import ConfigError
from server_sync.lock import SenderBusyError, SenderLock


def test_settings_precedence_env_over_toml_over_enrolment(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "enrolment.json").write_text(
        json.dumps({"kiosk_id": "from-enrol", "intake_url": "https://a", "ca_file": "/ca.pem"})
    )
    toml = tmp_path / "kiosk.toml"
    toml.write_text(
        '[sync]\nintake_url = "https://b"\nread_timeout_s = 3\n[sync.retry]\nmax_attempts = 7\n'
    )
    env = {"KIOSK_CONFIG": str(toml), "KIOSK_STATE_DIR": str(state)}
    s = load_settings(env)
    assert (s.kiosk_id, s.intake_url, s.ca_file) == ("from-enrol", "https://b", Path("/ca.pem"))
    assert s.read_timeout_s == 3.0 and s.retry.max_attempts == 7
    assert s.outbox_path == state / "outbox.db"
    s = load_settings({**env, "KIOSK_ID": "env-id", "KIOSK_INTAKE_URL": "https://c"})
    assert (s.kiosk_id, s.intake_url) == ("env-id", "https://c")


@pytest.mark.parametrize(
    "text",
    ["[sync]\nread_timeout_s = -1\n", "[sync]\nretry = { bogus = 1 }\n", "sync = 3\n", "[sync\n"],
)
def test_bad_config_is_a_config_error(tmp_path: Path, text: str) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text(text)
    with pytest.raises(ConfigError):
        load_settings({"KIOSK_CONFIG": str(toml), "KIOSK_STATE_DIR": str(tmp_path)})


def test_unenrolled_settings_refuse_to_talk_to_an_intake(tmp_path: Path) -> None:
    s = load_settings(
        {"KIOSK_CONFIG": str(tmp_path / "none.toml"), "KIOSK_STATE_DIR": str(tmp_path)}
    )
    with pytest.raises(ConfigError):
        s.require_intake()


def test_keys_are_created_once_with_mode_0600(tmp_path: Path) -> None:
    key_path, box_path = tmp_path / "keys" / "dev.pem", tmp_path / "keys" / "box.key"
    key = load_or_create_device_key(key_path)
    again = load_or_create_device_key(key_path)
    assert key_id_for(key.public_key()) == key_id_for(again.public_key())
    box = load_or_create_outbox_key(box_path)
    assert len(box) == 32 and load_or_create_outbox_key(box_path) == box
    for path in (key_path, box_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_keys_readable_by_others_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "box.key"
    load_or_create_outbox_key(path)
    path.chmod(0o644)
    with pytest.raises(ConfigError):
        load_or_create_outbox_key(path)


def test_only_one_sender_holds_the_lock(tmp_path: Path) -> None:
    lock = tmp_path / "sender.lock"
    with SenderLock(lock), pytest.raises(SenderBusyError), SenderLock(lock):
        pass
    with SenderLock(tmp_path / "sender.lock"):
        pass


def test_enrol_token_starting_with_a_dash_is_a_value_not_an_option() -> None:
    from server_sync.cli import build_parser, join_option_values

    argv = ["enrol", "--url", "https://x", "--token", "-abc_D", "--kiosk-id", "k1"]
    args = build_parser().parse_args(join_option_values(argv))
    assert (args.token, args.kiosk_id, args.url) == ("-abc_D", "k1", "https://x")
