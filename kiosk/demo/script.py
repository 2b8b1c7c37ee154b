"""Scripted visits: JSON steps played by real touches inside the running app.

A script is ``{"name", "language"?, "steps": [...], "end": "<screen>"}``. Steps:
``{"tap": id}``, ``{"pin": "1234"}``, ``{"type": "ヤマダ"}``, ``{"card": "yamada"}``,
``{"remove_card": true}``, ``{"expect": "<screen>"}``, ``{"expect_text": "..."}``,
``{"printer": "paper_out" | "offline" | "ready"}``, ``{"idle": seconds}``,
``{"unplug": "reader" | "printer"}``, ``{"replug": ...}``, ``{"expect_no_personal_data": true}``,
``{"expect_outbox": n}``, ``{"expect_visible": "pin_"}`` (every touch target whose id starts
so is wholly on screen, not scrolled away), ``{"expect_delivered": true}`` (the sender emptied
the outbox),
``{"wait": seconds}``, ``{"time_passes": seconds}`` (the app's idle timer and card-removed
countdown run on by that much at once: a 30 s countdown ends without 30 s of waiting),
``{"settings": {"seal_card_binding_enabled": true}}`` (a ward switch of kiosk.toml, as a
technician sets it).
With ``gallery`` languages, every new screen state is also shown, screenshotted and checked in
each of them (``kiosk.demo.gallery``). The runner waits for the flow to settle after
each step, saves a PNG whenever the screen changes, checks every label for overflow, and ends
with exit code 0 only if every expectation held and the visit ended on ``end``.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.scrollview import ScrollView

from kiosk import app_probe
from kiosk.app import RELEASE_DELAY_S
from kiosk.demo import delivery, observe
from kiosk.demo.environment import DemoEnvironment
from kiosk.demo.gallery import GALLERY_STEP, RESTORE, Carousel
from kiosk.demo.script_model import (
    RunResult,
    ScriptError,
    VisitScript,
    keys_for,
    touches_by_screen,
)
from kiosk.demo.touch import ScriptedTouch
from kiosk.hardware.printer.memory import OFFLINE, PAPER_OUT, READY
from kiosk.memory import rss_mb, status_mb
from kiosk.screens.text_entry import ALPHA, DIGITS, key_id

log = logging.getLogger(__name__)

__all__ = ["RunResult", "ScriptError", "ScriptRunner", "VisitScript", "touches_by_screen"]

STEP_TIMEOUT_S = 30.0
SETTLE_FRAMES = 3
PRINTER_STATES = {"paper_out": PAPER_OUT, "offline": OFFLINE, "ready": READY}
#: ward settings a script may switch, as a technician would in kiosk.toml (``{"settings": …}``)
SCRIPT_SETTINGS = frozenset({"seal_card_binding_enabled", "honseki_registration_enabled"})
#: the sender polls every second and backs off after a failed try: allow a few of them
DELIVERY_TIMEOUT_S = 90.0
#: extra wait after the app's memory release before the steady RSS is read
STEADY_MARGIN_S = 0.5
#: a placed card on a screen that does not react to it counts as settled after this long
CARD_REACTION_S = 3.0
#: frames to wait at most for a screen's layout to stop moving before it is measured
LAYOUT_FRAMES = 60
#: frames in a row without a widget moving before the layout counts as done
STILL_FRAMES = 2
#: while a step waits (a timer, the flow's card-reading thread, a delivery) each frame yields
#: the CPU this long: unpaced frames (``--maxfps 0``) would otherwise spin a whole core and
#: hold the GIL against the very thread being waited for
WAIT_POLL_S = 0.004


class ScriptRunner:
    """Plays a list of scripts in the running app, one visit after another."""

    def __init__(
        self,
        app: Any,
        env: DemoEnvironment,
        scripts: list[VisitScript],
        screenshots: Path | None,
        done: Callable[[RunResult], None],
        *,
        languages: list[str] | None = None,
        gallery: list[str] | None = None,
    ) -> None:
        self.app = app
        self.gallery = Carousel(gallery) if gallery else None
        self._in_gallery = False
        self._shape: tuple[int, ...] = ()
        self._still = 0
        self._gallery_at = 0.0
        #: the frames' pause while the steady memory is awaited (after the last step)
        self._resting: Any = None
        self.env = env
        self.runs = [(s, lang) for s in scripts for lang in (languages or [s.language or ""])]
        self.shots = screenshots
        self.done = done
        self.result = RunResult()
        self._steps: Iterator[tuple[int, dict[str, Any]]] = iter(())
        self._wait: Callable[[], bool] | None = None
        self._deadline = 0.0
        self._frames = 0
        self._screen_marker: tuple[int, bool] = (0, False)
        self._last_shot_key = ""
        self._run_index = -1
        self._current: tuple[VisitScript, str] | None = None
        self._names_seen: set[str] = set()
        self._pending: list[dict[str, Any]] = []
        self._flow_changes = 0
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)

    def start(self) -> None:
        """Begin on the next frame."""
        self._next_run()
        self.app.kiosk.flow.on_change(self._count_change)
        self.app.script_runner = self  # Clock holds callbacks weakly: keep the runner alive
        Clock.schedule_interval(self._tick, 0)

    # ------------------------------------------------------------------ loop

    def _next_run(self) -> bool:
        self._run_index += 1
        if self._run_index >= len(self.runs):
            return False
        script, lang = self.runs[self._run_index]
        self._current = (script, lang)
        steps: list[dict[str, Any]] = []
        if lang:
            steps.append({"tap": f"lang_{lang}"})
        steps += script.steps
        self._steps = iter(enumerate(steps))
        self._last_shot_key = ""
        return True

    def _count_change(self) -> None:
        self._flow_changes += 1

    def _tick(self, _dt: float) -> bool:
        if self.app.faults and not self.result.failure:  # the app survived it; a script must not
            self.result.failure = f"unexpected error in the app: {self.app.faults[0]}"
            self._finish()
            return False
        try:
            return self._advance()
        except ScriptError as err:
            self.result.failure = str(err)
            self._finish()
            return False

    def _advance(self) -> bool:
        self._frames += 1
        # a screen that changed by itself (idle reset, card removal) or is still sliding in
        # settles again before anything is measured
        manager = self.app.manager
        marker = (id(manager.current_screen), bool(manager.transition.is_active))
        if marker != self._screen_marker:
            self._screen_marker = marker
            self._frames = 0
        if self._wait is not None:
            if not self._settled():
                if time.monotonic() > self._deadline:
                    raise ScriptError(f"timed out waiting on screen {self._screen()}")
                time.sleep(WAIT_POLL_S)
                return True
            self._wait = None
            self._frames = 0
            return True
        if self._frames < SETTLE_FRAMES or not self._layout_still():
            return True
        self._capture()
        if self._pending:
            self._do(-1, self._pending.pop(0))
            return True
        try:
            index, step = next(self._steps)
        except StopIteration:
            self._check_end()
            if not self._next_run():
                self._finish()
                return False
            return True
        self._do(index, step)
        return True

    def _layout_still(self) -> bool:
        """The screen's layout stopped moving (wrapped labels grow their rows over a few frames
        after a language or theme switch); gives up waiting after ``LAYOUT_FRAMES``."""
        shape = observe.geometry(self.app.manager.current_screen)
        self._still = self._still + 1 if shape == self._shape else 0
        self._shape = shape
        return self._still >= STILL_FRAMES or self._frames > LAYOUT_FRAMES

    def _settled(self) -> bool:
        return bool(self._wait and self._wait()) and not self.app.flow.busy

    def _then(self, condition: Callable[[], bool], *, timeout_s: float = STEP_TIMEOUT_S) -> None:
        self._wait = condition
        self._deadline = time.monotonic() + timeout_s
        self._frames = 0

    def _finish(self) -> None:
        if self.result.failure:
            log.error("scripted visit failed: %s", self.result.failure)
            self.done(self.result)
            return
        # the app trims the heap RELEASE_DELAY_S after a visit's screens are dropped: measure after
        # (the frames meanwhile yield the CPU, as while a step waits)
        self._resting = Clock.schedule_interval(lambda _dt: time.sleep(WAIT_POLL_S), 0)
        Clock.schedule_once(self._measure_steady, RELEASE_DELAY_S + STEADY_MARGIN_S)

    def _measure_steady(self, _dt: float) -> None:
        self._resting.cancel()
        self.result.steady_rss_mb = rss_mb()
        self.result.steady_rss_anon_mb = status_mb("RssAnon")
        self.done(self.result)

    # ------------------------------------------------------------------ observation

    def _screen(self) -> str:
        return str(self.app.manager.current)

    def _state_key(self) -> str:
        """What is on screen now, without the language (the idle prompt counts as a screen)."""
        shown = self.app.current_screen
        ids = ",".join(sorted(shown.widgets)) if shown is not None else ""
        idle = "idle_prompt" if self.app.idle_view is not None else ""
        theme = f"{int(self.app.large_text)}{int(self.app.high_contrast)}"
        request = self.app.flow.text.request
        return f"{self._run_index}:{self._screen()}:{request}:{idle}:{theme}:{ids}"

    def _shot_key(self) -> str:
        return f"{self._state_key()}:{self.app.translator.language.code}"

    def _capture(self) -> None:
        screen = self._screen()
        lang = self.app.translator.language.code
        key = self._shot_key()
        if key == self._last_shot_key:
            return
        self._last_shot_key = key
        self.result.screens.append(screen)
        self.result.rss_mb.append(rss_mb())
        for problem in observe.overflowing(self.app.manager.current_screen):
            self.result.overflow.append(f"{lang}/{screen}: {problem}")
        if self.app.idle_view is not None:
            for problem in observe.overflowing(self.app.idle_view):
                self.result.overflow.append(f"{lang}/idle_prompt: {problem}")
            screen = "idle_prompt"
        if self.gallery is not None and not self._in_gallery:
            steps = self.gallery.steps(self._state_key(), lang)
            self._in_gallery = bool(steps)
            self._pending = steps + self._pending
        if self.shots is None:
            return
        script = self.runs[self._run_index][0].name
        name = f"{script}_{lang}_{len(self.result.screenshots):03d}_{screen}.png"
        written = Window.screenshot(name=str(self.shots / "shot.png"))
        if written:
            os.replace(written, self.shots / name)
            self.result.screenshots.append(name)
            # the texts' boxes beside the picture: the contrast test measures them in it
            shown = self.app.idle_view or self.app.manager.current_screen
            boxes = {"window": [Window.width, Window.height], "texts": observe.text_boxes(shown)}
            (self.shots / name).with_suffix(".json").write_text(json.dumps(boxes))

    def _check_end(self) -> None:
        script = self.runs[self._run_index][0]
        if self._screen() != script.end:
            raise ScriptError(f"{script.name}: ended on {self._screen()}, expected {script.end}")

    # ------------------------------------------------------------------ actions

    def _touch(self, kiosk_id: str) -> None:
        widget = app_probe.find(self.app, kiosk_id)
        if widget is None:
            raise ScriptError(f"no widget {kiosk_id!r} on screen {self._screen()}")
        parent = widget.parent
        while parent is not None and not isinstance(parent, ScrollView):
            parent = None if parent.parent is parent else parent.parent
        if parent is not None:
            parent.scroll_to(widget, padding=10, animate=False)
            parent.update_from_scroll()
        x, y = widget.to_window(*widget.center)
        screen = self._screen()
        touch = ScriptedTouch(x, y)
        touch.press()
        touch.lift()
        self.result.touches += 1
        self.result.touch_screens.append(screen)

    def _tap_now(self, kiosk_id: str) -> None:
        """Touch, after scrolling the widget into view in an earlier frame if needed."""
        self._touch(kiosk_id)

    def _time_passes(self, seconds: float) -> None:
        """Move the app's own clocks on (the idle timer, the card-removed countdown); the
        screens' timers notice at their next tick, as they would after a real wait."""
        self.app.idle.skew(seconds)
        pause = self.app.kiosk.flow.pause
        before = pause.clock
        pause.clock = lambda: before() + seconds

    def _apply_settings(self, settings: dict[str, Any]) -> None:
        """Switch ward settings of the stand (kiosk.toml keys); the welcome shows them at once."""
        flow = self.app.kiosk.flow
        for key, value in settings.items():
            if key not in SCRIPT_SETTINGS or not isinstance(value, bool):
                raise ScriptError(f"setting {key!r}: not a switch a script may set")
            setattr(flow.settings, key, value)
        flow.refresh()

    def _do(self, index: int, step: dict[str, Any]) -> None:
        flow = self.app.kiosk.flow
        card = self.app.kiosk.card
        if step.get("tap") == "lang_current":
            # re-select the run's language after a visit ended (it falls back to the default)
            lang = self._current[1] if self._current else ""
            if lang:
                self._tap_now(f"lang_{lang}")
            self._then(lambda: True)
        elif "tap" in step:
            self._tap_now(step["tap"])
            self._then(lambda: True)
        elif "pin" in step:
            self._pending = [{"tap": f"pin_{d}"} for d in str(step["pin"])] + self._pending
            self._then(lambda: True)
        elif "type" in step:
            self._pending = [{"key": c} for c in keys_for(str(step["type"]))] + self._pending
            self._then(lambda: True)
        elif "key" in step:
            self._type_char(str(step["key"]))
            self._then(lambda: True)
        elif "card" in step and self.env.cards.current is not None:
            # a real swap: the reader must see the old card leave before the next arrives
            self._pending = [{"remove_card": True}, step, *self._pending]
            self._then(lambda: True)
        elif "card" in step:
            name = str(step["card"])
            before = self._flow_changes
            react_by = time.monotonic() + CARD_REACTION_S
            inserted = self.env.cards.insert(name)
            self._names_seen.add(inserted.identity.name)
            # settled once the flow has reacted to the card (or nothing reacts on this screen)
            self._then(
                lambda: (
                    card.card_present
                    and (self._flow_changes > before or time.monotonic() > react_by)
                )
            )
        elif "remove_card" in step:
            self.env.cards.remove()
            self._then(lambda: not card.card_present)
        elif GALLERY_STEP in step:
            # the gallery's time is not the resident's idle time (nor the idle prompt's)
            now = time.monotonic()
            if self.app.idle_view is None:
                self.app.idle.touch()
            elif self._gallery_at:
                self.app.idle.skew(-(now - self._gallery_at))
            self._gallery_at = 0.0 if step.get(RESTORE) else now
            self.app.set_language(str(step[GALLERY_STEP]))
            if step.get(RESTORE):
                self._in_gallery = False
                self._last_shot_key = self._shot_key()  # shown in this language already
            self._then(lambda: True)
        elif "expect" in step:
            if self._screen() != step["expect"]:
                raise ScriptError(f"step {index}: on {self._screen()}, expected {step['expect']}")
            self._then(lambda: True)
        elif "expect_text" in step:
            texts = " ".join(self.app.current_screen and observe.texts(self.app.current_screen))
            if step["expect_text"] not in texts:
                raise ScriptError(f"step {index}: {step['expect_text']!r} not shown")
            self._then(lambda: True)
        elif "printer" in step:
            self.env.printer.set_state(PRINTER_STATES[step["printer"]])
            self._then(lambda: True)
        elif "settings" in step:
            self._apply_settings(dict(step["settings"]))
            self._then(lambda: True)
        elif "idle" in step:
            self.app.idle.skew(float(step["idle"]))
            self._then(lambda: True)
        elif "time_passes" in step:
            self._time_passes(float(step["time_passes"]))
            self._then(lambda: True)
        elif "wait" in step:
            until = time.monotonic() + float(step["wait"])
            self._then(lambda: time.monotonic() >= until)
        elif "unplug" in step:
            self.env.unplug(step["unplug"])
            self._then(lambda: True)
        elif "replug" in step:
            self.env.replug(step["replug"])
            self._then(lambda: True)
        elif "expect_no_personal_data" in step:
            problem = observe.privacy_problem(self.app, self._names_seen)
            if problem:
                raise ScriptError(f"step {index}: {problem}")
            self._then(lambda: True)
        elif "expect_visible" in step:
            hidden = observe.hidden_targets(self.app.current_screen, str(step["expect_visible"]))
            if hidden:
                raise ScriptError(f"step {index}: scrolled or cut off: {', '.join(hidden)}")
            self._then(lambda: True)
        elif "expect_no_text" in step:
            texts = " ".join(self.app.current_screen and observe.texts(self.app.current_screen))
            if step["expect_no_text"] in texts:
                raise ScriptError(f"step {index}: {step['expect_no_text']!r} is shown")
            self._then(lambda: True)
        elif "sync_once" in step:
            done = threading.Event()
            threading.Thread(target=delivery.sync_once, args=(self.env, done), daemon=True).start()
            self._then(done.is_set)
        elif "expect_delivered" in step:
            self._then(
                delivery.outbox_empty_poll(self.env, self.app.kiosk.master),
                timeout_s=DELIVERY_TIMEOUT_S,
            )
        elif "expect_outbox" in step:
            from kiosk.flows.staff import collect

            status = collect(self.env.sync, self.app.kiosk.master)
            if status.backlog != int(step["expect_outbox"]):
                raise ScriptError(f"step {index}: outbox backlog {status.backlog}")
            self._then(lambda: True)
        else:
            raise ScriptError(f"step {index}: unknown action {sorted(step)}")
        log.info("step %d on %s: %s", index, self._screen(), json.dumps(step, ensure_ascii=False))
        del flow

    def _type_char(self, char: str) -> None:
        wanted = {" ": "kb_space", "小": "kb_small"}.get(char, key_id(char))
        if app_probe.find(self.app, wanted) is None:
            mode = "digits" if char in DIGITS else "alpha" if char.upper() in ALPHA else "kana"
            self._touch(f"kb_mode_{mode}")
            self._pending.insert(0, {"key": char})  # the key exists after the next frame
            return
        self._touch(wanted)
