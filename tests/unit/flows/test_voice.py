"""Voice prompts: the configured player really plays the prompt file of the screen shown."""

from __future__ import annotations

import shlex
import sys
import wave
from pathlib import Path

from kiosk.flows.steps import Step
from kiosk.flows.voice import VoicePrompter, VoiceSettings, attach_voice, prompt_file
from kiosk.forms.model import FilingKind
from tests.unit.flows.conftest import Harness

#: a stand-in player that "plays" by appending the file's bytes to a log (observable output)
PLAYER = (
    "import sys; data = open(sys.argv[1], 'rb').read(); "
    "open(sys.argv[2], 'ab').write(sys.argv[1].encode() + b'|' + str(len(data)).encode() + b'\\n')"
)


def _wav(path: Path, frames: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * frames)
    return path


def _settings(prompts: Path, played: Path, enabled: bool = True) -> VoiceSettings:
    player = shlex.join([sys.executable, "-c", PLAYER, "{file}", str(played)])
    return VoiceSettings(enabled=enabled, prompts_dir=prompts, player=player)


def test_screen_prompt_is_played_in_the_visit_language(harness: Harness, tmp_path: Path) -> None:
    prompts, played = tmp_path / "prompts", tmp_path / "played.log"
    en_card = _wav(prompts / "en" / "place_card.wav", 800)
    any_card = _wav(prompts / "place_card.wav", 400)
    procedure = _wav(prompts / "procedure.wav", 200)
    flow = harness.kiosk.flow
    voice = VoicePrompter(flow, _settings(prompts, played))
    flow.start()  # → procedure
    voice.wait(10)
    flow.set_language("en")
    flow.choose_procedure(FilingKind.MOVE_IN)  # → place_card, English prompt
    voice.wait(10)
    flow.refresh()  # same screen again: not repeated
    flow.cancel()
    flow.set_language("ja")
    flow.start()
    flow.choose_procedure(FilingKind.MOVE_IN)  # → place_card, no Japanese file: the fallback
    voice.wait(10)
    lines = played.read_text().splitlines()
    header = 44  # a WAV header; the player saw the whole file
    assert lines == [
        f"{procedure}|{200 * 2 + header}",
        f"{en_card}|{800 * 2 + header}",
        f"{any_card}|{400 * 2 + header}",
    ]


def test_voice_is_off_by_default_and_when_the_player_is_missing(
    harness: Harness, tmp_path: Path
) -> None:
    prompts = tmp_path / "prompts"
    _wav(prompts / "procedure.wav", 10)
    flow = harness.kiosk.flow
    assert VoiceSettings().enabled is False
    assert attach_voice(flow, _settings(prompts, tmp_path / "p.log", enabled=False)) is None
    missing = VoiceSettings(enabled=True, prompts_dir=prompts, player="no-such-player {file}")
    assert attach_voice(flow, missing) is None
    flow.start()
    assert not (tmp_path / "p.log").exists()


def test_prompt_lookup_prefers_the_language(tmp_path: Path) -> None:
    _wav(tmp_path / "pin.wav", 1)
    ko = _wav(tmp_path / "ko" / "pin.wav", 1)
    assert prompt_file(tmp_path, Step.PIN, "ko") == ko
    assert prompt_file(tmp_path, Step.PIN, "vi") == tmp_path / "pin.wav"
    assert prompt_file(tmp_path, Step.REVIEW, "ko") is None


def test_player_without_placeholder_gets_the_file_last() -> None:
    settings = VoiceSettings(enabled=True, player="aplay -q")
    assert settings.command(Path("/p/x.wav")) == ["aplay", "-q", "/p/x.wav"]
