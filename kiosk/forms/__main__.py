"""``python -m kiosk.forms``: render, decode, check and import-master (see README)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the sub-command modules; each registers its own arguments."""
    import kiosk.forms.check_cli as check_cli
    import kiosk.forms.master_cli as master_cli
    import kiosk.forms.paper_cli as paper_cli

    parser = argparse.ArgumentParser(prog="python -m kiosk.forms")
    sub = parser.add_subparsers(dest="command", required=True)
    paper_cli.register(sub)  # render, decode
    master_cli.register(sub)  # import-master
    check_cli.register(sub)  # check
    args = parser.parse_args(argv)
    result: int = args.handler(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
