"""The welcome screen's first frame draws each label once, at its own width; the hidden "more
below" cue draws nothing until it shows (issue 14: start-up time).

Each check runs the real Kivy stack in a fresh process (SDL's offscreen window): the demo app up
to its first frame, or the app's own widgets.kv rules under a minimal app.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

#: the narrowest label of the welcome screen wraps its text at 281 px (a language button, 1280
#: px wide window); Kivy's default widget width would wrap at 84 px or less
NARROWEST_TEXT_PX = 200

FIRST_FRAME = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kivy.uix.label import Label

    drawn = []
    draw = Label.texture_update

    def texture_update(self, *args):
        draw(self, *args)
        if self.text:
            drawn.append([id(self), type(self).__name__, self.text_size[0], self.text])

    Label.texture_update = texture_update
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out"),
                 "--exit-when-ready"])
    (work / "drawn.json").write_text(json.dumps({"code": code, "drawn": drawn}))
    """
)

CUE = textwrap.dedent(
    """
    import hashlib, json, sys
    from pathlib import Path
    from kivy.app import App
    from kivy.base import EventLoop
    from kivy.clock import Clock
    from kivy.lang import Builder
    from kivy.properties import ListProperty, NumericProperty, StringProperty
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.widget import Widget
    from kiosk.app import FONT_CJK, SCREENS_DIR, THEMES, lay_out_now, register_fonts

    class StyleApp(App):
        font_ui = StringProperty(FONT_CJK)
        font_data = StringProperty(FONT_CJK)
        text_px = NumericProperty(26)
        title_px = NumericProperty(36)
        touch_px = NumericProperty(72)

    for name, rgba in THEMES["normal"].items():
        setattr(StyleApp, name, ListProperty(list(rgba)))

    EventLoop.ensure_window()
    register_fonts()
    App._running_app = StyleApp()
    Builder.load_file(str(SCREENS_DIR / "widgets.kv"))
    from kiosk.screens.widgets import ClipScrollView, MoreBelow

    root = BoxLayout(orientation="vertical", size=(800, 400))
    scroll = ClipScrollView(do_scroll_x=False)
    body = BoxLayout(orientation="vertical", size_hint_y=None, height=200)
    scroll.add_widget(body)
    cue = MoreBelow(text="▼ もっと下に ▼", scroll=scroll)
    root.add_widget(scroll)
    root.add_widget(cue)
    lay_out_now(root)  # as the app does with a rebuilt screen

    def settle():
        for _ in range(8):
            Clock.tick()

    def state():
        texture = cue.texture
        size = list(texture.size) if texture is not None else None
        pixels = hashlib.sha256(bytes(texture.pixels)).hexdigest() if texture else None
        return {"height": cue.height, "texture": size, "texture_size": list(cue.texture_size),
                "pixels": pixels}

    states = {}
    settle()
    states["fits"] = state()
    body.height = 1000
    settle()
    states["overflows"] = state()
    body.height = 100
    settle()
    cue.text = "▼ もっと下にあります、どうぞ ▼"
    settle()
    states["hidden_new_text"] = state()
    body.height = 1200
    settle()
    states["shown_new_text"] = state()
    Path(sys.argv[1]).write_text(json.dumps(states))
    """
)

MEASURES = textwrap.dedent(
    """
    import hashlib, json, sys
    from pathlib import Path
    from kivy.base import EventLoop
    from kivy.core.text.markup import MarkupLabel
    from kivy.core.text.text_sdl2 import LabelSDL2
    from kiosk.app import FONT_CJK, register_fonts
    from kiosk.screens.shaping import MeasuredMarkupLabel

    EventLoop.ensure_window()
    register_fonts()
    measured = []
    sdl2_extents = LabelSDL2.get_extents

    def get_extents(self, text):
        measured.append(text)
        return sdl2_extents(self, text)

    LabelSDL2.get_extents = get_extents
    TEXTS = ["他の市区町村から引っ越してきた（転入）", "Moving in from another city (転入)",
             "Chuyển đến từ thành phố khác (転入)", "다른 시에서 이사 왔어요 (転入)",
             "[b]从其他城市迁入[/b]（転入）", "[font=KioskCJK]日本語[/font] English"]

    def draw(cls, text, width):
        label = cls(text=text, font_name=FONT_CJK, font_size=26, text_size=(width, None),
                    halign="center")
        label.refresh()
        return label.texture.size[:], hashlib.sha256(bytes(label.texture.pixels)).hexdigest()

    same = []
    for width in (120, 281, 1224):
        for text in TEXTS:
            same.append(draw(MarkupLabel, text, width) == draw(MeasuredMarkupLabel, text, width))
    before = len(measured)
    for text in TEXTS:  # drawn again (a screen refreshed): every word's measure is remembered
        draw(MeasuredMarkupLabel, text, 281)
    Path(sys.argv[1]).write_text(json.dumps({"same": same, "remeasured": measured[before:]}))
    """
)


def _run(script: str, arg: Path) -> None:
    run_offscreen(script, str(arg))


def test_welcome_labels_are_drawn_once_at_their_width_before_the_first_frame(
    tmp_path: Path,
) -> None:
    _run(FIRST_FRAME, tmp_path)
    result: dict[str, Any] = json.loads((tmp_path / "drawn.json").read_text())
    assert result["code"] == 0
    drawn = result["drawn"]
    texts = " ".join(text for _id, _cls, _width, text in drawn)
    assert "English" in texts and "नेपाली" in texts  # the language buttons were drawn
    narrow = [(cls, width, text[:20]) for _id, cls, width, text in drawn
              if width is None or width < NARROWEST_TEXT_PX]  # fmt: skip
    assert narrow == [], f"drawn before their layout: {narrow}"
    ids = [label_id for label_id, *_rest in drawn]
    assert len(ids) == len(set(ids)), "a label was drawn twice before the first frame"


def test_more_below_cue_draws_its_text_only_while_it_shows(tmp_path: Path) -> None:
    out = tmp_path / "cue.json"
    _run(CUE, out)
    states = json.loads(out.read_text())
    # the body fits: no room taken, and the text is not drawn (no bold face opened for it)
    assert states["fits"]["height"] == 0
    assert states["fits"]["texture"] is None
    # the body goes on under the fold: the cue takes a line's room and shows its text
    shown = states["overflows"]
    assert shown["texture"] is not None and shown["texture"][1] > 20
    assert shown["height"] == shown["texture_size"][1] + 8  # dp(8) at density 1
    # hidden again, its new text waits (not drawn); shown again, it draws the new text
    hidden = states["hidden_new_text"]
    assert hidden["height"] == 0
    assert hidden["pixels"] == shown["pixels"]
    again = states["shown_new_text"]
    assert again["height"] == again["texture_size"][1] + 8
    assert again["texture_size"][0] == 800  # wrapped to the cue's width (text_size)
    assert again["pixels"] not in (None, shown["pixels"])


def test_remembered_measures_draw_the_same_pixels_and_are_not_measured_again(
    tmp_path: Path,
) -> None:
    out = tmp_path / "measures.json"
    _run(MEASURES, out)
    result = json.loads(out.read_text())
    assert result["same"] and all(result["same"])  # Kivy's own markup label's pixels
    assert result["remeasured"] == []
