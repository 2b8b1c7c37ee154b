"""Benchmark: APDU count and wall time of the card ``read`` through pcscd + vpcd.

Targets (issue 2): the whole read (PIN, 基本4情報, integrity, auth certificate) in ≤ 20 short
APDUs, and the certificate part in no more APDUs than OpenSC's ``pkcs15-tool --read-certificate``
for the same certificate, measured in the same run by counting APDUs at the simulated card.
Times are compared with a baseline measured in the same run (one SELECT round trip).

Run: ``.venv/bin/python bench/card_read.py [--identity yamada ...] [--rounds 10]`` (default: the
four readable example identities, incl. takahashi and smith whose 基本4情報 need two reads).
Starts pcscd if none is running (and stops it again); needs vsmartcard-vpcd and OpenSC.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kiosk.hardware.card import apdu, jpki, pcsc, tlv  # noqa: E402
from kiosk.hardware.card.my_number_card import MyNumberCard  # noqa: E402
from kiosk.hardware.card.sim import App, SimulatedCard, TestPki, VpcdCard  # noqa: E402
from kiosk.hardware.card.sim.constants import EF_TEXT_BASIC4  # noqa: E402
from kiosk.hardware.card.sim.filesystem import BinaryFile  # noqa: E402
from kiosk.hardware.card.trust import TrustStore  # noqa: E402
from tests.fixtures.pcsc import SETTLE_S, card_absent, card_present, running_pcscd, wait_until  # noqa: E402

READER = "Virtual PCD 00 00"
PORT = 35963
READ_BUDGET = 20
SELECT_AUTH_CERT = apdu.select_ef(jpki.EF_AUTH_CERTIFICATE)
PINS = {"yamada": "1234", "takahashi": "5678", "smith": "2468", "sato": "9012"}
CLI = [sys.executable, "-m", "kiosk.hardware.card"]


def cert_part(commands: list[bytes]) -> int:
    start = commands.index(SELECT_AUTH_CERT)
    count = 1
    for command in commands[start + 1 :]:
        if command[1] == apdu.INS_SELECT:
            break
        count += 1
    return count


@dataclass(frozen=True)
class Figures:
    """What one identity's run measured."""

    identity: str
    cert_size: int
    basic_four_size: int
    read_time_s: float
    read_apdus: int
    cli_apdus: int
    cli_time_s: float
    our_cert: int
    opensc_cert: int
    opensc_total: int
    opensc_time_s: float

    @property
    def ok(self) -> bool:
        return (
            self.read_apdus <= READ_BUDGET
            and self.cli_apdus == self.read_apdus
            and self.our_cert <= self.opensc_cert
        )


def measure(identity: str, pki: TestPki, trust_dir: Path, rounds: int) -> Figures:
    """Read one identity's card ``rounds`` times in-process, once by CLI and once by OpenSC."""
    pin = PINS[identity]
    trust = TrustStore.load(trust_dir)
    card = SimulatedCard.from_file(identity, pki)
    vpcd = VpcdCard(card, port=PORT).start()
    try:
        if not wait_until(lambda: card_present(READER), 10):
            sys.exit("pcscd does not see the simulated card")
        times = []
        for _ in range(rounds):
            card.clear_log()
            t0 = time.perf_counter()
            with pcsc.connect(READER) as transport:
                MyNumberCard(transport).read_resident(pin, trust)
            times.append(time.perf_counter() - t0)
        read_apdus = card.apdu_count
        our_cert = cert_part(card.commands)

        card.clear_log()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*CLI, "read", "--reader", READER, "--trust", str(trust_dir), "--pin-stdin"],
            input=pin + "\n",
            capture_output=True,
            text=True,
            check=False,
        )
        cli_time = time.perf_counter() - t0
        if proc.returncode != 0:
            sys.exit(f"CLI read failed: {proc.stdout} {proc.stderr}")
        cli_apdus = card.apdu_count

        card.clear_log()
        t0 = time.perf_counter()
        subprocess.run(
            ["pkcs15-tool", "--reader", READER, "--read-certificate", "01"],
            capture_output=True,
            check=True,
        )
        opensc_time = time.perf_counter() - t0
        opensc_total = card.apdu_count
        opensc_cert = cert_part(card.commands)
    finally:
        vpcd.stop()
        wait_until(lambda: card_absent(READER), 5)
        time.sleep(SETTLE_S)
    text_ef = card.apps[App.TEXT].files[EF_TEXT_BASIC4]
    assert isinstance(text_ef, BinaryFile)
    return Figures(
        identity=identity,
        cert_size=len(pki.card(card.identity).auth_cert_der),
        basic_four_size=tlv.object_size(text_ef.content) or 0,
        read_time_s=statistics.median(times),
        read_apdus=read_apdus,
        cli_apdus=cli_apdus,
        cli_time_s=cli_time,
        our_cert=our_cert,
        opensc_cert=opensc_cert,
        opensc_total=opensc_total,
        opensc_time_s=opensc_time,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--identity", action="append", choices=sorted(PINS), help="repeatable; default: all"
    )
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    identities = args.identity or sorted(PINS)
    pki = TestPki.shared()
    trust_dir = pki.write_trust_dir(Path(tempfile.mkdtemp(prefix="bench-trust-")))
    with running_pcscd():  # the PC/SC test lock; starts pcscd if none runs, stops it after
        rtt = baseline_rtt(pki)
        figures = [measure(identity, pki, trust_dir, args.rounds) for identity in identities]

    print(f"baseline SELECT round trip through pcscd + vpcd (median of 200): {rtt * 1e3:.3f} ms")
    print(
        f"{'identity':<10} {'cert B':>6} {'basic4 B':>8} {'read ms':>8} {'x base':>7} "
        f"{'APDUs':>5} {'/20':>5} {'CLI':>4} {'CLI ms':>7} {'cert':>4} {'OpenSC':>6} "
        f"{'ratio':>5} {'OSC ms':>7}"
    )
    for f in figures:
        print(
            f"{f.identity:<10} {f.cert_size:>6} {f.basic_four_size:>8} "
            f"{f.read_time_s * 1e3:>8.2f} {f.read_time_s / rtt:>7.1f} {f.read_apdus:>5} "
            f"{f.read_apdus / READ_BUDGET:>5.2f} {f.cli_apdus:>4} {f.cli_time_s * 1e3:>7.1f} "
            f"{f.our_cert:>4} {f.opensc_cert:>6} {f.our_cert / f.opensc_cert:>5.2f} "
            f"{f.opensc_time_s * 1e3:>7.1f}"
        )
    print(
        "APDUs = whole read (token, PIN, 基本4情報, integrity, auth certificate), budget 20; "
        "cert = SELECT 000A and its reads, ours vs OpenSC's pkcs15-tool --read-certificate"
    )
    ok = all(f.ok for f in figures)
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


def baseline_rtt(pki: TestPki) -> float:
    """Median SELECT round trip: pyscard → pcscd → vpcd → simulated card."""
    card = SimulatedCard.from_file("yamada", pki)
    vpcd = VpcdCard(card, port=PORT).start()
    try:
        if not wait_until(lambda: card_present(READER), 10):
            sys.exit("pcscd does not see the simulated card")
        rtts = []
        with pcsc.connect(READER) as transport:
            for _ in range(200):
                t0 = time.perf_counter()
                transport.transmit(apdu.select_df(jpki.JPKI_AID))
                rtts.append(time.perf_counter() - t0)
    finally:
        vpcd.stop()
        wait_until(lambda: card_absent(READER), 5)
        time.sleep(SETTLE_S)
    return statistics.median(rtts)


if __name__ == "__main__":
    sys.exit(main())
