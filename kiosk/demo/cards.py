"""Simulated card holders for the demo: examples/cards and examples/visits/cards."""

from __future__ import annotations

from pathlib import Path

from kiosk.hardware.card.sim import GenericCard, Identity, SimulatedCard, TestPki

REPO = Path(__file__).resolve().parents[2]
CARD_DIRS = (REPO / "examples" / "cards", REPO / "examples" / "visits" / "cards")
#: the name scripts use for a smart card that is not a My Number card
OTHER_CARD = "other"


def identity_path(name: str) -> Path:
    """The JSON file of a named identity (``yamada``, ``yamada_hanako``…) or a path."""
    candidate = Path(name)
    if candidate.suffix == ".json":
        return candidate
    for folder in CARD_DIRS:
        path = folder / f"{name}.json"
        if path.exists():
            return path
    raise FileNotFoundError(f"no card identity called {name!r}")


def make_card(name: str, pki: TestPki | None = None) -> SimulatedCard:
    """A fresh simulated card for ``name`` (``other`` = a card that is no My Number card)."""
    if name == OTHER_CARD:
        return GenericCard()
    return SimulatedCard(Identity.load(identity_path(name)), pki or TestPki.shared())


def card_names() -> list[str]:
    """Every identity the demo knows."""
    return sorted(p.stem for folder in CARD_DIRS for p in folder.glob("*.json"))
