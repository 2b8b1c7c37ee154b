"""``python -m kiosk.hardware.card``: status, read and simulate, for technicians and scripts.

Results and errors are JSON on stdout (one object); logs go to stderr. Exit codes: 0 ok,
2 usage / bad input (``invalid_pin``, ``bad_trust_dir``, ``bad_identity``), 3 wrong_pin,
4 pin_blocked, 5 no_card, 6 not_my_number_card, 7 card_error.
The PIN is read from stdin, never from the command line, and is never printed or logged.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from kiosk.errors import KioskError
from kiosk.hardware.card import pcsc
from kiosk.hardware.card.cv_cache import CvCertificateCache
from kiosk.hardware.card.errors import (
    CardError,
    NoCardError,
    NotMyNumberCardError,
    PinBlockedError,
    PinFormatError,
    WrongPinError,
)
from kiosk.hardware.card.my_number_card import MyNumberCard, ResidentRecord
from kiosk.hardware.card.sim import cli as sim_cli
from kiosk.hardware.card.sim.identity import IdentityError
from kiosk.hardware.card.trust import TrustStore, TrustStoreError
from kiosk.log import TRAFFIC

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_WRONG_PIN = 3
EXIT_PIN_BLOCKED = 4
EXIT_NO_CARD = 5
EXIT_NOT_MY_NUMBER_CARD = 6
EXIT_CARD_ERROR = 7

# most specific first
EXIT_CODES: tuple[tuple[type[KioskError], int], ...] = (
    (WrongPinError, EXIT_WRONG_PIN),
    (PinBlockedError, EXIT_PIN_BLOCKED),
    (NoCardError, EXIT_NO_CARD),
    (NotMyNumberCardError, EXIT_NOT_MY_NUMBER_CARD),
    (PinFormatError, EXIT_USAGE),
    (TrustStoreError, EXIT_USAGE),
    (IdentityError, EXIT_USAGE),
    (CardError, EXIT_CARD_ERROR),
)
LOG_LEVELS = {
    "traffic": TRAFFIC,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
}


def emit(payload: dict[str, Any]) -> None:
    """Write one JSON object to stdout."""
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def error_payload(error: KioskError) -> dict[str, Any]:
    """The JSON for a typed error: its stable code plus its data attributes."""
    payload: dict[str, Any] = {"error": error.code}
    if isinstance(error, WrongPinError):
        payload["tries_left"] = error.tries_left
    return payload


def exit_code(error: KioskError) -> int:
    """The process exit code for a typed error."""
    for kind, code in EXIT_CODES:
        if isinstance(error, kind):
            return code
    return EXIT_INTERNAL


def resident_json(record: ResidentRecord) -> dict[str, Any]:
    """The ``read`` result as documented in the README (a stable interface)."""
    info, cert = record.basic_four, record.auth_certificate
    return {
        "name": info.name,
        "address": info.address,
        "birth_date": info.birth_date.isoformat(),
        "sex": info.sex.value,
        "integrity": record.integrity.value,
        "auth_certificate": {
            "serial_hex": cert.serial_hex,
            "not_after": cert.not_after.isoformat(),
            "chain": cert.chain.value,
        },
    }


def read_pin(stream: Any) -> str:
    """The first line of ``stream`` without its line ending (never echoed)."""
    line: str = stream.readline()
    return line.rstrip("\r\n")


def cmd_status(args: argparse.Namespace) -> int:
    """Print tries left for the three PINs; consumes no try."""
    with pcsc.connect(args.reader) as transport:
        status = MyNumberCard(transport).pin_status()
    emit(
        {
            "text_pin_tries": status.text_pin_tries,
            "auth_pin_tries": status.auth_pin_tries,
            "sign_pin_tries": status.sign_pin_tries,
        }
    )
    return EXIT_OK


def cmd_read(args: argparse.Namespace) -> int:
    """Verify the input-support PIN, read the resident and the auth certificate."""
    if not args.pin_stdin:
        raise PinFormatError("the PIN must be given on stdin (--pin-stdin)")
    trust = TrustStore.load(args.trust) if args.trust is not None else None
    pin = read_pin(sys.stdin)
    cache = CvCertificateCache.in_state_dir(args.state_dir)
    with pcsc.connect(args.reader) as transport:
        record = MyNumberCard(transport, cv_cache=cache).read_resident(pin, trust)
    emit(resident_json(record))
    return EXIT_OK


def cmd_simulate(args: argparse.Namespace) -> int:
    """Run the simulated card against vpcd until stopped."""
    return sim_cli.simulate(
        args.identity,
        port=args.port,
        host=args.host,
        vanish_after=args.vanish_after,
        corrupt=args.corrupt,
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (sub-commands: status, read, simulate)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--log-level",
        choices=sorted(LOG_LEVELS),
        default="warning",
        help="stderr log level; 'traffic' shows APDUs with PINs masked",
    )
    common.add_argument("--debug", action="store_true", help="same as --log-level traffic")
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.hardware.card", description=__doc__.split("\n")[0], parents=[common]
    )
    sub = parser.add_subparsers(dest="command", required=True)

    status = sub.add_parser("status", parents=[common], help="tries left for the three PINs")
    status.add_argument("--reader", help="first reader whose name contains this text")
    status.set_defaults(handler=cmd_status)

    read = sub.add_parser("read", parents=[common], help="read 基本4情報 and the auth certificate")
    read.add_argument("--reader", help="first reader whose name contains this text")
    read.add_argument("--trust", type=Path, help="folder of PEM trust anchors")
    read.add_argument("--pin-stdin", action="store_true", help="read the 4-digit PIN from stdin")
    read.add_argument(
        "--state-dir",
        type=Path,
        help="folder of the J-LIS certificate cache (default: $KIOSK_STATE_DIR or"
        " /var/lib/kiosk; never created)",
    )
    read.set_defaults(handler=cmd_read)

    simulate = sub.add_parser("simulate", parents=[common], help="run a simulated card on vpcd")
    sim_cli.add_arguments(simulate)
    simulate.set_defaults(handler=cmd_simulate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, run, map typed errors to JSON and exit codes, never a traceback."""
    args = build_parser().parse_args(argv)
    level = TRAFFIC if args.debug else LOG_LEVELS[args.log_level]
    logging.basicConfig(
        level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except KioskError as error:
        log.info("%s failed: %s (%s)", args.command, error.code, error)
        emit(error_payload(error))
        return exit_code(error)
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.debug("internal error", exc_info=True)
        emit({"error": "internal_error"})
        return EXIT_INTERNAL
