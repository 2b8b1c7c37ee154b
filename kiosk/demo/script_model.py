"""Scripted visits as data: the script file, what a run observed, the keys that type a text."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ScriptError(Exception):
    """The visit did not go as the script expects."""


@dataclass
class VisitScript:
    """A parsed script file."""

    name: str
    steps: list[dict[str, Any]]
    end: str
    language: str | None = None

    @classmethod
    def load(cls, path: Path) -> VisitScript:
        """Read and shape-check a script."""
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
            raise ScriptError(f"{path}: expected an object with a 'steps' list")
        return cls(
            name=str(raw.get("name", path.stem)),
            steps=[dict(s) for s in raw["steps"]],
            end=str(raw.get("end", "welcome")),
            language=raw.get("language"),
        )


@dataclass
class RunResult:
    """What a scripted run observed."""

    touches: int = 0
    #: the screen each touch landed on, in order (the touch benchmark's breakdown)
    touch_screens: list[str] = field(default_factory=list)
    screenshots: list[str] = field(default_factory=list)
    overflow: list[str] = field(default_factory=list)
    failure: str = ""
    screens: list[str] = field(default_factory=list)
    rss_mb: list[float] = field(default_factory=list)
    #: RSS once the app has handed the finished visit's memory back (0.0 if the run failed)
    steady_rss_mb: float = 0.0
    #: the private (anonymous) part of it: no shared library pages
    steady_rss_anon_mb: float = 0.0


_SMALL_TO_BASE = dict(zip("ァィゥェォッャュョヮ", "アイウエオツヤユヨワ", strict=True))
_MARK_KEYS = {"\u3099": "゛", "\u309a": "゜"}


def keys_for(text: str) -> list[str]:
    """The key presses that type ``text`` on the on-screen keyboard (ダ = タ + ゛, ッ = ツ + 小)."""
    keys: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if char in _MARK_KEYS:
            keys.append(_MARK_KEYS[char])
        elif char in _SMALL_TO_BASE:
            keys += [_SMALL_TO_BASE[char], "小"]
        else:
            keys.append(char)
    return keys


def touches_by_screen(screens: list[str]) -> list[tuple[str, int]]:
    """Consecutive touches on the same screen counted together: ``[("pin", 4), ...]``."""
    out: list[tuple[str, int]] = []
    for screen in screens:
        if out and out[-1][0] == screen:
            out[-1] = (screen, out[-1][1] + 1)
        else:
            out.append((screen, 1))
    return out
