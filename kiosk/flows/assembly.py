"""Wiring of the flow with its services (shared by the app, the demo and the tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kiosk.flows.card_service import CardService
from kiosk.flows.controller import FlowSettings, VisitFlow
from kiosk.flows.paper import FilingSubmitter, PaperService
from kiosk.flows.readers import CardReader
from kiosk.flows.worker import Post
from kiosk.forms.master import AddressMaster
from kiosk.hardware.card.trust import TrustStore
from kiosk.hardware.printer.port import PrinterPort
from server_sync.config import SyncSettings


@dataclass(slots=True)
class Kiosk:
    """The flow and the services it drives."""

    flow: VisitFlow
    card: CardService
    paper: PaperService
    master: AddressMaster
    sync: SyncSettings

    def stop(self) -> None:
        """Stop the worker threads and close the master."""
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
    trust: TrustStore | None = None,
    archive_dir: Path | None = None,
) -> Kiosk:
    """Build the services and the flow around them."""
    master = AddressMaster.open(master_path)
    flow_settings = settings or FlowSettings()
    if not flow_settings.ward_code:
        flow_settings.ward_code = master.ward_code
    card = CardService(reader, post, trust=trust)
    paper = PaperService(printer, FilingSubmitter(sync), post, archive_dir=archive_dir)
    flow = VisitFlow(card=card, paper=paper, master=master, settings=flow_settings)
    return Kiosk(flow=flow, card=card, paper=paper, master=master, sync=sync)
