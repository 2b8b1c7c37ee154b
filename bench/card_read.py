"""Benchmark: APDU count and wall time of the card ``read`` through pcscd + vpcd, cold and warm.

Targets (issue 14): the whole read (PIN, 基本4情報, integrity, auth certificate) in ≤ 16 short
APDUs once the J-LIS certificate that signs the integrity record is cached on the kiosk (warm),
and ≤ 20 for the first card of a key id (cold) — for the example cards and for the worst case the
format allows (FF20 object of 512 bytes with long-form lengths, a 1 kB auth certificate); the
certificate part in no more APDUs than OpenSC's ``pkcs15-tool --read-certificate`` for the same
certificate, measured in the same run by counting APDUs at the simulated card. Times are compared
with a baseline measured in the same run (one SELECT round trip).

Run: ``.venv/bin/python bench/card_read.py [--identity yamada ...] [--rounds 10]`` (default: the
four readable example identities and ``worst_case``). Starts pcscd if none is running (and stops
it again); needs vsmartcard-vpcd and OpenSC.
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
from kiosk.hardware.card.cv_cache import CvCertificateCache  # noqa: E402
from kiosk.hardware.card.my_number_card import MyNumberCard  # noqa: E402
from kiosk.hardware.card.sim import App, SimulatedCard, TestPki, VpcdCard  # noqa: E402
from kiosk.hardware.card.sim.constants import EF_JPKI_AUTH_CERT, EF_TEXT_BASIC4  # noqa: E402
from kiosk.hardware.card.sim.filesystem import BinaryFile  # noqa: E402
from kiosk.hardware.card.sim.worst_case import WORST_CASE_ID, worst_case_card  # noqa: E402
from kiosk.hardware.card.trust import TrustStore  # noqa: E402
from tests.fixtures.pcsc import SETTLE_S, card_absent, card_present, running_pcscd, wait_until  # noqa: E402

READER = "Virtual PCD 00 00"
PORT = 35963
READ_BUDGET = 16  # warm: the J-LIS certificate cached
COLD_BUDGET = 20  # the first card of a key id
SELECT_AUTH_CERT = apdu.select_ef(jpki.EF_AUTH_CERTIFICATE)
PINS = {
    "yamada": "1234",
    "takahashi": "5678",
    "smith": "2468",
    "sato": "9012",
    WORST_CASE_ID: "5678",
}
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
    cold_apdus: int
    warm_apdus: int
    read_time_s: float
    cli_apdus: int
    cli_time_s: float
    our_cert: int
    opensc_cert: int
    opensc_total: int
    opensc_time_s: float

    @property
    def ok(self) -> bool:
        return (
            self.warm_apdus <= READ_BUDGET
            and self.cold_apdus <= COLD_BUDGET
            and self.cli_apdus == self.warm_apdus
            and self.our_cert <= self.opensc_cert
        )


def make_card(identity: str, pki: TestPki) -> SimulatedCard:
    if identity == WORST_CASE_ID:
        return worst_case_card(pki)
    return SimulatedCard.from_file(identity, pki)


def object_size(card: SimulatedCard, app: App, fid: int) -> int:
    ef = card.apps[app].files[fid]
    assert isinstance(ef, BinaryFile)
    return tlv.object_size(ef.content) or 0


def measure(identity: str, pki: TestPki, trust_dir: Path, rounds: int) -> Figures:
    """Read one identity's card cold, then warm ``rounds`` times, once by CLI, once by OpenSC."""
    pin = PINS[identity]
    trust = TrustStore.load(trust_dir)
    state = Path(tempfile.mkdtemp(prefix="bench-state-"))  # an empty state folder: cold
    card = make_card(identity, pki)
    vpcd = VpcdCard(card, port=PORT).start()
    try:
        if not wait_until(lambda: card_present(READER), 10):
            sys.exit("pcscd does not see the simulated card")
        counts, times = [], []
        for _ in range(rounds + 1):
            card.clear_log()
            t0 = time.perf_counter()
            with pcsc.connect(READER) as transport:
                cache = CvCertificateCache(state)
                MyNumberCard(transport, cv_cache=cache).read_resident(pin, trust)
            times.append(time.perf_counter() - t0)
            counts.append(card.apdu_count)
        cold_apdus, warm_apdus = counts[0], counts[-1]
        our_cert = cert_part(card.commands)

        card.clear_log()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [*CLI, "read", "--reader", READER, "--trust", str(trust_dir), "--pin-stdin",
             "--state-dir", str(state)],
            input=pin + "\n",
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
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
    return Figures(
        identity=identity,
        cert_size=object_size(card, App.JPKI, EF_JPKI_AUTH_CERT),
        basic_four_size=object_size(card, App.TEXT, EF_TEXT_BASIC4),
        cold_apdus=cold_apdus,
        warm_apdus=warm_apdus,
        read_time_s=statistics.median(times[1:]),
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
    parser.add_argument("--rounds", type=int, default=10, help="warm reads per identity")
    args = parser.parse_args()
    identities = args.identity or [*sorted(set(PINS) - {WORST_CASE_ID}), WORST_CASE_ID]
    pki = TestPki.shared()
    trust_dir = pki.write_trust_dir(Path(tempfile.mkdtemp(prefix="bench-trust-")))
    with running_pcscd():  # the PC/SC test lock; starts pcscd if none runs, stops it after
        rtt = baseline_rtt(pki)
        figures = [measure(identity, pki, trust_dir, args.rounds) for identity in identities]

    print(f"baseline SELECT round trip through pcscd + vpcd (median of 200): {rtt * 1e3:.3f} ms")
    print(
        f"{'identity':<10} {'cert B':>6} {'basic4 B':>8} {'cold':>4} {'warm':>4} {'/16':>5} "
        f"{'CLI':>4} {'read ms':>8} {'x base':>7} {'CLI ms':>7} {'cert':>4} {'OpenSC':>6} "
        f"{'ratio':>5} {'OSC ms':>7}"
    )
    for f in figures:
        print(
            f"{f.identity:<10} {f.cert_size:>6} {f.basic_four_size:>8} {f.cold_apdus:>4} "
            f"{f.warm_apdus:>4} {f.warm_apdus / READ_BUDGET:>5.2f} {f.cli_apdus:>4} "
            f"{f.read_time_s * 1e3:>8.2f} {f.read_time_s / rtt:>7.1f} {f.cli_time_s * 1e3:>7.1f} "
            f"{f.our_cert:>4} {f.opensc_cert:>6} {f.our_cert / f.opensc_cert:>5.2f} "
            f"{f.opensc_time_s * 1e3:>7.1f}"
        )
    print(
        "cold/warm = APDUs of the whole read (token, PIN, 基本4情報, integrity, auth certificate)"
        " without / with the J-LIS certificate cached, budgets 20 / 16; CLI = warm read by"
        " `python -m kiosk.hardware.card read`; read ms = median warm read; cert = SELECT 000A"
        " and its reads, ours vs OpenSC's pkcs15-tool --read-certificate (ratio ours/OpenSC)"
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
