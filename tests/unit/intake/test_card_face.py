"""Card-face prints: which cards, the image geometry, ink only in the 追記欄, IPAmj for 外字."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from kiosk.forms.charset import outside_jis_x0208
from kiosk.forms.codec import filing_from_json
from server_sync.intake.cardface import (
    BoxFullError,
    CardFaceJob,
    CardFaceSettings,
    CardFaceSettingsError,
    CardType,
    GlyphMissingError,
    PrintOptions,
    card_face_jobs,
    checked_options,
    render,
)
from server_sync.intake.cardface.render import SUPERSAMPLE, font_codepoints, font_for
from server_sync.intake.cardface.settings import settings_from_mapping

REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples" / "filings"
SETTINGS = CardFaceSettings()
DEFAULT = PrintOptions(first_line=1, font_pt=6.5)
BLANK = 255
INK_BELOW = 128  # a pixel darker than this is ink
NOT_IN_ANY_FONT = "\U0010fffd"  # plane-16 private use: in neither font
BLUR = ImageFilter.GaussianBlur(1.2)


def example(name: str) -> object:
    return filing_from_json((EXAMPLES / name).read_bytes())


def job(katagaki: str = "北町コーポ101号室", card: CardType = CardType.MY_NUMBER) -> CardFaceJob:
    return CardFaceJob(0, card, "転居", "令和8年11月27日", "東京都新宿区北町12番地3", katagaki)


def ink_bbox(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of the ink (pixels darker than INK_BELOW)."""
    return image.point(lambda v: 255 if v < INK_BELOW else 0).getbbox()


def any_ink_bbox(image: Image.Image) -> tuple[int, int, int, int] | None:
    """Bounding box of every non-blank pixel (anti-aliased edges included)."""
    return image.point(lambda v: 255 if v < BLANK - 5 else 0).getbbox()


def ink_count(image: Image.Image) -> int:
    return sum(1 for v in image.getdata() if v < INK_BELOW)


# --- which cards -------------------------------------------------------------------------------


def test_jobs_are_the_members_marked_for_surface_update() -> None:
    jobs = card_face_jobs(example("move_within_gaiji_names.json"), SETTINGS)
    assert [(j.member_index, j.card, j.file_name) for j in jobs] == [
        (0, CardType.MY_NUMBER, "0.png"),
        (1, CardType.MY_NUMBER, "1.png"),
    ]  # member 2 was not read from a card: no surface_update
    assert jobs[0].reason == "転居"
    assert jobs[0].notified_on == "令和8年11月27日"  # 2026-11-27 in 和暦
    assert jobs[0].address == "東京都新宿区北町12番地3"
    assert jobs[0].katagaki == "北町コーポ101号室"


def test_no_jobs_for_a_move_out() -> None:
    assert card_face_jobs(example("move_out.json"), SETTINGS) == []


def test_residence_cards_only_when_the_ward_prints_them() -> None:
    filing = example("move_in_foreign_household.json")
    assert {j.card for j in card_face_jobs(filing, SETTINGS)} == {CardType.MY_NUMBER}
    wards = dataclasses.replace(SETTINGS, print_residence_cards=True)
    jobs = card_face_jobs(filing, wards)
    assert [j.file_name for j in jobs] == [
        "0.png",
        "0-residence_card.png",
        "1.png",
        "1-residence_card.png",
    ]
    assert jobs[0].reason == "転入"


# --- geometry ----------------------------------------------------------------------------------


def test_image_is_the_card_at_300_dpi() -> None:
    assert SETTINGS.card_px == (1011, 638)
    image = render(job(), SETTINGS, DEFAULT)
    assert image.size == (1011, 638)
    assert image.mode == "L"


@pytest.mark.parametrize("card", list(CardType))
def test_ink_only_inside_the_box(card: CardType) -> None:
    image = render(job(card=card), SETTINGS, DEFAULT)
    left, top, right, bottom = SETTINGS.box_px(card)
    outside = image.copy()
    ImageDraw.Draw(outside).rectangle((left, top, right - 1, bottom - 1), fill=BLANK)
    assert outside.getextrema() == (BLANK, BLANK), "every pixel outside the 追記欄 is blank"
    inside = image.crop((left, top, right, bottom))
    assert ink_count(inside) > 500, "the entry and the seal are drawn inside the box"


def test_a_custom_box_moves_the_ink_with_it() -> None:
    wards = settings_from_mapping(
        {"boxes": {"my_number_card": {"x_mm": 20, "y_mm": 5, "width_mm": 60, "height_mm": 20}}}
    )
    image = render(job(), wards, DEFAULT)
    left, top, right, bottom = wards.box_px(CardType.MY_NUMBER)
    bbox = ink_bbox(image)
    assert bbox is not None
    assert left <= bbox[0] and top <= bbox[1] and bbox[2] <= right and bbox[3] <= bottom


def test_first_line_moves_the_ink_down_by_whole_lines() -> None:
    first = ink_bbox(render(job(), SETTINGS, DEFAULT))
    third = ink_bbox(render(job(), SETTINGS, PrintOptions(first_line=3, font_pt=6.5)))
    assert first is not None and third is not None
    pitch = SETTINGS.line_pitch_mm * SETTINGS.dpi / 25.4
    assert abs((third[1] - first[1]) - 2 * pitch) <= 1
    assert third[0] == first[0]


def _first_line_box(image: Image.Image) -> tuple[int, int, int, int]:
    """Ink bbox of the entry's first text line (the first run of inked rows left of the seal)."""
    left, top, right, bottom = SETTINGS.box_px(CardType.MY_NUMBER)
    text = image.crop((left, top, right - SETTINGS.px(SETTINGS.seal_mm + 1.0), bottom))
    rows = [y for y in range(text.height) if ink_bbox(text.crop((0, y, text.width, y + 1)))]
    end = rows[0]
    while end + 1 in rows:
        end += 1
    bbox = ink_bbox(text.crop((0, rows[0], text.width, end + 1)))
    assert bbox is not None
    return bbox[0], rows[0], bbox[2], end + 1


def test_font_size_resizes_the_text() -> None:
    small = _first_line_box(render(job(), SETTINGS, PrintOptions(1, 4.5)))
    large = _first_line_box(render(job(), SETTINGS, PrintOptions(1, 6.5)))
    width_ratio = (large[2] - large[0]) / (small[2] - small[0])
    height_ratio = (large[3] - large[1]) / (small[3] - small[1])
    assert 1.35 < width_ratio < 1.5, width_ratio  # 27 px / 19 px = 1.42
    assert 1.25 < height_ratio < 1.6, height_ratio


def test_entry_that_does_not_fit_is_refused() -> None:
    with pytest.raises(BoxFullError) as err:
        render(job(), SETTINGS, PrintOptions(first_line=5, font_pt=6.5))
    assert err.value.first_line == 5
    assert err.value.lines_in_box == 5


def test_options_out_of_range_are_refused() -> None:
    from server_sync.intake.cardface import CardFaceError

    assert checked_options(SETTINGS, None, None) == PrintOptions(1, 6.5)
    with pytest.raises(CardFaceError):
        checked_options(SETTINGS, 0, None)
    with pytest.raises(CardFaceError):
        checked_options(SETTINGS, None, 30.0)


# --- 外字 (outside JIS X 0208) -----------------------------------------------------------------


def test_which_font_draws_what() -> None:
    assert outside_jis_x0208("𠮷髙高吉") == ("𠮷", "髙")
    assert font_for("𠮷", SETTINGS) == SETTINGS.gaiji_font
    assert font_for("髙", SETTINGS) == SETTINGS.gaiji_font  # IPAex has 髙, but it is 外字
    assert font_for("高", SETTINGS) == SETTINGS.font
    assert 0x20BB7 not in font_codepoints(SETTINGS.font)  # the form's font would show tofu


def _drawn(font_path: Path, text: str, size_px: int) -> Image.Image:
    """``text`` drawn the way the renderer draws (supersampled, area-reduced), ink-cropped."""
    k = SUPERSAMPLE
    font = ImageFont.truetype(str(font_path), size_px * k)
    big = Image.new("L", (size_px * k * 2, size_px * k * 2), BLANK)
    ImageDraw.Draw(big).text((size_px * k // 2, size_px * k // 2), text, fill=0, font=font)
    small = big.resize((size_px * 2, size_px * 2), Image.Resampling.BOX)
    bbox = any_ink_bbox(small)
    assert bbox is not None, f"{text!r} drew nothing"
    return small.crop(bbox)


def _distance(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference (0..255) of two blurred glyph crops, best over small shifts.

    The blur evens out the sub-pixel phase of the anti-aliasing (the renderer places glyphs at
    fractional positions); shapes still differ: a glyph against a .notdef box scores ~45.
    """
    a, b = a.filter(BLUR), b.filter(BLUR)
    width, height = max(a.width, b.width) + 4, max(a.height, b.height) + 4
    base = Image.new("L", (width, height), BLANK)
    base.paste(a, (2, 2))
    best = float(BLANK)
    for dx in range(5):
        for dy in range(5):
            other = Image.new("L", (width, height), BLANK)
            other.paste(b, (dx, dy))
            diff = ImageChops.difference(base, other)
            best = min(best, sum(diff.getdata()) / (width * height))
    return best


@pytest.mark.parametrize("gaiji", ["𠮷", "髙"])
def test_gaiji_is_drawn_from_ipamj_not_tofu(gaiji: str) -> None:
    with_char = render(job(katagaki=gaiji), SETTINGS, DEFAULT)
    without = render(job(katagaki=""), SETTINGS, DEFAULT)
    cell_box = ImageChops.difference(with_char, without).getbbox()
    assert cell_box is not None, "the 方書 line draws something"
    cell = with_char.crop(cell_box)
    assert ink_count(cell) > 20, "the glyph cell is not blank"
    glyph = any_ink_bbox(cell)
    assert glyph is not None
    cell = cell.crop(glyph)
    size_px = SETTINGS.font_px(DEFAULT.font_pt)
    expected = _drawn(SETTINGS.gaiji_font, gaiji, size_px)
    notdef_mj = _drawn(SETTINGS.gaiji_font, NOT_IN_ANY_FONT, size_px)
    notdef_ex = _drawn(SETTINGS.font, NOT_IN_ANY_FONT, size_px)
    assert ord(NOT_IN_ANY_FONT) not in font_codepoints(SETTINGS.gaiji_font)
    same = _distance(cell, expected)
    assert same < 15, f"the cell is IPAmj's {gaiji} (distance {same:.1f})"
    assert _distance(cell, notdef_mj) > 3 * same, "not IPAmj's .notdef box"
    assert _distance(cell, notdef_ex) > 3 * same, "not IPAex's .notdef box (tofu)"


def test_a_character_no_font_has_is_refused_not_substituted() -> None:
    with pytest.raises(GlyphMissingError) as err:
        render(job(katagaki=f"コーポ{NOT_IN_ANY_FONT}"), SETTINGS, DEFAULT)
    assert err.value.codepoint == ord(NOT_IN_ANY_FONT)


# --- settings ----------------------------------------------------------------------------------


def test_settings_are_strict() -> None:
    with pytest.raises(CardFaceSettingsError) as err:
        settings_from_mapping({"dpi": 300, "colour": "red"})
    assert err.value.key == "colour"
    with pytest.raises(CardFaceSettingsError):
        settings_from_mapping(
            {"boxes": {"my_number_card": {"x_mm": 50, "y_mm": 40, "width_mm": 50, "height_mm": 20}}}
        )
    with pytest.raises(CardFaceSettingsError):
        settings_from_mapping({"cups_queue": "lpr://printer"})
    wards = settings_from_mapping({"dpi": 600, "cups_queue": "ipp://localhost:631/printers/c"})
    assert wards.card_px == (2022, 1275)


def test_a_custom_seal_png_is_used(tmp_path: Path) -> None:
    seal = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((0, 0, 99, 99), outline=(200, 0, 0, 255), width=12)
    seal.save(tmp_path / "seal.png")
    wards = dataclasses.replace(SETTINGS, seal_png=tmp_path / "seal.png")
    sample = render(job(), SETTINGS, DEFAULT)
    ward = render(job(), wards, DEFAULT)
    left, top, right, bottom = SETTINGS.box_px(CardType.MY_NUMBER)
    seal_px = SETTINGS.px(SETTINGS.seal_mm)
    corner = (right - seal_px, top, right, top + seal_px)
    assert ImageChops.difference(sample.crop(corner), ward.crop(corner)).getbbox() is not None
    # the ring's centre is blank (transparent in the PNG), its rim is ink
    ring = ward.crop(corner)
    assert ring.getpixel((seal_px // 2, seal_px // 2)) == BLANK
    assert min(ring.getpixel((seal_px // 2, y)) for y in range(seal_px // 6)) < INK_BELOW


# --- command line ------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server_sync.intake", "card-face", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_writes_one_png_per_member(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _cli("--filing", str(EXAMPLES / "move_within_gaiji_names.json"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["0.png", "1.png"]
    with Image.open(out / "0.png") as image:
        assert image.size == (1011, 638)
        assert round(image.info["dpi"][0]) == 300
    lower = tmp_path / "lower"
    done = _cli(
        "--filing", str(EXAMPLES / "move_within_gaiji_names.json"), "--out", str(lower),
        "--first-line", "2", "--font-pt", "6",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Image.open(out / "0.png") as a, Image.open(lower / "0.png") as b:
        box_a, box_b = ink_bbox(a), ink_bbox(b)
        assert box_a is not None and box_b is not None
        assert box_b[1] > box_a[1], "--first-line 2 starts one line lower"


def test_cli_exit_codes(tmp_path: Path) -> None:
    done = _cli("--filing", str(EXAMPLES / "move_out.json"), "--out", str(tmp_path / "o"))
    assert done.returncode == 1
    assert not (tmp_path / "o").exists()
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    assert _cli("--filing", str(bad), "--out", str(tmp_path / "b")).returncode == 2
    settings = tmp_path / "ward.json"
    settings.write_text(json.dumps({"print_residence_cards": True}))
    done = _cli(
        "--filing", str(EXAMPLES / "move_in_foreign_household.json"),
        "--out", str(tmp_path / "f"), "--settings", str(settings),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "f" / "1-residence_card.png").exists()
