"""The overflow check's new half: a touch target scrolled out of view fails like an overflow.

Kivy allows one window per process, so the check runs in a child process under SDL's offscreen
driver on real widgets (a scrolling list taller than its area, laid out by Kivy's own frames).
"""

from __future__ import annotations

import json

import pytest

from tests.fixtures.kivy import run_offscreen

pytestmark = [pytest.mark.ui]

CHILD = r"""
import json, sys
from kivy.config import Config
Config.set("graphics", "width", "800")
Config.set("graphics", "height", "600")
from kivy.base import EventLoop
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.gridlayout import GridLayout
from kivy.uix.label import Label
from kivy.uix.scrollview import ScrollView

from kiosk.demo import observe

class Target(Button):
    def __init__(self, kiosk_id, role, **kw):
        super().__init__(size_hint_y=None, height=100, **kw)
        self.kiosk_id, self.role = kiosk_id, role

class MoreBelow(Label):
    pass

import kiosk.screens.widgets as widgets_module
widgets_module.MoreBelow = MoreBelow  # the cue class the check looks for (no kv needed here)

def frames(n=6):
    for _ in range(n):
        EventLoop.idle()

root = BoxLayout(orientation="vertical")
scroll = ScrollView(size_hint_y=None, height=400)
body = BoxLayout(orientation="vertical", size_hint_y=None, height=1000)
grid = GridLayout(cols=2, size_hint_y=None, height=800)
for i in range(16):
    grid.add_widget(Target(f"choice_{i}", "chip"))
body.add_widget(grid)
body.add_widget(Target("next", "primary"))
scroll.add_widget(body)
root.add_widget(scroll)
Window.add_widget(root)
frames()
without_cue = observe.out_of_view(root)
cue = MoreBelow(text="more below", size_hint_y=None, height=40)
root.add_widget(cue)
frames()
with_cue = observe.out_of_view(root)
print(json.dumps({"without_cue": without_cue, "with_cue": with_cue}))
"""


def test_targets_scrolled_away_fail_unless_a_list_says_more_is_below() -> None:
    found = json.loads(run_offscreen(CHILD).strip().splitlines()[-1])
    hidden = " ".join(found["without_cue"])
    assert "choice_15" in hidden and "next" in hidden  # below the fold: reported
    assert "choice_0 " not in hidden  # in view: not reported
    # with the cue the list's choices may wait below; the primary action may not
    assert [p for p in found["with_cue"] if "touch target next " in p]
    assert not [p for p in found["with_cue"] if "choice_" in p]
