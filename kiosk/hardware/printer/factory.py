"""Build a printer from configuration without importing drivers the kind does not need."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kiosk.hardware.printer.config import PrinterConfig, PrinterKind
from kiosk.hardware.printer.port import PrinterPort


def open_printer(config: PrinterConfig | Mapping[str, object]) -> PrinterPort:
    """Open the configured printer (usb, network, serial, file, memory or folder)."""
    cfg = config if isinstance(config, PrinterConfig) else PrinterConfig.from_mapping(config)
    if cfg.kind is PrinterKind.MEMORY:
        from kiosk.hardware.printer.memory import MemoryPrinter

        return MemoryPrinter(cfg.profile)
    if cfg.kind is PrinterKind.FOLDER:
        from kiosk.hardware.printer.folder import FolderPrinter

        return FolderPrinter(Path(cfg.path), cfg.profile)
    from kiosk.hardware.printer import escpos_adapter

    if cfg.kind is PrinterKind.FILE:
        return escpos_adapter.FilePrinter(cfg)
    return escpos_adapter.EscposPrinter(cfg)
