"""Filings, a fixed key and comparison helpers for the paper integration tests."""

from __future__ import annotations

import dataclasses
import hashlib
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image, ImageChops, ImageFilter

from kiosk.forms.codec import filing_from_json
from kiosk.forms.model import Filing

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "filings"
GOLDEN = REPO / "tests" / "golden" / "paper"
#: deterministic signatures (Ed25519 is deterministic) and timestamps → reproducible QR codes
GOLDEN_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"kiosk golden key").digest())
PRINTED_AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
KIOSK_ID = "kiosk-test-01"
#: golden images are stored at half resolution, 1 bit (a few kB each)
GOLDEN_REDUCE = 2
GOLDEN_THRESHOLD = 128
BAND_ROWS = 16
#: a band of rows with more changed pixels than this is a changed field, not font drift
MAX_BAND_CHANGED_FRACTION = 0.01
#: tolerances: fonts differ slightly between Debian releases
MAX_HEIGHT_CHANGE = 0.03
MAX_CHANGED_FRACTION = 0.005


def example_filings() -> dict[str, Filing]:
    """Every example filing shipped in examples/filings, by file stem."""
    return {p.stem: filing_from_json(p.read_bytes()) for p in sorted(EXAMPLES.glob("*.json"))}


def hard_filing() -> Filing:
    """An English visit with a character IPAmj lacks (Thai) and an IVS it lacks and one it has."""
    base = example_filings()["move_within_gaiji_names"]
    first = base.members[0]
    members = (
        dataclasses.replace(first, name="山田 ฟ子"),
        dataclasses.replace(base.members[1], name="髙\U000e01ef橋 葛\U000e0102"),
        *base.members[2:],
    )
    return dataclasses.replace(base, members=members, language="en")


def nepali_filing() -> Filing:
    """A visit in Nepali: Devanagari labels (fallback font, shaped) beside the Japanese ones."""
    return dataclasses.replace(example_filings()["move_within_3_persons"], language="ne")


def all_filings() -> dict[str, Filing]:
    """Examples plus the hard case and a Devanagari (Nepali) visit."""
    return {
        **example_filings(),
        "hard_missing_glyphs_en": hard_filing(),
        "move_within_3_persons_ne": nepali_filing(),
    }


def golden_view(image: Image.Image) -> Image.Image:
    """The stored form of a receipt picture: half resolution, thresholded to 1 bit."""
    half = image.convert("L").reduce(GOLDEN_REDUCE)
    return half.point(lambda v: 255 if v >= GOLDEN_THRESHOLD else 0).convert("1")


def compare(current: Image.Image, golden: Image.Image) -> tuple[bool, str]:
    """Tolerant comparison of two golden views; returns (ok, explanation).

    Small drift everywhere (another FreeType or font release) passes; a block of changed pixels
    in any band of rows (a changed field) or a large size change fails.
    """
    if current.width != golden.width:
        return False, f"width {current.width} != {golden.width}"
    change = abs(current.height - golden.height) / golden.height
    if change > MAX_HEIGHT_CHANGE:
        return False, f"height {current.height} vs {golden.height} ({change:.1%})"
    a = current.convert("L")
    if a.size != golden.size:
        a = a.resize(golden.size)
    b = golden.convert("L")
    # a dot counts as changed only when the other picture has no dot within one pixel of it:
    # glyphs shifted or thickened by one dot (font/FreeType drift) do not count
    near_a, near_b = a.filter(ImageFilter.MinFilter(3)), b.filter(ImageFilter.MinFilter(3))
    diff = ImageChops.lighter(ImageChops.subtract(near_a, b), ImageChops.subtract(near_b, a))
    diff = diff.point(lambda v: 255 if v > 128 else 0)
    total = diff.histogram()[255] / (golden.width * golden.height)
    worst = 0.0
    for top in range(0, golden.height, BAND_ROWS):
        band = diff.crop((0, top, golden.width, min(top + BAND_ROWS, golden.height)))
        worst = max(worst, band.histogram()[255] / (band.width * band.height))
    ok = total <= MAX_CHANGED_FRACTION and worst <= MAX_BAND_CHANGED_FRACTION
    return ok, f"changed pixels {total:.2%}, worst band {worst:.2%}"
