"""Wiring of the flow with its services (shared by the app, the demo and the tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.flows.card_service import CardService
from kiosk.flows.core import FlowSettings, VisitFlow
from kiosk.flows.paper import FilingSubmitter, PaperService
from kiosk.flows.readers import CardReader
from kiosk.flows.staff_defaults import load_defaults
from kiosk.flows.worker import Post
from kiosk.forms.master import AddressMaster
from kiosk.hardware.printer.port import PrinterPort
from server_sync.config import SyncSettings

if TYPE_CHECKING:
    from kiosk.flows.voice import VoicePrompter, VoiceSettings
    from kiosk.hardware.card.trust import TrustStore


@dataclass(slots=True)
class Kiosk:
    """The flow and the services it drives."""

    flow: VisitFlow
    card: CardService
    paper: PaperService
    master: AddressMaster
    sync: SyncSettings
    voice: VoicePrompter | None = None

    def stop(self) -> None:
        """Stop the worker threads and close the master."""
        if self.voice is not None:
            self.voice.stop()
        self.card.stop()
        self.paper.stop()
        self.master.close()


def assemble(
    *,
    reader: CardReader,
    printer: PrinterPort,
    master_path: Path,
    sync: SyncSettings,
    post: Post,
    settings: FlowSettings | None = None,
    trust: TrustStore | Callable[[], TrustStore | None] | None = None,
    archive_dir: Path | None = None,
    voice: VoiceSettings | None = None,
) -> Kiosk:
    """Build the services and the flow around them."""
    master = AddressMaster.open(master_path)
    flow_settings = settings or FlowSettings()
    if not flow_settings.ward_code:
        flow_settings.ward_code = master.ward_code
    card = CardService(reader, post, trust=trust)
    paper = PaperService(printer, FilingSubmitter(sync), post, archive_dir=archive_dir)
    saved = load_defaults(sync.state_dir)
    if saved.language is not None:
        flow_settings.default_language = saved.language
    if saved.counter is not None:
        flow_settings.counter = saved.counter
    flow = VisitFlow(card=card, paper=paper, master=master, settings=flow_settings)
    flow.staff.defaults_dir = sync.state_dir
    prompter = None
    if voice is not None:  # the spoken prompts: imported only for a stand configured with them
        from kiosk.flows.voice import attach_voice

        prompter = attach_voice(flow, voice)
    return Kiosk(flow=flow, card=card, paper=paper, master=master, sync=sync, voice=prompter)
