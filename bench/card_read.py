"""Benchmark: APDU count and wall time of the card ``read`` through pcscd + vpcd.

Targets (issue 2): the whole read (PIN, 基本4情報, integrity, auth certificate) in ≤ 20 short
APDUs, and the certificate part in no more APDUs than OpenSC's ``pkcs15-tool --read-certificate``
for the same certificate, measured in the same run by counting APDUs at the simulated card.
Times are compared with a baseline measured in the same run (one SELECT round trip).

Run: ``.venv/bin/python bench/card_read.py [--identity yamada] [--rounds 10]``. Starts pcscd
if none is running (and stops it again); needs vsmartcard-vpcd and OpenSC installed.
"""

from __future__ import annotations

import argparse
import fcntl
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.hardware.card import apdu, jpki, pcsc
from kiosk.hardware.card.my_number_card import MyNumberCard
from kiosk.hardware.card.sim import SimulatedCard, TestPki, VpcdCard
from kiosk.hardware.card.trust import TrustStore

READER = "Virtual PCD 00 00"
PORT = 35963
READ_BUDGET = 20
SELECT_AUTH_CERT = apdu.select_ef(jpki.EF_AUTH_CERTIFICATE)
# the lock the pcsc test fixtures hold for their session: one pcscd + vpcd per machine
LOCK_PATH = "/tmp/kiosk-pcsc.lock"
PINS = {"yamada": "1234", "takahashi": "5678", "smith": "2468", "sato": "9012"}


def wait(predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def readers() -> list[str]:
    try:
        return pcsc.list_readers()
    except Exception:
        return []


def start_pcscd() -> subprocess.Popen[bytes] | None:
    if READER in readers():
        return None
    binary = shutil.which("pcscd") or "/usr/sbin/pcscd"
    help_text = subprocess.run([binary, "--help"], capture_output=True, text=True, check=False)
    command = [binary, "-f"]
    if "--disable-polkit" in help_text.stdout + help_text.stderr:
        command.append("--disable-polkit")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait(lambda: READER in readers(), 10):
        proc.terminate()
        sys.exit("pcscd did not list the vpcd reader")
    return proc


def cert_part(commands: list[bytes]) -> int:
    start = commands.index(SELECT_AUTH_CERT)
    count = 1
    for command in commands[start + 1 :]:
        if command[1] == apdu.INS_SELECT:
            break
        count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--identity", default="yamada", choices=sorted(PINS))
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    pin = PINS[args.identity]
    lock = open(LOCK_PATH, "a+")  # noqa: SIM115 - held until the process ends
    fcntl.flock(lock, fcntl.LOCK_EX)  # wait for running test sessions to release vpcd
    daemon = start_pcscd()
    pki = TestPki.shared()
    card = SimulatedCard.from_file(args.identity, pki)
    vpcd = VpcdCard(card, port=PORT).start()
    try:
        if not wait(lambda: pcsc.is_card_present(READER), 10):
            sys.exit("pcscd does not see the simulated card")
        trust_dir = Path(tempfile.mkdtemp(prefix="bench-trust-"))
        pki.write_trust_dir(trust_dir)
        trust = TrustStore.load(trust_dir)

        # baseline: one SELECT round trip through pyscard → pcscd → vpcd → card
        with pcsc.connect(READER) as transport:
            rtts = []
            for _ in range(200):
                t0 = time.perf_counter()
                transport.transmit(apdu.select_df(jpki.JPKI_AID))
                rtts.append(time.perf_counter() - t0)
        rtt = statistics.median(rtts)

        # our read, in-process through pcscd
        times = []
        for _ in range(args.rounds):
            card.clear_log()
            t0 = time.perf_counter()
            with pcsc.connect(READER) as transport:
                MyNumberCard(transport).read_resident(pin, trust)
            times.append(time.perf_counter() - t0)
        read_apdus = card.apdu_count
        our_cert = cert_part(card.commands)
        read_time = statistics.median(times)

        # the CLI as a technician runs it
        card.clear_log()
        t0 = time.perf_counter()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "kiosk.hardware.card",
                "read",
                "--reader",
                READER,
                "--trust",
                str(trust_dir),
                "--pin-stdin",
            ],
            input=pin + "\n",
            capture_output=True,
            text=True,
            check=False,
        )
        cli_time = time.perf_counter() - t0
        cli_apdus = card.apdu_count
        if proc.returncode != 0:
            sys.exit(f"CLI read failed: {proc.stdout} {proc.stderr}")

        # OpenSC, same certificate
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
        if daemon is not None:
            daemon.terminate()
            daemon.wait(5)

    cert_size = len(pki.card(card.identity).auth_cert_der)
    print(f"identity: {args.identity}; auth certificate {cert_size} bytes")
    print(f"baseline SELECT round trip (median of 200):   {rtt * 1e3:8.3f} ms")
    print(
        f"read_resident through pcscd (median of {args.rounds}):  {read_time * 1e3:8.3f} ms"
        f"  = {read_time / rtt:6.1f} x baseline"
    )
    print(f"CLI read subprocess (incl. interpreter start): {cli_time * 1e3:8.1f} ms")
    print(f"OpenSC pkcs15-tool --read-certificate:        {opensc_time * 1e3:8.1f} ms")
    print(
        f"APDUs, whole read:     {read_apdus:3d} (CLI: {cli_apdus})  budget {READ_BUDGET}"
        f"  ratio {read_apdus / READ_BUDGET:.2f}"
    )
    print(
        f"APDUs, cert part:      ours {our_cert:3d}  OpenSC {opensc_cert:3d}"
        f"  ratio {our_cert / opensc_cert:.2f}  (OpenSC whole command: {opensc_total})"
    )
    ok = read_apdus <= READ_BUDGET and cli_apdus == read_apdus and our_cert <= opensc_cert
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
