"""The card rig: the same simulated card reached in-process or through pcscd + vpcd."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kiosk.hardware.card import pcsc
from kiosk.hardware.card.my_number_card import MyNumberCard
from kiosk.hardware.card.sim import SimulatedCard, SimulatedTransport, TestPki
from kiosk.hardware.card.transport import CardTransport
from kiosk.hardware.card.trust import TrustStore


@dataclass
class Rig:
    """A card under test: its simulator object (for the access log) and a way to connect."""

    kind: str
    card: SimulatedCard
    connect: Callable[[], CardTransport]
    dispose: Callable[[], None] = lambda: None
    reinsert: Callable[[], None] = lambda: None

    def session(self) -> tuple[CardTransport, MyNumberCard]:
        transport = self.connect()
        return transport, MyNumberCard(transport)

    def run(self, operation: Callable[[MyNumberCard], Any]) -> Any:
        """Open a connection (a fresh power-up), run one facade operation, close."""
        transport, card = self.session()
        with transport:
            return operation(card)


@pytest.fixture(autouse=True)
def _no_state_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The reader's default CV-certificate cache lives in $KIOSK_STATE_DIR: a folder that does
    not exist here, so every read starts cold unless a test sets up a state folder."""
    monkeypatch.setenv("KIOSK_STATE_DIR", str(tmp_path / "no-state-folder"))


@pytest.fixture(scope="session")
def trust(trust_dir: Path) -> TrustStore:
    return TrustStore.load(trust_dir)


@pytest.fixture(params=["inprocess", pytest.param("pcsc", marks=pytest.mark.pcsc)])
def make_rig(request: pytest.FixtureRequest, test_pki: TestPki) -> Callable[..., Rig]:
    """``make_rig(identity, **card_options)`` → a Rig; parametrised over both transports."""

    def make(
        identity: str = "yamada",
        *,
        card_class: Callable[..., SimulatedCard] = SimulatedCard,
        **options: Any,
    ) -> Rig:
        if card_class is SimulatedCard:
            card = SimulatedCard.from_file(identity, test_pki, **options)
        else:
            card = card_class(pki=test_pki, **options)
        if request.param == "inprocess":
            return Rig(
                "inprocess",
                card,
                lambda: SimulatedTransport(card, reset=True),
                reinsert=card.revive,
            )
        stack = request.getfixturevalue("pcsc_stack")
        handle = request.getfixturevalue("virtual_card")(card=card)
        # handle.stop() frees the slot; the fixture lets pcscd settle before the next card
        return Rig(
            "pcsc",
            handle.card,
            lambda: pcsc.connect(stack.reader_name),
            handle.stop,
            reinsert=handle.insert,
        )

    return make
