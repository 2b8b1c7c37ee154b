"""``python -m kiosk.forms render|decode``: print a filing to files, read codes back from images.

Both commands print one JSON document on stdout. Bad input gives ``{"error": {"code", "message"}}``
and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

from kiosk.errors import KioskError
from kiosk.forms.codec import filing_from_json, filing_to_dict
from kiosk.forms.keys import (
    generate_device_key,
    load_private_key,
    load_public_key,
    public_key_pem,
)
from kiosk.forms.payload import SignatureStatus, decode_payload
from kiosk.forms.render.documents import render_documents, write_documents
from kiosk.forms.render.qr import read_qr_texts
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PROFILES, get_profile

EXIT_OK = 0
EXIT_BAD_INPUT = 2
DEMO_KIOSK_ID = "kiosk-demo"
PUBLIC_KEY_FILE = "kiosk.pub.pem"
#: filings are small; refuse anything bigger before parsing
MAX_FILING_BYTES = 1024 * 1024
#: refuse absurd images (a 576-dot receipt of 10 m is ~45 M pixels)
MAX_IMAGE_PIXELS = 60_000_000


class CliInputError(KioskError):
    """A file named on the command line is missing, too large or not what it should be."""

    code = "bad_input"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _emit(doc: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")


def _fail(code: str, message: str) -> int:
    _emit({"error": {"code": code, "message": message}})
    return EXIT_BAD_INPUT


def _read_limited(path: Path, limit: int) -> bytes:
    try:
        with path.open("rb") as fh:
            data = fh.read(limit + 1)
    except FileNotFoundError:
        raise CliInputError("file_not_found", f"{path}: no such file") from None
    except OSError as err:
        raise CliInputError("file_unreadable", f"{path}: {err.strerror}") from None
    if len(data) > limit:
        raise CliInputError("file_too_large", f"{path}: larger than {limit} bytes")
    return data


def cmd_render(args: argparse.Namespace) -> int:
    """Render receipt.png, receipt.escpos and form.pdf for one filing JSON file."""
    try:
        filing = filing_from_json(_read_limited(Path(args.filing), MAX_FILING_BYTES))
        out = Path(args.out)
        extra: dict[str, Any] = {}
        if args.key:
            key = load_private_key(Path(args.key))
        else:
            key = generate_device_key()
            out.mkdir(parents=True, exist_ok=True)
            pub = out / PUBLIC_KEY_FILE
            pub.write_bytes(public_key_pem(key.public_key()))
            extra["public_key"] = str(pub)
        docs = render_documents(
            filing, kiosk_id=args.kiosk_id, private_key=key, profile=get_profile(args.profile)
        )
        files = write_documents(docs, out)
    except KioskError as err:
        return _fail(err.code, str(err))
    except OSError as err:
        return _fail("io_error", f"{err.filename or ''}: {err.strerror}")
    _emit({**docs.summary(), "files": {k: str(v) for k, v in files.items()}, **extra})
    return EXIT_OK


def _open_image(path: Path) -> Image.Image:
    _read_limited(path, 64 * 1024 * 1024)  # existence, readability and a size bound
    try:
        image = Image.open(path)
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise CliInputError("image_too_large", f"{path}: {image.width}x{image.height} pixels")
        image.load()  # type: ignore[no-untyped-call]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as err:
        raise CliInputError("image_unreadable", f"{path}: not a readable image") from err
    return image


def cmd_decode(args: argparse.Namespace) -> int:
    """Decode the filing from the QR code(s) in one or more images."""
    try:
        trusted = [load_public_key(Path(p)) for p in args.trust] if args.trust else None
        texts = read_qr_texts(_open_image(Path(p)) for p in args.images)
        if not texts:
            raise CliInputError("no_code_found", "no QR code found in the image(s)")
        decoded = decode_payload(texts, trusted_keys=trusted)
    except KioskError as err:
        return _fail(
            err.code if not hasattr(err, "reason") else f"{err.code}:{err.reason}", str(err)
        )
    status = decoded.signature
    shown = SignatureStatus.INVALID if status is SignatureStatus.UNKNOWN_KEY else status
    _emit(
        {
            "signature": shown.value,
            "signature_detail": status.value,
            "filing_id": decoded.filing_id,
            "kiosk_id": decoded.kiosk_id,
            "key_id": decoded.key_id,
            "printed_at": decoded.printed_at.isoformat(),
            "codes_read": len(texts),
            "filing": filing_to_dict(decoded.filing),
        }
    )
    return EXIT_OK


def register(subparsers: Any) -> None:
    """Add the ``render`` and ``decode`` sub-commands."""
    render = subparsers.add_parser("render", help="render receipt.png, receipt.escpos, form.pdf")
    render.add_argument("--filing", required=True, help="filing JSON file")
    render.add_argument("--out", required=True, help="output directory")
    render.add_argument("--key", help="Ed25519 private key PEM (default: a new demo key)")
    render.add_argument(
        "--profile", default=DEFAULT_PROFILE.name, choices=sorted(PROFILES), help="printer profile"
    )
    render.add_argument("--kiosk-id", default=DEMO_KIOSK_ID, help="kiosk id put into the payload")
    render.set_defaults(handler=cmd_render)

    decode = subparsers.add_parser("decode", help="decode the filing from QR code image(s)")
    decode.add_argument("images", nargs="+", help="PNG images with the code(s)")
    decode.add_argument(
        "--trust", action="append", default=[], help="trusted public key PEM (repeatable)"
    )
    decode.set_defaults(handler=cmd_decode)
