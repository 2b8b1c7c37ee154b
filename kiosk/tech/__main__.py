"""``python -m kiosk.tech``: flash an SD card, diagnose a device, first boot, voice prompts."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kiosk.tech.checks import (
    CheckStatus,
    DiagnoseContext,
    default_checks,
    render_report,
    run_checks,
)
from kiosk.tech.errors import TechError
from kiosk.tech.firstboot import run_firstboot
from kiosk.tech.flash import FlashRequest, flash
from kiosk.tech.voices import VOICES, generate, parse_languages

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_REFUSED = 2


def _flash(args: argparse.Namespace) -> int:
    result = flash(
        FlashRequest(
            image=Path(args.image), target=args.device, site=Path(args.site),
            kiosk_id=args.kiosk_id, token=args.token, assume_yes=args.yes,
            force_size=args.force_size,
        )
    )  # fmt: skip
    print(f"flashed {args.device}: {result.bytes_written} bytes, sha256 {result.sha256}, verified")
    print(f"per-device files on the boot partition: {', '.join(result.files)}")
    return EXIT_OK


def _diagnose(args: argparse.Namespace) -> int:
    ctx = DiagnoseContext()
    if args.config:
        ctx = DiagnoseContext(config_path=Path(args.config), state_dir=ctx.state_dir)
    results = run_checks(default_checks(ctx))
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    else:
        print(render_report(results))
    return EXIT_CHECKS_FAILED if any(r.status is CheckStatus.FAIL for r in results) else EXIT_OK


def _firstboot(args: argparse.Namespace) -> int:
    print(run_firstboot(Path(args.boot), Path(args.state), args.user))
    return EXIT_OK


def _voices(args: argparse.Namespace) -> int:
    codes = parse_languages(args.languages)
    started = time.monotonic()
    written = generate(Path(args.out_dir), codes)
    elapsed = time.monotonic() - started
    voices = ", ".join(f"{code}={VOICES[code]}" for code in codes)
    summary = f"{len(written)} prompts ({len(codes)} languages) to {args.out_dir}"
    print(f"wrote {summary} in {elapsed:.1f} s")
    print(f"espeak-ng voices: {voices}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(prog="python -m kiosk.tech", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("flash", help="write IMAGE to DEVICE, verify it, add the per-device files")
    f.add_argument("image", help="kiosk-VERSION.img (IMAGE.sha256 must be next to it)")
    f.add_argument("device", help="the SD card, e.g. /dev/sdb (whole disk), or a file")
    f.add_argument("--site", required=True, help="SITE.toml: intake URL, CA file, tokens")
    f.add_argument("--kiosk-id", required=True, help="this stand's kiosk id")
    f.add_argument("--token", help="one-time enrolment token (default: [tokens] in SITE.toml)")
    f.add_argument("--yes", action="store_true", help="do not ask before erasing DEVICE")
    f.add_argument("--force-size", action="store_true", help="allow devices over 256 GB")
    f.set_defaults(handler=_flash)
    d = sub.add_parser("diagnose", help="check reader, printer, display, clock, intake, enrolment")
    d.add_argument("--json", action="store_true", help="machine-readable output")
    d.add_argument("--config", help="kiosk.toml (default: $KIOSK_CONFIG or /etc/kiosk/kiosk.toml)")
    d.set_defaults(handler=_diagnose)
    b = sub.add_parser("firstboot", help="(kiosk-firstboot.service) provision and enrol once")
    b.add_argument("--boot", default="/boot/firmware/kiosk", help="per-device files directory")
    b.add_argument("--state", default="/var/lib/kiosk", help="the kiosk's state directory")
    b.add_argument("--user", default=None, help="owner of the state files (kiosk)")
    b.set_defaults(handler=_firstboot)
    v = sub.add_parser("voices", help="synthesise the screens' voice prompts with espeak-ng")
    v.add_argument("out_dir", help="prompts folder: OUT_DIR/<language>/<screen>.wav")
    v.add_argument("--languages", help="comma-separated UI languages (default: all)")
    v.set_defaults(handler=_voices)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point; typed errors become one clear line and a stable exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except TechError as err:
        print(f"error [{err.code}]: {err}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_REFUSED


if __name__ == "__main__":
    sys.exit(main())
