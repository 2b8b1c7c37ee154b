"""FolderPrinter: writes each job as receipt.escpos + a decoded receipt.png + receipt.pdf (demo).

Decoding a job back into a picture allocates tens of MB (a 1-bit raster of the whole receipt, PNG
and PDF encoders); a short-lived ``spawn`` child does it, so the kiosk process keeps its memory.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.hardware.printer.memory import READY, MemoryPrinter, SimState
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE, PrinterProfile

PDF_DPI_FALLBACK = 203
DECODE_TIMEOUT_S = 120.0


def write_pictures(escpos_path: str, width_dots: int, dpi: float) -> None:
    """Decode ``receipt.escpos`` next to it into receipt.png and receipt.pdf (runs in a child)."""
    from kiosk.hardware.printer.raster_decode import decode_job

    source = Path(escpos_path)
    picture = decode_job(source.read_bytes(), width_dots).image
    picture.save(source.with_name("receipt.png"), optimize=True)
    picture.save(source.with_name("receipt.pdf"), resolution=dpi)


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
        escpos = job_dir / "receipt.escpos"
        escpos.write_bytes(data)
        dpi = float(self.profile.dpi or PDF_DPI_FALLBACK)
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            pool.submit(write_pictures, str(escpos), self.profile.width_dots, dpi).result(
                timeout=DECODE_TIMEOUT_S
            )
        self.job_dirs.append(job_dir)
