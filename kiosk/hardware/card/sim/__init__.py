"""A simulated My Number card for tests and the demo (card-protocol.md §11).

``SimulatedCard(identity)`` is a stateful card with the JPKI AP (token, four certificates, auth and
sign PINs/keys, ``80 2A`` signatures), the 券面事項入力補助AP (PIN 0011, My Number, 基本4情報 with
offset table and filler, integrity record, CV certificate, AP info), a minimal 券面事項確認AP and
the common/juki APs. ``card.process(apdu) -> data + SW1 SW2`` is transport-independent; it records
``card.commands``, ``card.selected_files`` and ``card.files_read`` so tests can prove, for example,
that the My Number EF was never selected. Quirk modes: ``t0_get_response`` (61xx + GET RESPONSE),
``wrong_le_6cxx``, ``vanish_after=N`` (pulled out before APDU N), ``vanish_during=N`` (APDU N is
executed, then the card is gone before answering), ``status_at={N: sw}`` (a transient error
instead of executing APDU N), ``short_ef_ids=False``, ``first_command_6f00``,
``extended_length=False``,
``corrupt=Corruption...`` data faults, ``with_token=False`` / ``token_label=...``. Choices where
real cards are UNVERIFIED are options: ``security_reset`` (default: any SELECT by AID forgets
verified PINs), ``blocked_sw`` (default 6984, alternative 6983), ``pin_per_signature``.
``GenericCard`` is a card with no My Number applications.

Transports: ``SimulatedTransport(card)`` in-process; ``VpcdCard(card).start()`` inside pcscd's
"Virtual PCD 00 00" reader; ``python -m kiosk.hardware.card.sim --identity yamada`` as a process.
Keys and certificates come from ``TestPki`` (generated once per seed, cached on disk).
"""

from __future__ import annotations

from kiosk.hardware.card.sim.card import GenericCard, SecurityReset, SimulatedCard
from kiosk.hardware.card.sim.constants import App
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.identity import Identity, IdentityError, Sex, example_path, resolve
from kiosk.hardware.card.sim.pki import TestPki
from kiosk.hardware.card.sim.transport import SimulatedTransport
from kiosk.hardware.card.sim.vpcd import VpcdCard

__all__ = [
    "App",
    "Corruption",
    "GenericCard",
    "Identity",
    "IdentityError",
    "SecurityReset",
    "Sex",
    "SimulatedCard",
    "SimulatedTransport",
    "TestPki",
    "VpcdCard",
    "example_path",
    "resolve",
]
