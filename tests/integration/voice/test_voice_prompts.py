"""Voice prompts made by the real espeak-ng from the catalogs, then played by the real aplay."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.flows.steps import Step
from kiosk.flows.voice import VoiceSettings, attach_voice
from kiosk.i18n.languages import LANGUAGES
from kiosk.tech.site import DEVICE_VOICE_DIR, load_site, render_kiosk_toml
from kiosk.tech.voices import PROMPTS, plan, spoken
from tests.integration.appliance.synthetic_image import self_signed_pem
from tests.unit.flows.conftest import Harness

REPO = Path(__file__).resolve().parents[3]
SCREENS = REPO / "kiosk" / "screens"

needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng; scripts/bootstrap.sh does)",
)


def _generate(out: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = None if path is None else {"PATH": path, "LANG": "C.UTF-8"}
    command = [sys.executable, "-m", "kiosk.tech", "voices", str(out), *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def prompts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    out = tmp_path_factory.mktemp("voice") / "prompts"
    done = _generate(out, "--languages", "ja,en")
    assert done.returncode == 0, done.stderr
    assert "wrote 38 prompts (2 languages)" in done.stdout  # 18 screens + the idle warning
    return out


def _frames(path: Path) -> bytes:
    with wave.open(str(path), "rb") as wav:
        return wav.readframes(wav.getnframes())


@needs_espeak
def test_every_screen_gets_a_valid_wave_prompt_per_language(prompts: Path) -> None:
    written = sorted(p.relative_to(prompts).as_posix() for p in prompts.rglob("*"))
    expected = sorted(
        [lang, *(f"{lang}/{step.value}.wav" for step in PROMPTS), f"{lang}/idle_warning.wav"]
        for lang in ("en", "ja")
    )
    assert written == sorted(name for group in expected for name in group)
    for wav_path in prompts.glob("*/*.wav"):
        head = wav_path.read_bytes()[:12]
        assert head[:4] == b"RIFF" and head[8:12] == b"WAVE", wav_path
        with wave.open(str(wav_path), "rb") as wav:
            assert wav.getnchannels() == 1
            assert wav.getsampwidth() == 2
            assert 16000 <= wav.getframerate() <= 48000
            duration_s = wav.getnframes() / wav.getframerate()
        assert 0.3 <= duration_s <= 15, (wav_path, duration_s)


@needs_espeak
def test_japanese_and_english_prompts_of_a_screen_differ(prompts: Path) -> None:
    for step in PROMPTS:
        ja, en = (_frames(prompts / lang / f"{step.value}.wav") for lang in ("ja", "en"))
        assert ja != en, step
    # a title plus its hint is longer than the title alone would be said
    assert len(_frames(prompts / "en" / "welcome.wav")) > len(_frames(prompts / "en" / "done.wav"))


def test_prompt_texts_are_the_screens_own_catalog_texts() -> None:
    for step, (title, *hints) in PROMPTS.items():
        kv = (SCREENS / f"{step.value}.kv").read_text(encoding="utf-8")
        assert f'default_title: tr._("{title}")' in kv, step
        source = (SCREENS / f"{step.value}.py").read_text(encoding="utf-8")
        for hint in hints:
            assert f'self._("{hint}")' in source or f"self._('{hint}')" in source, (step, hint)
    assert not set(PROMPTS) & {Step.MAINTENANCE, Step.TEXT_ENTRY}
    # every language has a translation of every text; the ja voice gets no kanji
    by_lang = {p.path.parent.name: p for p in plan(Path("/p"), [lang.code for lang in LANGUAGES])}
    assert set(by_lang) == {lang.code for lang in LANGUAGES}
    japanese = plan(Path("/p"), ["ja"])
    done = next(p for p in japanese if p.path.stem == Step.DONE.value)
    assert done.voice == "ja" and done.texts == ("おわりました",)
    assert not [t for p in japanese for t in p.texts if re.search("[\u4e00-\u9fff]", t)]
    idle = next(p for p in japanese if p.path.stem == "idle_warning")  # the idle warning's voice
    assert idle.path == Path("/p/ja/idle_warning.wav") and idle.texts[0].startswith("まだ")


def test_ruby_groups_are_spoken_by_their_reading() -> None:
    assert spoken("\ufff9住所\ufffaじゅうしょ\ufffbを えらんで") == "じゅうしょを えらんで"
    assert spoken("《住所｜じゅうしょ》を") == "じゅうしょを"
    assert spoken("カードを とらないで") == "カードを とらないで"


def test_generator_refuses_cleanly_without_espeak_ng(tmp_path: Path) -> None:
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    out = tmp_path / "prompts"
    done = _generate(out, "--languages", "en", path=str(empty_path))
    assert done.returncode == 2
    assert "error [tech_error]: espeak-ng is not on PATH (apt-get install espeak-ng)" in done.stderr
    assert not out.exists()


def test_generator_refuses_unknown_languages(tmp_path: Path) -> None:
    done = _generate(tmp_path / "prompts", "--languages", "ja,tl")
    assert done.returncode == 2
    assert "unknown language(s) tl" in done.stderr


@needs_espeak
def test_kiosk_plays_the_generated_prompt_of_the_screen_shown(
    harness: Harness, prompts: Path, tmp_path: Path
) -> None:
    played = tmp_path / "played.raw"
    if shutil.which("aplay") is not None:
        # ALSA's file plugin: aplay decodes the WAV and writes the PCM it plays to `played`
        player = shlex.join(["aplay", "-q", "-D", f"file:'{played}',raw", "{file}"])
    else:  # pragma: no cover - alsa-utils missing: a copying player still shows the file used
        player = shlex.join(["cp", "{file}", str(played)])
    settings = VoiceSettings(enabled=True, prompts_dir=prompts, player=player)
    voice = attach_voice(harness.kiosk.flow, settings)
    assert voice is not None
    harness.kiosk.flow.start()  # → procedure, in the default language (ja)
    voice.wait(20)
    assert voice._playing is not None and voice._playing.returncode == 0
    prompt = prompts / "ja" / "procedure.wav"
    output = played.read_bytes()
    if player.startswith("aplay"):
        frames = _frames(prompt)
        assert output[: len(frames)] == frames
        assert not output[len(frames) :].strip(b"\x00")  # only padding to the period size
    else:  # pragma: no cover
        assert output == prompt.read_bytes()


def test_the_stands_kiosk_toml_points_at_the_image_prompts_with_voice_off(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_bytes(self_signed_pem("Intake CA"))
    site = tmp_path / "site.toml"
    site.write_text('[site]\nintake_url = "https://i.example:8443"\nca_file = "ca.pem"\n')
    toml = tmp_path / "kiosk.toml"
    toml.write_text(render_kiosk_toml(load_site(site), "k-1", "ab" * 32))
    config = load_config(toml, environ={})
    assert config.voice is False
    assert config.voice_prompts == DEVICE_VOICE_DIR == "/usr/share/kiosk/voice"
    customize = (REPO / "image-build" / "hooks" / "customize.sh").read_text()
    assert f'-m kiosk.tech voices "$root{DEVICE_VOICE_DIR}"' in customize
