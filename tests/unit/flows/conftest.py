"""A headless kiosk: in-process simulated reader, MemoryPrinter, temp outbox and sample master."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.flows.assembly import Kiosk, assemble
from kiosk.flows.readers import SimulatedReader
from kiosk.flows.steps import Step
from kiosk.flows.worker import CallbackQueue
from kiosk.forms.master.sample_data import build_sample_master
from kiosk.forms.model import FilingKind
from kiosk.hardware.card.sim import Identity, SimulatedCard, TestPki
from kiosk.hardware.card.sim.identity import resolve
from kiosk.hardware.printer.memory import MemoryPrinter
from server_sync.config import SyncSettings


@dataclass
class Harness:
    """The kiosk plus its simulated devices and the UI-thread queue."""

    kiosk: Kiosk
    reader: SimulatedReader
    printer: MemoryPrinter
    ui: CallbackQueue
    pki: TestPki

    def card(self, name: str, **options: object) -> SimulatedCard:
        """A simulated card for an example identity."""
        return SimulatedCard(Identity.load(resolve(name)), self.pki, **options)  # type: ignore[arg-type]

    def place(self, name: str, **options: object) -> SimulatedCard:
        """Put a card on the reader and let the flow notice it."""
        card = self.card(name, **options)
        self.reader.insert(card)
        self.kiosk.card.poll_now()
        self.settle()
        return card

    def take(self) -> None:
        """Take the card off the reader."""
        self.reader.remove()
        self.kiosk.card.poll_now()
        self.settle()

    def read_holder(self, kind: FilingKind, card: str = "yamada", pin: str = "1234") -> None:
        """Choose ``kind``, place the holder's card and enter the PIN (转出: "in Japan")."""
        flow = self.kiosk.flow
        flow.start()
        flow.choose_procedure(kind)
        self.place(card)
        flow.card_steps.submit_pin(pin)
        self.settle()
        if kind is FilingKind.MOVE_OUT and flow.step is Step.MOVE_ABROAD:
            flow.abroad.answer(False)  # the destination is in Japan: its keyboard next

    def pick_address(self, katagaki: str = "新宿ハイツ302") -> None:
        """新宿三丁目5番2号 on the picker, then the 方書 (a house: "" and no keyboard)."""
        flow = self.kiosk.flow
        for key in ("新宿", "0020003", "5"):
            flow.address.pick(key)
        if flow.address.has_building != bool(katagaki):  # the 方書 choice on the 号 level
            flow.address.toggle_building()
        flow.address.pick("2")
        if katagaki:
            flow.text.done(katagaki)

    def settle(self, until: object = None) -> None:
        """Run UI callbacks until the flow is idle."""
        flow = self.kiosk.flow
        assert self.ui.pump(lambda: not flow.busy and self.ui._queue.empty(), 20)


@pytest.fixture(scope="session")
def sample_master(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("master") / "master.sqlite"
    build_sample_master(path)
    return path


@pytest.fixture
def harness(tmp_path: Path, sample_master: Path) -> Iterator[Harness]:
    ui = CallbackQueue()
    reader = SimulatedReader()
    printer = MemoryPrinter()
    sync = SyncSettings(
        state_dir=tmp_path / "state", kiosk_id="kiosk-test-01", intake_url="https://127.0.0.1:9"
    )
    kiosk = assemble(
        reader=reader, printer=printer, master_path=sample_master, sync=sync, post=ui.post
    )
    yield Harness(kiosk, reader, printer, ui, TestPki.shared())
    kiosk.stop()
