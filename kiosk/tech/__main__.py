"""``python -m kiosk.tech``: flash an SD card, diagnose a device, first boot, voice prompts."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from kiosk.tech import blockmap, netconfig
from kiosk.tech.batch import BatchRequest, parse_ids, run_batch
from kiosk.tech.checks import (
    CheckStatus,
    DiagnoseContext,
    default_checks,
    render_report,
    run_checks,
)
from kiosk.tech.configcheck import check_file
from kiosk.tech.disks import removable_disks
from kiosk.tech.errors import TechError
from kiosk.tech.firstboot import run_firstboot
from kiosk.tech.flash import FlashRequest, flash
from kiosk.tech.image import verify_image_checksum
from kiosk.tech.record import DEFAULT_RECORD
from kiosk.tech.settings import load_effective
from kiosk.tech.update import (
    HEALTH_TIMEOUT_S,
    commit_or_roll_back,
    device_committer,
    device_updater,
    run_update,
)
from kiosk.tech.voices import VOICES, generate, parse_languages

EXIT_OK = 0
EXIT_CHECKS_FAILED = 1
EXIT_REFUSED = 2


def _list_disks() -> int:
    disks = removable_disks()
    if not disks:
        print("no removable disk found (insert the SD card, or give a file path)")
        return EXIT_REFUSED
    print("removable disks (give one as DEVICE):")
    for disk in disks:
        print("  " + disk.describe())
    return EXIT_OK


def _flash(args: argparse.Namespace) -> int:
    if args.device is None:
        _list_disks()
        return EXIT_REFUSED
    result = flash(
        FlashRequest(
            image=Path(args.image), target=args.device, site=Path(args.site),
            kiosk_id=args.kiosk_id, token=args.token, assume_yes=args.yes,
            force_size=args.force_size, to_file=args.to_file, again=args.again,
            record=Path(args.record),
        )
    )  # fmt: skip
    print(
        f"flashed {args.device}: {result.bytes_written} of {result.image_bytes} bytes written"
        f" in {result.seconds:.1f} s, sha256 {result.sha256}, verified"
    )
    print(f"per-device files on the boot partition: {', '.join(result.files)}")
    if result.staff_pin_generated:
        print(f"staff PIN: generated for this stand, kept only in the batch record {args.record}")
    return EXIT_OK


def _batch(args: argparse.Namespace) -> int:
    ids = parse_ids(Path(args.ids_file).read_text() if args.ids_file else args.ids or "")
    try:
        password = Path(args.admin_password_file).read_text(encoding="utf-8").strip()
    except OSError as err:
        raise TechError(f"cannot read --admin-password-file: {err.strerror}") from None
    failed = run_batch(BatchRequest(
        image=Path(args.image), site=Path(args.site), kiosk_ids=ids, admin_user=args.admin_user,
        admin_password=password, to_dir=Path(args.to_dir) if args.to_dir else None,
        assume_yes=args.yes, record=Path(args.record),
    ))  # fmt: skip
    return EXIT_CHECKS_FAILED if failed else EXIT_OK


def _update_fetch(args: argparse.Namespace) -> int:
    settings = load_effective(Path(args.config))
    if settings.kiosk_id is None:
        raise TechError(f"{args.config}: no [sync] kiosk_id")
    print(run_update(settings.kiosk_id, device_updater(settings)))
    return EXIT_OK


def _update_commit(args: argparse.Namespace) -> int:
    state = Path(os.environ.get("KIOSK_STATE_DIR", "/var/lib/kiosk"))
    print(commit_or_roll_back(device_committer(Path(args.config), state, args.timeout)))
    return EXIT_OK


def _netconfig(_args: argparse.Namespace) -> int:
    print(netconfig.apply())
    return EXIT_OK


def _config_check(args: argparse.Namespace) -> int:
    print(json.dumps(check_file(Path(args.file)), ensure_ascii=False, indent=2))
    return EXIT_OK


def _bmap(args: argparse.Namespace) -> int:
    image = Path(args.image)
    bmap = blockmap.build(image, verify_image_checksum(image))
    blockmap.bmap_path(image).write_text(bmap.to_json(), encoding="utf-8")
    share = bmap.mapped_bytes / max(bmap.image_size, 1) * 100
    print(f"{blockmap.bmap_path(image)}: {bmap.mapped_bytes} of {bmap.image_size} bytes mapped"
          f" ({share:.0f} %) in {len(bmap.ranges)} ranges")  # fmt: skip
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
    f.add_argument(
        "device",
        nargs="?",
        help="the SD card, e.g. /dev/sdb (whole disk), or a new"
        " file; without it, the removable disks are listed",
    )
    f.add_argument("--site", required=True, help="SITE.toml: intake URL, CA file, tokens")
    f.add_argument("--kiosk-id", required=True, help="this stand's kiosk id")
    f.add_argument("--token", help="one-time enrolment token (default: [tokens] in SITE.toml)")
    f.add_argument("--yes", action="store_true", help="do not ask before erasing DEVICE")
    f.add_argument("--force-size", action="store_true", help="allow devices over 256 GB")
    f.add_argument("--to-file", action="store_true", help="allow overwriting an existing file")
    f.add_argument("--again", action="store_true", help="flash a kiosk id the record has")
    f.add_argument("--record", default=str(DEFAULT_RECORD), help="batch record (JSON lines)")
    f.set_defaults(handler=_flash)
    bt = sub.add_parser("batch", help="tokens for many kiosk ids (intake admin API), then cards")
    bt.add_argument("image", help="kiosk-VERSION.img (IMAGE.sha256 must be next to it)")
    bt.add_argument("--site", required=True, help="SITE.toml of the ward")
    bt.add_argument("--ids", help="comma-separated kiosk ids")
    bt.add_argument("--ids-file", help="file with one kiosk id per line")
    bt.add_argument("--admin-user", required=True, help="an intake staff account with role admin")
    bt.add_argument("--admin-password-file", required=True, help="file holding its password")
    bt.add_argument("--to-dir", help="write DIR/<kiosk id>.img files instead of cards")
    bt.add_argument("--yes", action="store_true", help="do not ask before erasing each card")
    bt.add_argument("--record", default=str(DEFAULT_RECORD), help="batch record (JSON lines)")
    bt.set_defaults(handler=_batch)
    c = sub.add_parser("config-check", help="validate a kiosk.toml or SITE.toml, print settings")
    c.add_argument("file", help="kiosk.toml (a stand's) or SITE.toml (the technician's)")
    c.set_defaults(handler=_config_check)
    m = sub.add_parser("bmap", help="write IMAGE.bmap: the ranges flash writes and verifies")
    m.add_argument("image", help="kiosk-VERSION.img (IMAGE.sha256 must be next to it)")
    m.set_defaults(handler=_bmap)
    ls = sub.add_parser("disks", help="list removable disks with model, size and serial")
    ls.set_defaults(handler=lambda _args: _list_disks())
    uf = sub.add_parser("update-fetch", help="(kiosk-update.service) fetch and install an update")
    uf.add_argument("--config", default=os.environ.get("KIOSK_CONFIG", "/etc/kiosk/kiosk.toml"))
    uf.set_defaults(handler=_update_fetch)
    uc = sub.add_parser("update-commit", help="(kiosk-update-commit.service) health-gated commit")
    uc.add_argument("--config", default=os.environ.get("KIOSK_CONFIG", "/etc/kiosk/kiosk.toml"))
    uc.add_argument("--timeout", type=float, default=HEALTH_TIMEOUT_S, help="seconds to be healthy")
    uc.set_defaults(handler=_update_commit)
    nc = sub.add_parser("netconfig", help="(kiosk-netconfig.service) hostname, address, NTP")
    nc.set_defaults(handler=_netconfig)
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
