"""FolderPrinter: writes each job as receipt.escpos + a decoded receipt.png + receipt.pdf (demo)."""

from __future__ import annotations

from pathlib import Path

from kiosk.hardware.printer.memory import READY, MemoryPrinter, SimState
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile
from kiosk.hardware.printer.raster_decode import decode_job

PDF_DPI_FALLBACK = 203


class FolderPrinter(MemoryPrinter):
    """A simulated printer that also leaves every job on disk as ``job-0001/`` folders."""

    def __init__(
        self, folder: Path, profile: PrinterProfile = DEFAULT_PROFILE, state: SimState = READY
    ) -> None:
        super().__init__(profile, state)
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.job_dirs: list[Path] = []

    def _write(self, data: bytes) -> None:
        super()._write(data)
        job_dir = self.folder / f"job-{len(self.jobs):04d}"
        job_dir.mkdir(parents=True, exist_ok=True)
        (job_dir / "receipt.escpos").write_bytes(data)
        picture = decode_job(data, self.profile.width_dots).image
        picture.save(job_dir / "receipt.png", optimize=True)
        picture.save(
            job_dir / "receipt.pdf", resolution=float(self.profile.dpi or PDF_DPI_FALLBACK)
        )
        self.job_dirs.append(job_dir)
