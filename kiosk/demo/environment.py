"""Demo wiring: state folder, sample master, folder printer, simulated hotplug and card reader.

The card goes through the machine's pcscd + vpcd ("Virtual PCD 00 00") when that reader is
available, otherwise through the in-process simulated reader.
"""

from __future__ import annotations

import logging
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.demo.pcsc_stack import PcscLock, pcscd_binary, pcscd_command
from kiosk.flows.readers import CardReader, PcscReader, SimulatedReader
from kiosk.hardware.hotplug import DeviceKind, DeviceStateTracker
from kiosk.hardware.hotplug.monitor import start_tracking
from kiosk.hardware.hotplug.simulator import SimulatedHotplugSource
from kiosk.hardware.printer.folder import FolderPrinter
from server_sync.config import SyncSettings

if TYPE_CHECKING:
    # the local intake (HTTP stack) is imported only when the demo runs one, the card
    # simulator and its test PKI (cryptography) when the first card is placed
    from kiosk.demo.intake import LocalIntake
    from kiosk.hardware.card.sim import SimulatedCard, TestPki, VpcdCard

log = logging.getLogger(__name__)

VPCD_READER = "Virtual PCD 00 00"
VPCD_PORT = 35963
#: longer than pcscd's 0.4 s presence poll, so a swap is seen as removal + insertion
PCSCD_SETTLE_S = 0.6
PCSCD_START_S = 10.0
DEMO_KIOSK_ID = "demo-kiosk"
UNREACHABLE_INTAKE = "https://127.0.0.1:9"


class PcscUnavailableError(RuntimeError):
    """``--reader pcsc`` was asked for but pcscd + vpcd cannot be used (the reason is the text)."""

    code = "demo_pcsc_unavailable"


def _pcsc_running() -> bool:
    from kiosk.hardware.card.errors import ReaderUnavailableError

    try:
        from kiosk.hardware.card import pcsc

        pcsc.list_readers()
    except (ReaderUnavailableError, ImportError):
        return False
    return True


def _pcsc_readers() -> list[str]:
    from kiosk.hardware.card.errors import ReaderUnavailableError

    try:
        from kiosk.hardware.card import pcsc

        return pcsc.list_readers()
    except (ReaderUnavailableError, ImportError):
        return []


class CardSlot:
    """Where the demo puts simulated cards: vpcd (real pcscd) or the in-process reader."""

    def __init__(self, mode: str, pki: TestPki | None = None, lock: PcscLock | None = None) -> None:
        self._pki = pki
        self.mode = mode
        self.current: SimulatedCard | None = None
        self._vpcd: VpcdCard | None = None
        self._pcscd: subprocess.Popen[bytes] | None = None
        self._lock = lock or PcscLock()
        #: one line for the console: which path the cards take and why
        self.description = ""
        self.sim = SimulatedReader()
        if mode == "sim":
            self.description = "cards in the in-process simulated reader (--reader sim)"
        else:
            why = self._take_pcsc()
            if why and mode == "pcsc":
                raise PcscUnavailableError(why)
            self.mode = "sim" if why else "pcsc"
            self.description = (
                f"cards in the in-process simulated reader ({why})"
                if why
                else f"cards through pcscd + vpcd ({VPCD_READER})"
            )
        log.info("demo card reader: %s", self.mode)

    def _take_pcsc(self) -> str:
        """Hold the machine's PC/SC lock and a pcscd with vpcd; '' or why not."""
        if pcscd_binary() is None:
            return "pcscd or vsmartcard-vpcd is not installed"
        if not self._lock.acquire():
            return f"another process uses pcscd + vpcd: {self._lock.path} is held"
        why = self._ensure_pcscd()
        if why:
            self._lock.release()
        return why

    def _ensure_pcscd(self) -> str:
        if VPCD_READER in _pcsc_readers():
            return ""
        if _pcsc_running():
            return f"a pcscd without the {VPCD_READER!r} reader is running"
        binary = pcscd_binary()
        if binary is None:
            return "pcscd or vsmartcard-vpcd is not installed"
        try:
            self._pcscd = subprocess.Popen(  # noqa: S603 - the installed pcscd, probed options
                pcscd_command(binary),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError as err:
            return f"pcscd did not start: {err.strerror}"
        deadline = time.monotonic() + PCSCD_START_S
        while time.monotonic() < deadline:
            if VPCD_READER in _pcsc_readers():
                return ""
            if self._pcscd.poll() is not None:
                break
            time.sleep(0.1)
        self._stop_pcscd()
        return f"pcscd started but did not list {VPCD_READER!r}"

    @property
    def pki(self) -> TestPki:
        """The simulated cards' PKI (built or loaded from its cache when first needed)."""
        if self._pki is None:
            from kiosk.hardware.card.sim import TestPki

            self._pki = TestPki.shared()
        return self._pki

    def reader(self) -> CardReader:
        """The reader the kiosk polls."""
        return PcscReader(VPCD_READER) if self.mode == "pcsc" else self.sim

    def insert(self, name: str) -> SimulatedCard:
        """Place the named card (any card already there is taken away first)."""
        if self.current is not None:
            self.remove()
        from kiosk.demo.cards import make_card

        card = make_card(name, self.pki)
        self.current = card
        if self.mode == "pcsc":
            from kiosk.hardware.card.sim import VpcdCard

            self._vpcd = VpcdCard(card, port=VPCD_PORT).start()
            self._vpcd.wait_powered(5.0)
        else:
            self.sim.insert(card)
        return card

    def remove(self) -> None:
        """Take the card away."""
        self.current = None
        if self._vpcd is not None:
            self._vpcd.remove()
            self._vpcd.stop()
            self._vpcd = None
            time.sleep(PCSCD_SETTLE_S)
        self.sim.remove()

    def close(self) -> None:
        """Remove the card, stop a pcscd started here, give the PC/SC lock back."""
        self.remove()
        self._stop_pcscd()
        self._lock.release()

    def _stop_pcscd(self) -> None:
        if self._pcscd is not None:
            self._pcscd.terminate()
            try:
                self._pcscd.wait(5)
            except subprocess.TimeoutExpired:
                self._pcscd.kill()
            self._pcscd = None


@dataclass
class DemoEnvironment:
    """Everything the demo app runs on, under one folder."""

    root: Path
    reader_mode: str = "auto"
    with_intake: bool = False
    pki: TestPki | None = None

    def __post_init__(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.state_dir = self.root / "state"
        self.print_dir = self.root / "printed"
        self.master_path = self.state_dir / "master.sqlite"
        if not self.master_path.exists():
            self.state_dir.mkdir(parents=True, exist_ok=True)
            from kiosk.forms.master.sample_data import build_sample_master

            build_sample_master(self.master_path)
        self.intake: LocalIntake | None = None
        intake_url = UNREACHABLE_INTAKE  # no central link: the outbox keeps the filings
        if self.with_intake:
            from kiosk.demo.intake import LocalIntake

            self.intake = LocalIntake(self.root, self.state_dir, DEMO_KIOSK_ID)
            self.intake.start()
            intake_url = self.intake.url
        self.sync = SyncSettings(
            state_dir=self.state_dir, kiosk_id=DEMO_KIOSK_ID, intake_url=intake_url
        )
        self.printer = FolderPrinter(self.print_dir)
        self.cards = CardSlot(self.reader_mode, self.pki)
        self.hotplug = SimulatedHotplugSource()
        self.tracker: DeviceStateTracker = start_tracking(self.hotplug)

    def unplug(self, kind: str) -> None:
        """Pull the reader or the printer out (simulated udev event)."""
        self.hotplug.unplug(DeviceKind(kind))
        if kind == "reader":
            self.cards.sim.attached = False

    def replug(self, kind: str) -> None:
        """Plug it back in."""
        self.hotplug.replug(DeviceKind(kind))
        if kind == "reader":
            self.cards.sim.attached = True

    def close(self) -> None:
        """Stop what the environment started."""
        self.cards.close()
        if self.intake is not None:
            self.intake.stop()
