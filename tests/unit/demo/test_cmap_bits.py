"""The sweeps' own cmap reader agrees with fontTools on the kiosk's faces, point by point."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from kiosk.demo.cmap_bits import UNICODE_LIMIT, code_points
from kiosk.theme import DEVANAGARI_FILES, cjk_font_files


def _faces() -> list[str]:
    return [p for p in (*DEVANAGARI_FILES, *cjk_font_files()) if Path(p).is_file()]


@pytest.mark.parametrize("path", _faces(), ids=lambda p: Path(p).name)
def test_the_bit_set_is_the_faces_cmap(path: str) -> None:
    face = TTCollection(path, lazy=True).fonts[0] if path.endswith(".ttc") else TTFont(path)
    expected = set(face["cmap"].getBestCmap())
    found = code_points(path)
    assert {point for point in range(UNICODE_LIMIT) if point in found} == expected
    assert len(found) == len(expected) > 200
    assert 0x25BC not in found or "CJK" in path  # ▼: the CJK face has it, Devanagari not
