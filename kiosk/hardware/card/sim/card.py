"""The stateful simulated card: ``SimulatedCard.process(apdu) -> response data + SW1 SW2``.

Transport-independent; ``SimulatedTransport`` (in-process) and ``VpcdCard`` (over pcscd's vpcd
virtual reader) both drive this one object. Behaviour follows card-protocol.md §11.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.hardware.card.apdu import redact
from kiosk.hardware.card.errors import NoCardError
from kiosk.hardware.card.sim import constants as c
from kiosk.hardware.card.sim.command import Command, MalformedApduError
from kiosk.hardware.card.sim.files import Corruption
from kiosk.hardware.card.sim.filesystem import (
    Application,
    BinaryFile,
    FileEntry,
    KeyFile,
    PinFile,
    RecordFile,
)
from kiosk.hardware.card.sim.identity import Identity, resolve
from kiosk.hardware.card.sim.layout import LayoutOptions, build_applications
from kiosk.hardware.card.sim.pki import TestPki
from kiosk.hardware.card.sim.signing import compute_signature
from kiosk.log import TRAFFIC

log = logging.getLogger(__name__)

Response = tuple[bytes, int]
SHORT_RESPONSE_MAX = 256
MIN_PREFIX_SELECT = 5


class SecurityReset(StrEnum):
    """When SELECT of an application forgets verified PINs (UNVERIFIED on real cards, §3.6)."""

    ANY_SELECT = "any_select"  # every SELECT by AID (OpenSC's logout relies on this)
    OTHER_AP = "other_ap"  # only when a different application is selected
    NEVER = "never"  # only reset/power-off


class SimulatedCard:
    """A faithful, stateful My Number card (JPKI AP, 券面事項入力補助AP, card-face AP, ...)."""

    def __init__(
        self,
        identity: Identity,
        pki: TestPki | None = None,
        *,
        t0_get_response: bool = False,
        wrong_le_6cxx: bool = False,
        vanish_after: int | None = None,
        corrupt: Corruption | str | None = None,
        with_token: bool = True,
        token_label: str = c.TOKEN_LABEL_MY_NUMBER,
        security_reset: SecurityReset | str = SecurityReset.ANY_SELECT,
        blocked_sw: int = c.SW_REFERENCE_DATA_BLOCKED,
        extended_length: bool = True,
        pin_per_signature: bool = False,
        first_command_6f00: bool = False,
        short_ef_ids: bool = True,
        status_at: Mapping[int, int] | None = None,
        vanish_during: int | None = None,
        atr: bytes = c.ATR_CONTACT,
    ) -> None:
        self.identity = identity
        self.pki = pki or TestPki.shared()
        self.atr = atr
        self.t0_get_response = t0_get_response
        self.wrong_le_6cxx = wrong_le_6cxx
        self.vanish_after = vanish_after
        self.corrupt = Corruption(corrupt) if corrupt is not None else None
        self.security_reset = SecurityReset(security_reset)
        self.blocked_sw = blocked_sw
        self.extended_length = extended_length
        self.pin_per_signature = pin_per_signature
        #: answer the first APDU after each reset with 6F00 (seen once on a real card, §9)
        self.first_command_6f00 = first_command_6f00
        self._fresh_after_reset = True
        #: accept READ BINARY by short EF id (P1 = 80|SFI); False answers 6A86 like a card without
        self.short_ef_ids = short_ef_ids
        #: APDU index (0-based, as in ``commands``) → SW answered instead of executing the command
        self.status_at = dict(status_at or {})
        #: execute the APDU with this index, then vanish before answering (link lost mid-command)
        self.vanish_during = vanish_during
        self.apps: dict[c.App, Application] = self._build(with_token, token_label)
        # access log (test-only; VERIFY data is kept here on purpose, never logged)
        self.commands: list[bytes] = []
        self.transcript: list[tuple[bytes, bytes]] = []
        self.selected_files: list[tuple[c.App, int | None]] = []
        self.files_read: list[tuple[c.App, int]] = []
        #: (application, EF, offset, bytes returned) of every successful READ BINARY
        self.read_ranges: list[tuple[c.App, int, int, int]] = []
        self.power_ups = 0
        self._lock = threading.RLock()
        self._vanished = False
        self._current_app: Application | None = None
        self._current_ef: FileEntry | None = None
        self._verified: set[tuple[c.App, int]] = set()
        self._pending: bytes = b""

    @classmethod
    def from_file(
        cls, identity: str | Path, pki: TestPki | None = None, **options: Any
    ) -> SimulatedCard:
        """Build from an example name (``"yamada"``) or an identity JSON path."""
        return cls(Identity.load(resolve(identity)), pki, **options)

    def _build(self, with_token: bool, token_label: str) -> dict[c.App, Application]:
        options = LayoutOptions(
            corrupt=self.corrupt, with_token=with_token, token_label=token_label
        )
        return build_applications(self.identity, self.pki, options)

    # -- observation ----------------------------------------------------------------------------
    @property
    def apdu_count(self) -> int:
        """How many command APDUs the card has received (and answered)."""
        return len(self.commands)

    @property
    def vanished(self) -> bool:
        """True once ``vanish_after`` APDUs were answered: the card is gone."""
        return self._vanished

    def pin(self, app: c.App, fid: int) -> PinFile:
        """The PIN reference object (for tests: ``card.pin(App.TEXT, 0x11).tries_left``)."""
        entry = self.apps[app].files[fid]
        if not isinstance(entry, PinFile):
            raise KeyError(f"{app}:{fid:04X} is not a PIN")
        return entry

    def was_selected(self, app: c.App, fid: int | None = None) -> bool:
        """Whether the application (or one EF in it) was ever selected or read by SFI."""
        return (app, fid) in self.selected_files

    def clear_log(self) -> None:
        """Forget the access log (not the card state)."""
        with self._lock:
            self.commands.clear()
            self.transcript.clear()
            self.selected_files.clear()
            self.files_read.clear()
            self.read_ranges.clear()

    # -- power --------------------------------------------------------------------------------
    def reset(self) -> None:
        """Power-on / warm reset: nothing selected, every verified PIN forgotten."""
        with self._lock:
            self._current_app = None
            self._current_ef = None
            self._verified.clear()
            self._pending = b""
            self._fresh_after_reset = True
            self.power_ups += 1

    def revive(self) -> None:
        """Make a vanished card present again (and stop vanishing)."""
        with self._lock:
            self._vanished = False
            self.vanish_after = None
            self.vanish_during = None
            self.reset()

    def admin_reset_pin(self, app: c.App, fid: int, new_value: str | None = None) -> None:
        """Out-of-band reset at the municipal counter: counter back to max, optional new value."""
        with self._lock:
            pin = self.pin(app, fid)
            pin.tries_left = pin.max_tries
            if new_value is not None:
                pin.value = new_value.encode("ascii")

    # -- the APDU interface -------------------------------------------------------------------
    def process(self, apdu: bytes) -> bytes:
        """Answer one command APDU: response data + SW1 SW2 (NoCardError once vanished)."""
        with self._lock:
            if self._vanished:
                raise NoCardError("the simulated card has been removed")
            if self.vanish_after is not None and len(self.commands) >= self.vanish_after:
                self._vanished = True
                raise NoCardError("the simulated card has been removed")
            index = len(self.commands)
            self.commands.append(bytes(apdu))
            if index in self.status_at:
                data, sw = b"", self.status_at[index]
            else:
                data, sw = self._answer(bytes(apdu))
            if index == self.vanish_during:
                self._vanished = True
                raise NoCardError("the simulated card was removed before it could answer")
            response = data + sw.to_bytes(2, "big")
            self.transcript.append((bytes(apdu), response))
            if log.isEnabledFor(TRAFFIC):
                log.log(TRAFFIC, "sim <- %s", redact(apdu))
                log.log(TRAFFIC, "sim -> %d data bytes, SW %04X", len(data), sw)  # data omitted
            return response

    def _answer(self, apdu: bytes) -> Response:
        fresh, self._fresh_after_reset = self._fresh_after_reset, False
        if fresh and self.first_command_6f00:
            return b"", c.SW_NO_PRECISE_DIAGNOSIS
        try:
            cmd = Command.parse(apdu)
        except MalformedApduError:
            self._pending = b""
            return b"", c.SW_WRONG_LENGTH
        if cmd.cla == c.CLA_ISO and cmd.ins == c.Ins.GET_RESPONSE:
            return self._get_response(cmd)
        self._pending = b""
        data, sw = self._dispatch(cmd)
        if self.t0_get_response and data:
            self._pending = data
            return b"", c.SW_BYTES_REMAINING | (min(len(data), SHORT_RESPONSE_MAX) & 0xFF)
        return data, sw

    def _dispatch(self, cmd: Command) -> Response:
        if cmd.cla & c.CLA_CHANNEL_MASK:
            return b"", c.SW_CHANNEL_NOT_SUPPORTED
        if cmd.cla & c.CLA_SM_MASK:
            return b"", c.SW_SM_NOT_SUPPORTED
        handler = self._handlers().get((cmd.cla, cmd.ins))
        if handler is not None:
            return handler(cmd)
        if cmd.cla not in (c.CLA_ISO, c.CLA_PROPRIETARY):
            return b"", c.SW_CLA_NOT_SUPPORTED
        return b"", c.SW_INS_NOT_SUPPORTED

    def _handlers(self) -> dict[tuple[int, int], Callable[[Command], Response]]:
        return {
            (c.CLA_ISO, c.Ins.SELECT): self._select,
            (c.CLA_ISO, c.Ins.READ_BINARY): self._read_binary,
            (c.CLA_ISO, c.Ins.READ_RECORD): self._read_record,
            (c.CLA_ISO, c.Ins.VERIFY): self._verify,
            (c.CLA_ISO, c.Ins.CHANGE_REFERENCE_DATA): self._change_reference_data,
            (c.CLA_ISO, c.Ins.GET_CHALLENGE): self._get_challenge,
            (c.CLA_ISO, c.Ins.GET_DATA): self._get_data,
            (c.CLA_PROPRIETARY, c.Ins.COMPUTE_SIGNATURE): self._compute_signature,
        }

    # -- SELECT -------------------------------------------------------------------------------
    def _select(self, cmd: Command) -> Response:
        if cmd.p2 not in (c.P2_SELECT_NO_FCI, c.P2_SELECT_FCI):
            return b"", c.SW_INCORRECT_P1P2
        if cmd.p1 == c.P1_SELECT_DF_NAME:
            return self._select_df(cmd)
        if cmd.p1 == c.P1_SELECT_EF:
            return self._select_ef(cmd)
        if cmd.p1 == c.P1_SELECT_MF:
            if cmd.data:
                return b"", c.SW_FILE_NOT_FOUND
            if self._current_app is None:
                return b"", c.SW_INCORRECT_P1P2
            return b"", c.SW_OK
        return b"", c.SW_INCORRECT_P1P2

    def _select_df(self, cmd: Command) -> Response:
        if not cmd.data:
            return b"", c.SW_WRONG_LENGTH
        target = next((a for a in self.apps.values() if a.aid == cmd.data), None)
        if target is None and len(cmd.data) >= MIN_PREFIX_SELECT:
            target = next((a for a in self.apps.values() if a.aid.startswith(cmd.data)), None)
        if target is None:
            return b"", c.SW_FILE_NOT_FOUND
        previous = self._current_app
        if self.security_reset is SecurityReset.ANY_SELECT or (
            self.security_reset is SecurityReset.OTHER_AP and previous is not target
        ):
            self._verified.clear()
        self._current_app = target
        self._current_ef = None
        self.selected_files.append((target.app, None))
        if cmd.p2 == c.P2_SELECT_FCI and cmd.le is not None:
            return b"\x6f" + bytes(
                [len(target.aid) + 2, 0x84, len(target.aid)]
            ) + target.aid, c.SW_OK
        return b"", c.SW_OK

    def _select_ef(self, cmd: Command) -> Response:
        if len(cmd.data) != 2:
            return b"", c.SW_WRONG_LENGTH
        app = self._current_app
        fid = int.from_bytes(cmd.data, "big")
        entry = app.files.get(fid) if app is not None else None
        if app is None or entry is None:
            return b"", c.SW_FILE_NOT_FOUND
        self._current_ef = entry
        self.selected_files.append((app.app, fid))
        return b"", c.SW_OK

    # -- READ BINARY / READ RECORD -----------------------------------------------------------
    def _read_binary(self, cmd: Command) -> Response:
        if cmd.data:
            return b"", c.SW_WRONG_LENGTH
        if cmd.p1 & c.P1_READ_BINARY_SFI:
            if cmd.p1 & 0x60 or not self.short_ef_ids:
                return b"", c.SW_INCORRECT_P1P2
            found = self._by_sfi(cmd.p1 & 0x1F)
            if found is None:
                return b"", c.SW_FILE_NOT_FOUND
            offset = cmd.p2
        else:
            offset = (cmd.p1 << 8) | cmd.p2
        ef = self._current_ef
        if ef is None or self._current_app is None:
            return b"", c.SW_NO_CURRENT_EF
        if not isinstance(ef, BinaryFile):
            return b"", c.SW_COMMAND_INCOMPATIBLE
        if not self._unlocked(ef.readable_with):
            return b"", c.SW_SECURITY_STATUS
        if cmd.le is None:
            return b"", c.SW_WRONG_LENGTH
        if cmd.extended and not self.extended_length:
            return b"", c.SW_WRONG_LENGTH
        if offset >= len(ef.content):
            return b"", c.SW_WRONG_P1P2
        available = len(ef.content) - offset
        if self.wrong_le_6cxx and not cmd.extended and cmd.le > min(available, SHORT_RESPONSE_MAX):
            return b"", c.SW_WRONG_LE | (min(available, SHORT_RESPONSE_MAX) & 0xFF)
        self.files_read.append((self._current_app.app, ef.fid))
        data = ef.content[offset : offset + cmd.le]
        self.read_ranges.append((self._current_app.app, ef.fid, offset, len(data)))
        return data, c.SW_OK

    def _by_sfi(self, sfi: int) -> FileEntry | None:
        app = self._current_app
        entry = app.by_sfi(sfi) if app is not None else None
        if app is not None and entry is not None:
            self._current_ef = entry
            self.selected_files.append((app.app, entry.fid))
        return entry

    def _read_record(self, cmd: Command) -> Response:
        if cmd.p2 & 0x07 != 0x04:
            return b"", c.SW_INCORRECT_P1P2
        sfi = cmd.p2 >> 3
        if sfi and self._by_sfi(sfi) is None:
            return b"", c.SW_FILE_NOT_FOUND
        ef = self._current_ef
        if ef is None:
            return b"", c.SW_NO_CURRENT_EF
        if not isinstance(ef, RecordFile):
            return b"", c.SW_COMMAND_INCOMPATIBLE
        if not self._unlocked(ef.readable_with):
            return b"", c.SW_SECURITY_STATUS
        if not 1 <= cmd.p1 <= len(ef.records):
            return b"", c.SW_RECORD_NOT_FOUND
        record = ef.records[cmd.p1 - 1]
        return record[: cmd.le or SHORT_RESPONSE_MAX], c.SW_OK

    # -- PINs -------------------------------------------------------------------------------
    def _key_target(self, p2: int) -> FileEntry | None:
        if p2 == c.P2_KEY_OF_CURRENT_EF:
            return self._current_ef
        app = self._current_app
        if app is not None and p2 & 0x80:
            return app.by_sfi(p2 & 0x1F)
        return None

    def _verify(self, cmd: Command) -> Response:
        if cmd.p1 != 0 or not cmd.p2 & 0x80:
            return b"", c.SW_INCORRECT_P1P2
        target = self._key_target(cmd.p2)
        if target is None or self._current_app is None:
            return b"", c.SW_REFERENCE_NOT_FOUND
        if not isinstance(target, PinFile):
            return b"", c.SW_COMMAND_INCOMPATIBLE
        key = (self._current_app.app, target.fid)
        if cmd.case == 2:
            return b"", c.SW_WRONG_LENGTH
        if cmd.case == 1:
            return b"", c.SW_VERIFY_FAILED | max(target.tries_left, 0)
        if target.blocked:
            return b"", self.blocked_sw
        if cmd.data == target.value:
            target.tries_left = target.max_tries
            self._verified.add(key)
            return b"", c.SW_OK
        target.tries_left -= 1
        self._verified.discard(key)
        return b"", c.SW_VERIFY_FAILED | target.tries_left

    def _change_reference_data(self, cmd: Command) -> Response:
        if cmd.p1 != c.P1_CHANGE_REFERENCE_NEW_ONLY or not cmd.p2 & 0x80:
            return b"", c.SW_INCORRECT_P1P2
        target = self._key_target(cmd.p2)
        if target is None or self._current_app is None:
            return b"", c.SW_REFERENCE_NOT_FOUND
        if not isinstance(target, PinFile):
            return b"", c.SW_COMMAND_INCOMPATIBLE
        if not cmd.data:
            return b"", c.SW_WRONG_LENGTH
        if target.blocked:
            return b"", self.blocked_sw
        if (self._current_app.app, target.fid) not in self._verified:
            return b"", c.SW_SECURITY_STATUS
        if not target.acceptable(cmd.data):
            return b"", c.SW_WRONG_DATA
        target.value = cmd.data
        return b"", c.SW_OK

    def _unlocked(self, pins: frozenset[int]) -> bool:
        app = self._current_app
        if not pins:
            return True
        return app is not None and any((app.app, fid) in self._verified for fid in pins)

    # -- signing ----------------------------------------------------------------------------
    def _compute_signature(self, cmd: Command) -> Response:
        app = self._current_app
        if app is None:
            return b"", c.SW_CONDITIONS_NOT_SATISFIED
        if cmd.p2 == 0x00:
            target = app.files.get(app.default_key) if app.default_key is not None else None
            if target is None:
                return b"", c.SW_INCORRECT_P1P2
        elif cmd.p2 & 0x80:
            target = self._key_target(cmd.p2)
        else:
            return b"", c.SW_INCORRECT_P1P2
        if target is None:
            return b"", c.SW_REFERENCE_NOT_FOUND
        if not isinstance(target, KeyFile):
            return b"", c.SW_COMMAND_INCOMPATIBLE
        if not self._unlocked(target.unlocked_by):
            return b"", c.SW_SECURITY_STATUS
        if not cmd.data or len(cmd.data) > c.MAX_SIGN_INPUT:
            return b"", c.SW_WRONG_LENGTH
        result = compute_signature(target.key, cmd.p1, cmd.data)
        if isinstance(result, int):
            return b"", result
        if self.pin_per_signature:
            for fid in target.unlocked_by:
                self._verified.discard((app.app, fid))
        return result, c.SW_OK

    # -- misc -------------------------------------------------------------------------------
    def _get_response(self, cmd: Command) -> Response:
        if not self._pending:
            return b"", c.SW_CONDITIONS_NOT_SATISFIED
        n = cmd.le or SHORT_RESPONSE_MAX
        chunk, self._pending = self._pending[:n], self._pending[n:]
        if self._pending:
            return chunk, c.SW_BYTES_REMAINING | (
                min(len(self._pending), SHORT_RESPONSE_MAX) & 0xFF
            )
        return chunk, c.SW_OK

    def _get_challenge(self, cmd: Command) -> Response:
        if cmd.extended:
            return b"", c.SW_CONDITIONS_NOT_SATISFIED
        if cmd.le is None or cmd.data:
            return b"", c.SW_WRONG_LENGTH
        return os.urandom(cmd.le), c.SW_OK

    def _get_data(self, cmd: Command) -> Response:
        if (cmd.p1, cmd.p2) == (0x5F, 0x51):
            return self.atr[1:], c.SW_OK
        return b"", c.SW_REFERENCE_NOT_FOUND


class GenericCard(SimulatedCard):
    """A smart card that is not a My Number card: it has no application at all (SELECT → 6A82)."""

    def __init__(self, identity: Identity | None = None, **options: Any) -> None:
        from kiosk.hardware.card.sim.identity import example_path

        ident = identity or Identity.load(example_path("yamada"))
        options.setdefault("atr", bytes.fromhex("3B8F8001804F0CA000000306030001000000006A"))
        super().__init__(ident, **options)

    def _build(self, with_token: bool, token_label: str) -> dict[c.App, Application]:  # noqa: ARG002
        return {}
