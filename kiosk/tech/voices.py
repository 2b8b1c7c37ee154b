"""Spoken prompts for ``kiosk.flows.voice``: one WAV per screen and language, made by espeak-ng.

Each prompt is the screen's own instruction text (its title, plus the fixed hint under it where
the screen always shows one) taken from the gettext catalogs, so only fixed catalog texts are
ever spoken, never anything from a visit. espeak-ng has no Filipino voice: Filipino prompts use
the Indonesian voice (Latin spelling read phonetically, the closest espeak-ng has). Its Japanese
voice reads kana only (each kanji comes out as "Chinese letter"), so both Japanese languages
speak the kana text of the やさしい日本語 catalog.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import wave
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kiosk.flows.steps import Step
from kiosk.flows.voice import IDLE_PROMPT, PROMPT_SUFFIX
from kiosk.i18n.catalog import translations
from kiosk.i18n.languages import BY_CODE, LANGUAGES, SOURCE_LANGUAGE
from kiosk.i18n.ruby import reading_text
from kiosk.tech.errors import TechError

ESPEAK = "espeak-ng"
PAUSE_S = 0.4  # silence between a screen's title and its hint
TIMEOUT_S = 30.0

#: espeak-ng voice per UI language (checked against `espeak-ng --voices`, 1.51 on bookworm);
#: plain "cmn" reads the tone digits of its pinyin in English, the pinyin variant does not
VOICES = {"ja": "ja", "ja_easy": "ja", "en": "en", "zh": "cmn-latn-pinyin", "ko": "ko",
          "vi": "vi", "ne": "ne", "fil": "id"}  # fmt: skip
#: the catalog a language's prompts are spoken from, where it is not the language's own
SPOKEN_CATALOG = {"ja": "ja_easy"}
#: texts the ja voice cannot read (it spells CJK ideographs out in English)
KANJI = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")

#: the msgids each screen shows as its title (its kv ``default_title``) and fixed hint.
#: Not spoken: text_entry (title depends on the field), head (no screen), maintenance (staff).
PROMPTS: dict[Step, tuple[str, ...]] = {
    Step.WELCOME: ("Welcome", "Choose your language, then what you want to do."),
    Step.PROCEDURE: ("What would you like to do?",),
    Step.PLACE_CARD: (
        "Place your My Number card on the reader",
        "Lay the card flat on the reader and leave it there.",
    ),
    Step.LAST_TRY: ("Only one try left",),
    Step.PIN: ("Enter your 4-digit PIN",),
    Step.BLOCKED: ("Please go to the counter",),
    Step.READING: ("Reading your card", "Please do not remove the card."),
    Step.CONFIRM_DATA: ("Is this information correct?",),
    Step.ADDRESS: ("Choose your new address",),
    Step.HOUSEHOLD: (
        "Who is moving?",
        "Other people moving with you can place their card on the reader now.",
    ),
    Step.MEMBER_DETAILS: ("Date of birth and sex",),
    Step.RELATIONSHIP: ("Relationship to the head of household",),
    Step.RELATED: ("Other procedures",),
    Step.REVIEW: ("Please check everything",),
    Step.PRINTING: ("Printing your form", "This takes a few seconds."),
    Step.PRINT_PROBLEM: ("The printer needs help",),
    Step.DONE: ("Finished",),
    Step.OUT_OF_SERVICE: ("Out of service",),
}


#: prompts not tied to a screen, by file name (the app plays them with ``VoicePrompter.announce``)
NAMED_PROMPTS: dict[str, tuple[str, ...]] = {
    IDLE_PROMPT: ("Are you still there?", "Without a touch, the screen will be cleared soon."),
}


@dataclass(frozen=True, slots=True)
class Prompt:
    """One prompt to synthesise: where it goes and the translated texts it says."""

    path: Path
    voice: str
    texts: tuple[str, ...]


def parse_languages(value: str | None) -> list[str]:
    """``ja,en`` → codes (all UI languages when empty); TechError on an unknown code."""
    if not value:
        return [lang.code for lang in LANGUAGES]
    codes = [c.strip() for c in value.split(",") if c.strip()]
    unknown = [c for c in codes if c not in BY_CODE]
    if unknown or not codes:
        named = ", ".join(unknown) or repr(value)
        raise TechError(f"unknown language(s) {named} (known: {', '.join(BY_CODE)})")
    return codes


def spoken(text: str) -> str:
    """``text`` as it is said: each ruby group by its reading."""
    return reading_text(text)


def spoken_texts(code: str, step: Step | str) -> tuple[str, ...]:
    """The translated texts of one screen's (or named) prompt; TechError if one is missing."""
    catalog = SPOKEN_CATALOG.get(code, code)
    texts = []
    msgids = PROMPTS[step] if isinstance(step, Step) else NAMED_PROMPTS[step]
    label = step.value if isinstance(step, Step) else step
    for msgid in msgids:
        text = translations(catalog).gettext(msgid)
        if catalog != SOURCE_LANGUAGE and text == msgid:
            raise TechError(f"catalog {catalog} has no translation of {msgid!r} ({label})")
        text = spoken(text)
        if VOICES[code] == "ja" and KANJI.search(text):
            raise TechError(f"catalog {catalog}: {msgid!r} has kanji the ja voice cannot read")
        texts.append(text)
    return tuple(texts)


def plan(out_dir: Path, codes: Sequence[str]) -> list[Prompt]:
    """Every prompt file for ``codes``: ``out_dir/<language>/<screen>.wav``."""
    return [
        Prompt(
            out_dir / code / f"{step.value}{PROMPT_SUFFIX}", VOICES[code], spoken_texts(code, step)
        )
        for code in codes
        for step in PROMPTS
    ] + [
        Prompt(out_dir / code / f"{name}{PROMPT_SUFFIX}", VOICES[code], spoken_texts(code, name))
        for code in codes
        for name in NAMED_PROMPTS
    ]


def _espeak() -> str:
    path = shutil.which(ESPEAK)
    if path is None:
        raise TechError(f"{ESPEAK} is not on PATH (apt-get install {ESPEAK})")
    return path


def _say(espeak: str, voice: str, text: str, wav: Path) -> None:
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, catalog text as one argument
            [espeak, "-v", voice, "-w", str(wav), "--", text],
            capture_output=True, timeout=TIMEOUT_S, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as err:
        raise TechError(f"{ESPEAK} -v {voice} failed: {err}") from err
    if done.returncode != 0 or not wav.is_file():
        problem = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise TechError(f"{ESPEAK} -v {voice} failed: {problem}")


def _join(parts: Sequence[Path], out: Path) -> None:
    """Concatenate same-format WAVs with a short pause between them."""
    with wave.open(str(parts[0]), "rb") as first:
        params = first.getparams()
    silence = b"\x00" * int(params.framerate * PAUSE_S) * params.sampwidth * params.nchannels
    with wave.open(str(out), "wb") as joined:
        joined.setparams(params)
        for index, part in enumerate(parts):
            with wave.open(str(part), "rb") as src:
                if (src.getframerate(), src.getsampwidth()) != (params.framerate, params.sampwidth):
                    raise TechError(f"{ESPEAK} wrote parts of {out.name} in different formats")
                if index:
                    joined.writeframes(silence)
                joined.writeframes(src.readframes(src.getnframes()))


def _synthesise(espeak: str, prompt: Prompt) -> None:
    prompt.path.parent.mkdir(parents=True, exist_ok=True)
    parts = [prompt.path.with_suffix(f".part{i}.wav") for i in range(len(prompt.texts))]
    tmp = prompt.path.with_suffix(".tmp")
    try:
        for text, part in zip(prompt.texts, parts, strict=True):
            _say(espeak, prompt.voice, text, part)
        _join(parts, tmp)
        os.replace(tmp, prompt.path)
    finally:
        for leftover in (*parts, tmp):
            leftover.unlink(missing_ok=True)


def generate(out_dir: Path, codes: Sequence[str], workers: int | None = None) -> list[Path]:
    """Write every prompt for ``codes`` under ``out_dir``; the paths written."""
    espeak = _espeak()
    prompts = plan(out_dir, codes)
    with ThreadPoolExecutor(max_workers=workers or min(8, os.cpu_count() or 1)) as pool:
        list(pool.map(lambda p: _synthesise(espeak, p), prompts))
    return [p.path for p in prompts]
