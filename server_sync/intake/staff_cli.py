"""``python -m server_sync.intake staff add|list|disable|passwd`` (docs/console.md, "Staff").

Passwords come from stdin (``--password-stdin``) or a prompt and are never printed; every change
is audited with the person who ran the command (``cli:<login name>``).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from typing import Any

from server_sync.intake import store
from server_sync.intake.clock import utc_now
from server_sync.intake.console.auth import USERNAME_RE
from server_sync.intake.db import migrate, open_engine
from server_sync.intake.store.staff import ROLES


def cli_actor() -> str:
    """The audit actor of a command: ``cli:<login name>`` (every audit row names a person)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container): the uid still names someone
        name = f"uid{os.getuid()}"
    return f"cli:{name}"


def _read_password(args: argparse.Namespace) -> str:
    """The new password: one line of stdin (--password-stdin) or typed twice at a prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("new password: ")
    if getpass.getpass("again: ") != first:
        raise store.StaffError("the two passwords differ")
    return first


def _username(text: str) -> str:
    if not USERNAME_RE.fullmatch(text):
        raise argparse.ArgumentTypeError(
            "a username is 1-64 lower-case letters, digits, '.', '_' or '-'"
        )
    return text


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")


def cmd_staff(args: argparse.Namespace) -> int:
    """staff add | list | disable | passwd (no password is ever printed)."""
    engine = open_engine(args.db)
    migrate(engine)
    action = args.staff_command
    if action == "list":
        for member in store.list_staff(engine):
            state = "disabled" if member.disabled else "active"
            _say(f"{member.username}\t{member.role}\t{state}\t{member.created_at}")
        return 0
    if action == "add":
        store.create_staff(
            engine,
            args.username,
            _read_password(args),
            now=utc_now(),
            actor=cli_actor(),
            role=args.role,
        )
        _say(f"added {args.username} ({args.role})")
    elif action == "disable":
        store.disable_staff(engine, args.username, actor=cli_actor())
        _say(f"disabled {args.username}")
    else:
        store.set_staff_password(engine, args.username, _read_password(args), actor=cli_actor())
        _say(f"password changed for {args.username}")
    return 0


def add_staff_parser(sub: Any, db_argument: Callable[[argparse.ArgumentParser], None]) -> None:
    """``staff add|list|disable|passwd`` under the intake's command line."""
    staff = sub.add_parser("staff", help="named staff accounts with roles")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    for name, help_text in (
        ("add", "add a staff account"),
        ("list", "list staff accounts"),
        ("disable", "disable an account (its sessions end)"),
        ("passwd", "set a new password"),
    ):
        cmd = staff_sub.add_parser(name, help=help_text)
        db_argument(cmd)
        if name != "list":
            cmd.add_argument("--username", required=True, type=_username)
        if name == "add":
            cmd.add_argument("--role", required=True, choices=ROLES)
        if name in ("add", "passwd"):
            cmd.add_argument(
                "--password-stdin", action="store_true", help="read the password from stdin"
            )
        cmd.set_defaults(handler=cmd_staff)
