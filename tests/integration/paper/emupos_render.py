"""Run by the emupos venv (Python >= 3.13): ESC/POS bytes on stdin -> PNG file (argv[1]).

Usage: <emupos-python> emupos_render.py OUT.png WIDTH_DOTS < job.escpos
Prints one JSON line: {"width": .., "height": .., "unknown": [hex...]}.
Kept to plain Python so ruff (py311 target) accepts it; it is never imported by the suite.
"""

import json
import sys
from importlib import resources

from emupos.config import _parse_profile
from emupos.printer.escpos.model import PrintModel
from emupos.printer.escpos.tokenizer import Tokenizer

PROFILE = "epson-tm-t20iii"


def main() -> int:
    out, width = sys.argv[1], int(sys.argv[2])
    source = resources.files("emupos").joinpath("profiles", "printers", f"{PROFILE}.yaml")
    profile = _parse_profile(source.read_text(encoding="utf-8"), PROFILE)
    profile = profile.model_copy(update={"width_dots": width})
    model = PrintModel("test-printer", profile)
    unknown = []
    for token in Tokenizer().feed(sys.stdin.buffer.read()):
        for event in model.process(token):
            unknown.append(
                str(event.data.get("bytes", "")) if hasattr(event, "data") else str(event)
            )
    receipt = model.finish("cut")
    if receipt is None:
        print(json.dumps({"error": "nothing printed", "unknown": unknown}))
        return 1
    with open(out, "wb") as fh:
        fh.write(receipt.png)
    print(
        json.dumps({"width": receipt.width_dots, "height": receipt.height_dots, "unknown": unknown})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
