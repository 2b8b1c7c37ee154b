"""``bindings lookup|add|end`` and ``crl import`` (python -m server_sync.intake …).

Every command opens the database and applies pending migrations, as the server does, so it
works on a fresh database as well as on one in use. Refusals print ``error: <code>: <detail>``
on stderr and exit 1 with nothing written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from server_sync.intake.clock import utc_now
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.staff_cli import cli_actor
from server_sync.intake.verify import load_roots

from .certs import CertId, facts_of, load_certificate, normalise_issuer, normalise_serial
from .crl import import_crl
from .errors import BindingError
from .service import lookup_serial, lookup_with
from .store import CLERK_REASONS, EndReason, add_binding, end_binding

EXIT_REFUSED = 1
COMMANDS = ("bindings", "crl")


def _engine(args: argparse.Namespace) -> Engine:
    engine = open_engine(args.db)
    migrate(engine)
    return engine


def _refused(err: BindingError) -> int:
    print(f"error: {err.code}: {err.detail}", file=sys.stderr)
    return EXIT_REFUSED


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise BindingError(f"cannot read {path}: {err.strerror}") from err


def cmd_lookup(args: argparse.Namespace) -> int:
    """Print ``{"status": …, "seal_number": …}`` for --cert or --issuer + --serial."""
    try:
        engine = _engine(args)
        now = utc_now()
        if args.cert is not None:
            found = lookup_with(engine, _read(args.cert), load_roots(args.trust_dir), now)
        else:
            cert_id = CertId(normalise_issuer(args.issuer), normalise_serial(args.serial))
            with engine.connect() as conn:
                found = lookup_serial(conn, cert_id, now)
    except BindingError as err:
        return _refused(err)
    print(json.dumps(found.as_json(), ensure_ascii=False))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    """Bind --cert (must chain to the roots of --trust-dir) to --resident-id / --seal-number."""
    try:
        facts = facts_of(load_certificate(_read(args.cert)), load_roots(args.trust_dir))
        engine = _engine(args)
        binding = add_binding(
            engine,
            facts,
            resident_id=args.resident_id,
            seal_number=args.seal_number,
            actor=cli_actor(),
            now=utc_now(),
        )
    except BindingError as err:
        return _refused(err)
    print(
        json.dumps(
            {
                "binding_id": binding.binding_id,
                "status": binding.status,
                "cert_serial": binding.cert_serial,
                "not_after": binding.not_after,
            }
        )
    )
    return 0


def cmd_end(args: argparse.Namespace) -> int:
    """End one active binding (死亡 / 印鑑登録廃止)."""
    try:
        binding = end_binding(
            _engine(args), args.binding_id, EndReason(args.reason), actor=cli_actor(), now=utc_now()
        )
    except BindingError as err:
        return _refused(err)
    print(json.dumps({"binding_id": binding.binding_id, "status": binding.status}))
    return 0


def cmd_crl_import(args: argparse.Namespace) -> int:
    """Import a JPKI CRL (DER or PEM) verified against --trust-dir."""
    try:
        data = _read(args.file)
        result = import_crl(
            _engine(args), data, load_roots(args.trust_dir), actor=cli_actor(), now=utc_now()
        )
    except BindingError as err:
        return _refused(err)
    state = "unchanged" if result.unchanged else "imported"
    print(
        f"{state}: CRL {result.crl_number} of {result.issuer}: {result.revoked_serials} revoked"
        f" serials, {result.bindings_revoked} bindings revoked now"
    )
    return 0


def add_parsers(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    db: Callable[[argparse.ArgumentParser], None],
) -> None:
    """Add the ``bindings`` and ``crl`` sub-commands to the intake's parser."""
    bindings = sub.add_parser("bindings", help="マイナンバーカード as 印鑑登録証: bindings")
    bsub = bindings.add_subparsers(dest="bindings_command", required=True)

    look = bsub.add_parser("lookup", help="status and 印鑑登録番号 of a certificate")
    db(look)
    look.add_argument("--trust-dir", type=Path, required=True, help="JPKI root PEM files")
    what = look.add_mutually_exclusive_group(required=True)
    what.add_argument("--cert", type=Path, help="the certificate (PEM, DER or base64 DER)")
    what.add_argument("--serial", help="the serial (hex), with --issuer")
    look.add_argument("--issuer", help="the issuer (RFC 4514), with --serial")
    look.set_defaults(handler=_lookup_checked(look))

    add = bsub.add_parser("add", help="bind a certificate to a 宛名番号 and 印鑑登録番号")
    db(add)
    add.add_argument("--trust-dir", type=Path, required=True, help="JPKI root PEM files")
    add.add_argument("--cert", type=Path, required=True)
    add.add_argument("--resident-id", required=True, help="宛名番号")
    add.add_argument("--seal-number", required=True, help="印鑑登録番号")
    add.set_defaults(handler=cmd_add)

    end = bsub.add_parser("end", help="end a binding (死亡 / 印鑑登録廃止)")
    db(end)
    end.add_argument("--binding-id", required=True)
    end.add_argument("--reason", required=True, choices=tuple(r.value for r in CLERK_REASONS))
    end.set_defaults(handler=cmd_end)

    crl = sub.add_parser("crl", help="JPKI certificate revocation lists")
    csub = crl.add_subparsers(dest="crl_command", required=True)
    imp = csub.add_parser("import", help="import a CRL (DER or PEM) signed by a trust anchor")
    db(imp)
    imp.add_argument("--trust-dir", type=Path, required=True, help="JPKI root PEM files")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=cmd_crl_import)


def _lookup_checked(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def handler(args: argparse.Namespace) -> int:
        if args.serial is not None and args.issuer is None:
            parser.error("--serial needs --issuer")
        return cmd_lookup(args)

    return handler
