"""The idle warning: seconds left for its countdown, its voice prompt in the visit's language."""

from __future__ import annotations

from pathlib import Path

from kiosk.flows.idle import IdleState, IdleTimer
from kiosk.flows.voice import IDLE_PROMPT, VoicePrompter
from tests.unit.flows.conftest import Harness
from tests.unit.flows.test_voice import _settings, _wav


def test_countdown_seconds_follow_the_clock_and_the_pin_factor() -> None:
    clock = [100.0]
    timer = IdleTimer(60, 90, now=lambda: clock[0])
    clock[0] += 61
    assert timer.state() is IdleState.WARNING
    assert timer.remaining_s() == 29
    clock[0] += 10
    assert timer.remaining_s() == 19  # counts down
    assert timer.remaining_s(3.0) == 270 - 71  # PIN screens: three times the limit
    timer.touch()
    assert timer.remaining_s() == 90


def test_idle_warning_is_announced_in_the_visit_language(harness: Harness, tmp_path: Path) -> None:
    prompts, played = tmp_path / "prompts", tmp_path / "played.log"
    vi = _wav(prompts / "vi" / f"{IDLE_PROMPT}.wav", 300)
    fallback = _wav(prompts / f"{IDLE_PROMPT}.wav", 100)
    flow = harness.kiosk.flow
    voice = VoicePrompter(flow, _settings(prompts, played))
    flow.set_language("vi")
    voice.announce(IDLE_PROMPT)
    voice.wait(10)
    flow.set_language("ko")  # no Korean recording: the common one
    voice.announce(IDLE_PROMPT)
    voice.wait(10)
    header = 44
    assert played.read_text().splitlines() == [
        f"{vi}|{300 * 2 + header}",
        f"{fallback}|{100 * 2 + header}",
    ]
