"""A PIN is sent at most once: no VERIFY is repeated after a lost link or a transient error.

Asserted at the card itself (its command log and retry counter), in-process and through
pcscd + vpcd. ``vanish_during`` makes the card execute the VERIFY (and count the try) and vanish
before its answer leaves — the case where the reader cannot know whether the try was counted.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.hardware.card.errors import ApduError, NoCardError
from kiosk.hardware.card.my_number_card import MyNumberCard
from kiosk.hardware.card.sim import App, SimulatedCard, SimulatedTransport, TestPki
from tests.contract.card.conftest import Rig

MakeRig = Callable[..., Rig]
TEXT_PIN = 0x11


def pin_verifies(card: SimulatedCard) -> list[bytes]:
    """VERIFY commands that carried a PIN (not the 4-byte tries query)."""
    return [c for c in card.commands if c[1] == 0x20 and len(c) > 4]


@pytest.fixture(scope="module")
def verify_index(test_pki: TestPki) -> int:
    """Index of the PIN VERIFY in an ordinary ``read`` (from a reference run)."""
    card = SimulatedCard.from_file("yamada", test_pki)
    MyNumberCard(SimulatedTransport(card, reset=True)).read_resident("1234")
    return card.commands.index(pin_verifies(card)[0])


@pytest.mark.parametrize(("pin", "tries_after"), [("9999", 2), ("1234", 3)])
def test_card_pulled_out_during_verify_is_no_card_and_the_pin_is_not_resent(
    make_rig: MakeRig, verify_index: int, pin: str, tries_after: int
) -> None:
    rig = make_rig("yamada", vanish_during=verify_index)
    with pytest.raises(NoCardError):
        rig.run(lambda card: card.read_resident(pin))
    assert rig.card.vanished
    assert len(pin_verifies(rig.card)) == 1
    assert rig.card.pin(App.TEXT, TEXT_PIN).tries_left == tries_after  # the card did count it
    rig.reinsert()
    status = rig.run(MyNumberCard.pin_status)
    assert status.text_pin_tries == tries_after
    assert len(pin_verifies(rig.card)) == 1  # re-inserting did not replay the PIN either


@pytest.mark.parametrize("sw", [0x6F00, 0x6581, 0x6C04, 0x6400])
def test_a_transient_error_answering_verify_is_a_card_error_and_never_retried(
    make_rig: MakeRig, verify_index: int, sw: int
) -> None:
    rig = make_rig("yamada", status_at={verify_index: sw})
    with pytest.raises(ApduError) as info:
        rig.run(lambda card: card.read_resident("1234"))
    assert (info.value.sw, info.value.code) == (sw, "card_error")
    assert len(pin_verifies(rig.card)) == 1
    assert rig.card.commands[-1] == pin_verifies(rig.card)[0]  # nothing after it either
    assert rig.card.pin(App.TEXT, TEXT_PIN).tries_left == 3
