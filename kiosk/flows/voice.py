"""Optional voice prompts: a recorded WAV per screen and language, played by a configured player.

Off by default (``voice = false`` in kiosk.toml). Prompts are fixed files, never generated from
the visit, so nothing personal is ever spoken. Layout: ``<prompts>/<language>/<screen>.wav``, with
``<prompts>/<screen>.wav`` as the fallback for every language. The player is a command line with a
``{file}`` placeholder (default ``aplay -q {file}``); it runs detached, one prompt at a time.
"""

from __future__ import annotations

import logging
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from kiosk.flows.core import VisitFlow
from kiosk.flows.steps import Step

log = logging.getLogger(__name__)

PROMPT_SUFFIX = ".wav"
#: the prompt file (without suffix) of the idle warning, which is a pop-up, not a screen
IDLE_PROMPT = "idle_warning"
FILE_PLACEHOLDER = "{file}"
DEFAULT_PLAYER = "aplay -q {file}"
STOP_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class VoiceSettings:
    """Whether and how prompts are played."""

    enabled: bool = False
    prompts_dir: Path | None = None
    player: str = DEFAULT_PLAYER

    def command(self, prompt: Path) -> list[str]:
        """The player's argument vector for one prompt file."""
        parts = shlex.split(self.player)
        if not any(FILE_PLACEHOLDER in p for p in parts):
            parts.append(FILE_PLACEHOLDER)
        return [p.replace(FILE_PLACEHOLDER, str(prompt)) for p in parts]

    @property
    def usable(self) -> bool:
        """Enabled, with a prompts folder and an installed player."""
        if not self.enabled or self.prompts_dir is None or not self.prompts_dir.is_dir():
            return False
        program = shlex.split(self.player)[:1]
        return bool(program) and shutil.which(program[0]) is not None


def prompt_file(prompts_dir: Path, step: Step, language: str) -> Path | None:
    """The recorded prompt for a screen in a language, or None."""
    for candidate in (prompts_dir / language / f"{step.value}{PROMPT_SUFFIX}",
                      prompts_dir / f"{step.value}{PROMPT_SUFFIX}"):  # fmt: skip
        if candidate.is_file():
            return candidate
    return None


class VoicePrompter:
    """Plays the prompt of each screen the flow enters (the previous one is cut off)."""

    def __init__(self, flow: VisitFlow, settings: VoiceSettings) -> None:
        self.flow = flow
        self.settings = settings
        self._last: Step | None = None
        self._playing: subprocess.Popen[bytes] | None = None
        flow.on_change(self._changed)

    def _changed(self) -> None:
        step = self.flow.step
        if step is self._last:
            return
        self._last = step
        if self.settings.prompts_dir is None:
            return
        prompt = prompt_file(self.settings.prompts_dir, step, self.flow.visit.language)
        if prompt is not None:
            self.play(prompt)

    def announce(self, name: str) -> None:
        """Play the prompt ``name`` (e.g. ``IDLE_PROMPT``) in the visit's language, if recorded."""
        if self.settings.prompts_dir is None:
            return
        language = self.flow.visit.language
        for candidate in (self.settings.prompts_dir / language / f"{name}{PROMPT_SUFFIX}",
                          self.settings.prompts_dir / f"{name}{PROMPT_SUFFIX}"):  # fmt: skip
            if candidate.is_file():
                self.play(candidate)
                return

    def play(self, prompt: Path) -> None:
        """Start the player on ``prompt`` (after stopping a prompt still playing)."""
        self.stop()
        try:
            self._playing = subprocess.Popen(  # noqa: S603 - staff-configured player, no shell
                self.settings.command(prompt),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as err:
            log.warning("voice prompt not played: %s", err.strerror)

    def wait(self, timeout_s: float) -> None:
        """Wait for the current prompt to end (tests, shutdown)."""
        if self._playing is not None:
            self._playing.wait(timeout_s)

    def stop(self) -> None:
        """Cut the current prompt off."""
        playing, self._playing = self._playing, None
        if playing is not None and playing.poll() is None:
            playing.terminate()
            try:
                playing.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                playing.kill()


def attach_voice(flow: VisitFlow, settings: VoiceSettings) -> VoicePrompter | None:
    """A prompter on ``flow`` when voice is configured and can work; None otherwise."""
    if not settings.enabled:
        return None
    if not settings.usable:
        log.warning("voice prompts configured but the prompts folder or the player is missing")
        return None
    return VoicePrompter(flow, settings)
