"""The staged rollout of a published update, shared by the stand (``kiosk.tech update-fetch``)
and the console's fleet view: which kiosks take a version now, and what each kiosk's state is.

``channel.json`` (docs/appliance.md "Updates"): ``{"version", "bundle", "sha256", "rollout":
{"kiosks": [...], "share": 0.25}}``. A kiosk takes the version when listed, or when its stable
bucket ``sha256(version, kiosk id)`` is below the share (raising the share only adds kiosks).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

MAX_CHANNEL_BYTES = 64 * 1024


def rollout_bucket(kiosk_id: str, version: str) -> float:
    """A stable number in [0, 1) per kiosk and version: the first ``share`` of kiosks get it."""
    digest = hashlib.sha256(f"{version}\0{kiosk_id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def chosen(kiosk_id: str, version: str, kiosks: tuple[str, ...], share: float) -> bool:
    """Whether ``kiosk_id`` takes ``version`` now."""
    return kiosk_id in kiosks or rollout_bucket(kiosk_id, version) < share


@dataclass(frozen=True, slots=True)
class Published:
    """The published version and its rollout, as the fleet view reads it."""

    version: str
    kiosks: tuple[str, ...]
    share: float

    def includes(self, kiosk_id: str) -> bool:
        """Whether this kiosk is in the rollout."""
        return chosen(kiosk_id, self.version, self.kiosks, self.share)


class RolloutState(StrEnum):
    """One kiosk against the published version."""

    CURRENT = "current"  # runs the published version
    PENDING = "pending"  # in the rollout, not running it yet (fetch, trial or rolled back)
    WAITING = "waiting"  # not in the rollout yet
    UNKNOWN = "unknown"  # the kiosk has not reported its image version


def read_published(path: Path) -> Published | None:
    """The channel file at ``path``, or None when absent or not a valid channel."""
    try:
        raw = json.loads(path.read_bytes()[:MAX_CHANNEL_BYTES])
        rollout = raw.get("rollout", {})
        published = Published(
            version=str(raw["version"]),
            kiosks=tuple(str(k) for k in rollout.get("kiosks", [])),
            share=float(rollout.get("share", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return published if 0.0 <= published.share <= 1.0 and published.version else None


def rollout_state(published: Published, kiosk_id: str, image_version: str | None) -> RolloutState:
    """Where ``kiosk_id`` stands with the published update."""
    if image_version == published.version:
        return RolloutState.CURRENT
    if image_version is None:
        return RolloutState.UNKNOWN
    return RolloutState.PENDING if published.includes(kiosk_id) else RolloutState.WAITING
