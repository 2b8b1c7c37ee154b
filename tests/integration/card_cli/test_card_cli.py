"""The card CLI through real pcscd + vpcd: JSON, exit codes, no tracebacks, no PIN in output."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from kiosk.hardware.card.sim import App, GenericCard, SimulatedCard, TestPki
from tests.fixtures.pcsc import card_absent, card_present, wait_until
from tests.integration.card_cli.conftest import CliResult, run_cli

pytestmark = pytest.mark.pcsc

Cli = Callable[..., CliResult]
REPO = Path(__file__).resolve().parents[3]


def verifies_sent(card: SimulatedCard) -> list[bytes]:
    return [c for c in card.commands if c[1] == 0x20 and len(c) > 4]


def assert_nothing_forbidden_touched(card: SimulatedCard) -> None:
    """The card's access log: no My Number EF, no card-face AP, no signing certificate or key."""
    touched = set(card.selected_files) | set(card.files_read)
    assert (App.TEXT, 0x0001) not in touched
    assert (App.JPKI, 0x0001) not in touched and (App.JPKI, 0x001A) not in touched
    assert not any(app is App.VISUAL for app, _ in touched)
    assert card.commands, "the card saw no command at all"


def test_status_prints_tries_and_consumes_none(cli: Cli, virtual_card: Any) -> None:
    handle = virtual_card("tanaka_last_try")
    result = cli(["status"])
    assert result.code == 0
    assert result.json == {"text_pin_tries": 1, "auth_pin_tries": 3, "sign_pin_tries": 5}
    assert handle.card.pin(App.TEXT, 0x11).tries_left == 1
    assert handle.card.pin(App.JPKI, 0x18).tries_left == 3
    assert handle.card.pin(App.JPKI, 0x1B).tries_left == 5
    assert verifies_sent(handle.card) == []
    assert_nothing_forbidden_touched(handle.card)


def test_read_prints_the_resident_with_verified_integrity(
    cli: Cli, virtual_card: Any, trust_dir: Path
) -> None:
    handle = virtual_card("takahashi")
    result = cli(["read", "--trust", str(trust_dir), "--pin-stdin"], stdin="5678\n")
    assert result.code == 0, result.stderr
    leaf = x509.load_der_x509_certificate(handle.card.pki.card(handle.card.identity).auth_cert_der)
    auth = result.json.pop("auth_certificate")
    assert result.json == {
        "name": "髙橋\u3000𠮷子",
        "address": handle.card.identity.address,
        "birth_date": handle.card.identity.birth_date.isoformat(),
        "sex": "female",
        "integrity": "verified",
    }
    assert auth["chain"] == "trusted"
    assert re.fullmatch(r"[1-9a-f][0-9a-f]*", auth["serial_hex"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", auth["not_after"])
    assert auth["serial_hex"] == format(leaf.serial_number, "x")
    assert auth["not_after"] == leaf.not_valid_after_utc.date().isoformat()
    assert "5678" not in result.stdout
    assert_nothing_forbidden_touched(handle.card)
    assert (App.TEXT, 0x0002) in handle.card.files_read
    assert handle.apdu_count == 20  # takahashi, cold (no state folder): the EF 0004 reads too


def test_read_with_a_state_folder_reads_the_jlis_certificate_only_the_first_time(
    cli: Cli, virtual_card: Any, trust_dir: Path, tmp_path: Path
) -> None:
    handle = virtual_card("takahashi")
    state = tmp_path / "state"
    state.mkdir()
    args = ["read", "--trust", str(trust_dir), "--pin-stdin", "--state-dir", str(state)]
    first = cli(args, stdin="5678\n")
    assert first.code == 0, first.stderr
    assert first.json["integrity"] == "verified"
    cold = handle.apdu_count
    handle.card.clear_log()
    second = cli(args, stdin="5678\n")
    assert second.code == 0 and second.json == first.json
    assert (cold, handle.apdu_count) == (20, 16)  # the budgets: 20 cold, 16 warm
    assert (App.TEXT, 0x0004) not in handle.card.files_read
    assert (state / "card-cv-certificates.json").is_file()
    assert "5678" not in second.stdout + second.stderr


def test_read_without_trust_is_unverified_and_untrusted(cli: Cli, virtual_card: Any) -> None:
    virtual_card("sato")
    result = cli(["read", "--pin-stdin"], stdin="9012\n")
    assert result.code == 0
    assert result.json["sex"] == "not_applicable"
    assert (result.json["integrity"], result.json["auth_certificate"]["chain"]) == (
        "unverified",
        "untrusted",
    )


def test_wrong_pin_exit_3_with_tries_left(cli: Cli, virtual_card: Any) -> None:
    handle = virtual_card("yamada")
    result = cli(["read", "--pin-stdin"], stdin="9999\n")
    assert (result.code, result.json) == (3, {"error": "wrong_pin", "tries_left": 2})
    assert len(verifies_sent(handle.card)) == 1  # never retried


def test_blocked_pin_exit_4(cli: Cli, virtual_card: Any) -> None:
    virtual_card("suzuki_blocked")
    result = cli(["read", "--pin-stdin"], stdin="1111\n")
    assert (result.code, result.json) == (4, {"error": "pin_blocked"})


def test_no_card_exit_5(cli: Cli, pcsc_stack: Any) -> None:
    assert card_absent(pcsc_stack.reader_name)
    for args, stdin in ((["status"], ""), (["read", "--pin-stdin"], "1234\n")):
        result = cli(args, stdin=stdin)
        assert (result.code, result.json) == (5, {"error": "no_card"})


def test_unknown_reader_exit_5() -> None:
    result = run_cli(["status", "--reader", "no such reader"])
    assert (result.code, result.json) == (5, {"error": "no_card"})


@pytest.mark.parametrize(
    "options",
    # yamada's cold read is 18 APDUs: #9 the VERIFY, #10 EF 0002 by short EF id, #17 the last
    [{"vanish_after": 0}, {"vanish_after": 10}, {"vanish_during": 9}, {"vanish_after": 17}],
    ids=["first-apdu", "basic-4", "during-verify", "last-apdu"],
)
def test_card_removed_during_the_read_exit_5(
    cli: Cli, virtual_card: Any, options: dict[str, int]
) -> None:
    handle = virtual_card("yamada", **options)
    result = cli(["read", "--pin-stdin"], stdin="1234\n")
    assert (result.code, result.json) == (5, {"error": "no_card"})  # and nothing partial
    assert handle.card.vanished
    assert len(verifies_sent(handle.card)) <= 1
    if "vanish_during" in options:  # the card got the PIN once and the CLI did not resend it
        assert handle.card.commands[-1] == verifies_sent(handle.card)[0]
    handle.stop()


def test_not_a_my_number_card_exit_6(cli: Cli, virtual_card: Any, test_pki: TestPki) -> None:
    virtual_card(card=GenericCard(pki=test_pki))
    result = cli(["read", "--pin-stdin"], stdin="1234\n")
    assert (result.code, result.json) == (6, {"error": "not_my_number_card"})


@pytest.mark.parametrize(
    "corrupt",
    ["basic4_bad_length", "basic4_truncated", "basic4_bad_offsets", "auth_cert_truncated"],
)
def test_malformed_data_exit_7(cli: Cli, virtual_card: Any, corrupt: str) -> None:
    virtual_card("yamada", corrupt=corrupt)
    result = cli(["read", "--pin-stdin"], stdin="1234\n")
    assert (result.code, result.json) == (7, {"error": "card_error"})


@pytest.mark.parametrize("pin", ["12a4", "123", "12345", ""])
def test_malformed_pin_exit_2_and_nothing_sent(cli: Cli, virtual_card: Any, pin: str) -> None:
    handle = virtual_card("yamada")
    result = cli(["read", "--pin-stdin"], stdin=pin + "\n")
    assert (result.code, result.json) == (2, {"error": "invalid_pin"})
    assert verifies_sent(handle.card) == []


def test_missing_trust_folder_exit_2(cli: Cli, virtual_card: Any, tmp_path: Path) -> None:
    virtual_card("yamada")
    result = cli(["read", "--trust", str(tmp_path / "nope"), "--pin-stdin"], stdin="1234\n")
    assert (result.code, result.json) == (2, {"error": "bad_trust_dir"})


def test_debug_trace_masks_the_pin_and_hides_personal_data(cli: Cli, virtual_card: Any) -> None:
    handle = virtual_card("smith")
    result = cli(["read", "--debug", "--pin-stdin"], stdin="2468\n")
    assert result.code == 0
    assert "20 00 80 04 ** ** ** **" in result.stderr  # the VERIFY is traced, masked
    assert "32 34 36 38" not in result.stderr and "32343638" not in result.stderr
    messages = [line.split(": ", 1)[-1] for line in result.stderr.splitlines()]
    assert not any("2468" in m for m in messages)
    assert "SMITH" not in result.stderr and handle.card.identity.address not in result.stderr
    assert verifies_sent(handle.card)[0].endswith(b"2468")  # the card did get the real PIN


def test_simulate_subcommand_runs_a_card_on_vpcd(pcsc_stack: Any, tmp_path: Path) -> None:
    assert card_absent(pcsc_stack.reader_name)
    identity = REPO / "examples" / "cards" / "yamada.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk.hardware.card",
            "simulate",
            "--identity",
            str(identity),
            "--port",
            str(pcsc_stack.port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert wait_until(
            lambda: card_present(pcsc_stack.reader_name) or proc.poll() is not None, 20
        )
        assert proc.poll() is None, proc.communicate()
        result = run_cli(["status", "--reader", pcsc_stack.reader_name])
        assert (result.code, result.json) == (
            0,
            {"text_pin_tries": 3, "auth_pin_tries": 3, "sign_pin_tries": 5},
        )
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = proc.wait(5)
    assert code == 0
    assert wait_until(lambda: card_absent(pcsc_stack.reader_name), 8)


def test_simulate_with_a_bad_identity_exit_2(tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"name": "x"}', encoding="utf-8")
    for identity in (str(tmp_path / "absent.json"), str(tmp_path / "bad.json")):
        result = run_cli(["simulate", "--identity", identity])
        assert (result.code, result.json) == (2, {"error": "bad_identity"})


def test_pcsc_service_missing_is_no_card() -> None:
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    result = run_cli(["status", "--log-level", "info"], env=env)
    assert (result.code, result.json) == (5, {"error": "no_card"})
    assert "PC/SC service not available" in result.stderr
