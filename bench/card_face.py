"""Card-face render time per card (ms), with a baseline in the same run.

Renders the 追記 of every card of the example filings (PNG bytes, as the console sends them),
median of N rounds; the baseline is a blank grey-scale image of the same size encoded as PNG —
what any renderer pays for the canvas and the encoder. The first render (font loading: IPAmj明朝
is 46 MB) is timed separately.

    python bench/card_face.py            # BENCH_RUNS=20 by default
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kiosk.forms.codec import filing_from_json  # noqa: E402
from server_sync.intake.cardface import (  # noqa: E402
    CardFaceSettings,
    card_face_jobs,
    checked_options,
    render_png,
)

RUNS = int(os.environ.get("BENCH_RUNS", "20"))
EXAMPLES = ("move_within_gaiji_names.json", "move_in_foreign_household.json")
MS = 1000


def blank_png(size: tuple[int, int], dpi: int) -> bytes:
    out = io.BytesIO()
    Image.new("L", size, 255).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def main() -> int:
    settings = CardFaceSettings(print_residence_cards=True)
    options = checked_options(settings, None, None)
    jobs = [
        job
        for name in EXAMPLES
        for job in card_face_jobs(
            filing_from_json((REPO / "examples" / "filings" / name).read_bytes()), settings
        )
    ]
    start = time.perf_counter()
    render_png(jobs[0], settings, options)
    first_ms = (time.perf_counter() - start) * MS
    per_card: list[float] = []
    baseline: list[float] = []
    for _ in range(RUNS):
        for job in jobs:
            start = time.perf_counter()
            render_png(job, settings, options)
            per_card.append((time.perf_counter() - start) * MS)
            start = time.perf_counter()
            blank_png(settings.card_px, settings.dpi)
            baseline.append((time.perf_counter() - start) * MS)
    card, blank = statistics.median(per_card), statistics.median(baseline)
    print(f"cards per round: {len(jobs)}, rounds: {RUNS}, image {settings.card_px} px")
    print(f"first render (fonts loaded): {first_ms:.1f} ms")
    print(f"card-face render per card: median {card:.1f} ms, p90 "
          f"{statistics.quantiles(per_card, n=10)[-1]:.1f} ms")  # fmt: skip
    print(f"baseline (blank PNG of the same size): median {blank:.2f} ms")
    print(f"ratio render / blank: {card / blank:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
