"""The pyscard adapter against real pcscd + vpcd: reader choice, presence, ATR, removal."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.hardware.card import apdu, jpki, pcsc
from kiosk.hardware.card.errors import CardRemovedError, NoCardError, ReaderUnavailableError

pytestmark = pytest.mark.pcsc


def test_lists_both_vpcd_readers(pcsc_stack: Any) -> None:
    names = pcsc.list_readers()
    assert pcsc_stack.reader(0) in names and pcsc_stack.reader(1) in names


def test_presence_follows_insert_and_remove(pcsc_stack: Any, virtual_card: Any) -> None:
    assert not pcsc.is_card_present(pcsc_stack.reader_name)
    handle = virtual_card("yamada")
    assert pcsc.is_card_present(pcsc_stack.reader_name)
    handle.remove()
    assert not pcsc.is_card_present(pcsc_stack.reader_name)


def test_default_reader_is_the_first_one_holding_a_card(pcsc_stack: Any, virtual_card: Any) -> None:
    handle = virtual_card("yamada", slot=1)
    with pcsc.connect() as transport:
        assert transport.reader_name == pcsc_stack.reader(1)
        assert transport.atr == handle.card.atr
        data, sw = transport.transmit(apdu.select_df(jpki.JPKI_AID))
    assert (data, sw) == (b"", 0x9000)
    assert handle.card.commands[-1] == apdu.select_df(jpki.JPKI_AID)


def test_substring_selects_the_reader_even_when_empty(pcsc_stack: Any, virtual_card: Any) -> None:
    virtual_card("yamada", slot=1)
    with pytest.raises(NoCardError):
        pcsc.connect(pcsc_stack.reader(0))
    with pytest.raises(ReaderUnavailableError):
        pcsc.connect("no such reader")


def test_removal_mid_session_is_card_removed(pcsc_stack: Any, virtual_card: Any) -> None:
    handle = virtual_card("yamada")
    transport = pcsc.connect(pcsc_stack.reader_name)
    transport.transmit(apdu.select_df(jpki.JPKI_AID))
    handle.remove()
    with pytest.raises(CardRemovedError):
        transport.transmit(apdu.select_df(jpki.JPKI_AID))
    transport.close()
    transport.close()  # safe twice
