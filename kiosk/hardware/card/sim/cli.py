"""Command line of the simulator: run one simulated card in pcscd's vpcd reader until stopped."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from kiosk.hardware.card.sim.card import SimulatedCard
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.identity import Identity, IdentityError, resolve
from kiosk.hardware.card.sim.vpcd import DEFAULT_HOST, DEFAULT_PORT, VpcdCard

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def simulate(
    identity_path: Path | str,
    *,
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    vanish_after: int | None = None,
    corrupt: str | None = None,
) -> int:
    """Insert the simulated card into vpcd and block until SIGINT/SIGTERM; returns 0.

    ``identity_path`` may also be an example name (``"yamada"``). Raises ``IdentityError``.
    """
    identity = Identity.load(resolve(identity_path))
    card = SimulatedCard(identity, vanish_after=vanish_after, corrupt=corrupt)
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001
        stop.set()

    previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    vpcd = VpcdCard(card, host, port).start()
    log.info("simulated card %s -> vpcd %s:%d (Ctrl-C to remove)", identity.card_id, host, port)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        vpcd.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
    return EXIT_OK


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The simulator's options (shared with ``python -m kiosk.hardware.card simulate``)."""
    parser.add_argument(
        "--identity",
        required=True,
        help="identity JSON file, or an example name from examples/cards (e.g. yamada)",
    )
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="vpcd port (35963)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="vpcd host (127.0.0.1)")
    parser.add_argument(
        "--vanish-after", type=_count, default=None, help="remove the card after N APDUs"
    )
    parser.add_argument(
        "--corrupt", choices=[c.value for c in Corruption], default=None, help="data fault"
    )


def _port(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 0xFFFF:
        raise argparse.ArgumentTypeError("port must be 1-65535")
    return value


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m kiosk.hardware.card.sim``."""
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.hardware.card.sim",
        description="Run a simulated My Number card in pcscd's virtual reader (vpcd).",
    )
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return simulate(
            resolve(args.identity),
            port=args.port,
            host=args.host,
            vanish_after=args.vanish_after,
            corrupt=args.corrupt,
        )
    except IdentityError as err:
        print(f"error [{err.code}]: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
