"""The simulator's fault modes used by the reader's safety tests: each does what it says."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kiosk.hardware.card.errors import NoCardError
from kiosk.hardware.card.sim import App, SimulatedCard
from kiosk.hardware.card.sim import constants as c

from .apdus import ok, read_binary, run, select_ap, select_ef, verify

MakeCard = Callable[..., SimulatedCard]
READ_TOKEN_BY_SHORT_EF_ID = bytes.fromhex("00B0860020")


def _to_text_pin(card: SimulatedCard) -> None:
    ok(card, select_ap(c.AID_TEXT))
    ok(card, select_ef(c.EF_TEXT_PIN))


def test_status_at_answers_the_sw_without_executing_the_command(make_card: MakeCard) -> None:
    card = make_card("yamada", status_at={2: 0x6F00})
    _to_text_pin(card)
    assert run(card, verify("0000")) == (b"", 0x6F00)
    assert card.pin(App.TEXT, c.EF_TEXT_PIN).tries_left == 3  # not counted
    assert run(card, verify("0000")) == (b"", 0x63C2)  # index 3 executes normally
    assert len(card.commands) == 4


def test_vanish_during_executes_then_vanishes_without_answering(make_card: MakeCard) -> None:
    card = make_card("yamada", vanish_during=2)
    _to_text_pin(card)
    with pytest.raises(NoCardError):
        card.process(verify("0000"))
    assert card.vanished
    assert card.pin(App.TEXT, c.EF_TEXT_PIN).tries_left == 2  # the try was counted
    assert card.transcript[-1][0] == select_ef(c.EF_TEXT_PIN)  # no answer was recorded for it
    with pytest.raises(NoCardError):
        card.process(select_ap(c.AID_TEXT))
    card.revive()
    _to_text_pin(card)
    assert run(card, verify(None)) == (b"", 0x63C2)  # revived for good, the counter kept


def test_short_ef_ids_can_be_refused(make_card: MakeCard) -> None:
    plain, refusing = make_card("yamada"), make_card("yamada", short_ef_ids=False)
    for card in (plain, refusing):
        ok(card, select_ap(c.AID_JPKI))
    assert run(plain, READ_TOKEN_BY_SHORT_EF_ID)[0].startswith(b"JPKIAPICCTOKEN2 ")
    assert run(refusing, READ_TOKEN_BY_SHORT_EF_ID) == (b"", c.SW_INCORRECT_P1P2)
    ok(refusing, select_ef(c.EF_JPKI_TOKEN))
    assert ok(refusing, read_binary(0, 32)).startswith(b"JPKIAPICCTOKEN2 ")
