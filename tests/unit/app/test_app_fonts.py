"""The font faces a visit opened are closed at its end; the welcome screen's stay open.

Kivy keeps its open faces process-wide, so each check runs in a fresh Python process (real
SDL_ttf faces of the real Noto Sans CJK files, no window needed to measure text).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.theme import cjk_font_files

REPO = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import json, os
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kivy.core.text import Label as CoreLabel
    from kiosk.app_fonts import FontFaces
    from kiosk.memory import release, status_mb
    from kiosk.theme import FONT_CJK, cjk_font_files, register_fonts

    register_fonts()
    regular = os.path.realpath(cjk_font_files()[0])
    TEXT = "住所を選んでください ABC"

    def open_cjk_files():
        found = 0
        for fd in os.listdir("/proc/self/fd"):
            try:
                found += os.path.realpath(f"/proc/self/fd/{fd}") == regular
            except OSError:
                pass
        return found

    def extents(size):
        return list(CoreLabel(text=TEXT, font_name=FONT_CJK, font_size=size).get_extents(TEXT))

    faces = FontFaces()
    welcome = extents(26)
    faces.remember_resident()
    release()
    before = status_mb("RssAnon")
    visit = [extents(size) for size in (17, 21, 33, 47)]
    during = open_cjk_files()
    closed = faces.close_visit_faces()
    release()
    after = status_mb("RssAnon")
    result = {
        "during": during,
        "closed": closed,
        "open_after": open_cjk_files(),
        "grown_mb": round(after - before, 1),
        "welcome_same": extents(26) == welcome,
        "open_after_welcome_text": open_cjk_files(),
        "visit_same": [extents(size) for size in (17, 21, 33, 47)] == visit,
        "reopened": open_cjk_files(),
        "closed_again": faces.close_visit_faces(),
        "open_at_end": open_cjk_files(),
    }
    print(json.dumps(result))
    """
)


@pytest.fixture(scope="module")
def run() -> dict[str, object]:
    try:
        cjk_font_files()
    except FileNotFoundError:
        pytest.skip("fonts-noto-cjk not installed")
    env = {**os.environ, "KIVY_NO_CONSOLELOG": "1", "PYTHONMALLOC": "malloc"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_the_visit_faces_are_closed_and_the_welcome_face_stays(run: dict[str, object]) -> None:
    assert run["during"] == 5  # the welcome size and four sizes of the visit
    assert run["closed"] == 4
    assert run["open_after"] == 1


def test_closing_returns_the_memory(run: dict[str, object]) -> None:
    # a CJK face holds ~2.5 MB of private memory: four of them would show as ~10 MB
    grown = run["grown_mb"]
    assert isinstance(grown, float) and grown < 2.0, run


def test_text_measures_the_same_afterwards(run: dict[str, object]) -> None:
    assert run["welcome_same"] is True
    assert run["open_after_welcome_text"] == 1  # the kept face served it
    assert run["visit_same"] is True  # closed sizes open again on demand
    assert run["reopened"] == 5
    assert run["closed_again"] == 5  # the four sizes and the previous trigger face
    assert run["open_at_end"] == 1
