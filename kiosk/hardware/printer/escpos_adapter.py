"""The only module that imports python-escpos (and, through it, pyusb / pyserial).

Two jobs: encode a finished 1-bit receipt image into ESC/POS bytes with python-escpos's ``Dummy``
and a profile (``GS v 0`` raster in bands, then a cut), and drive real USB / network / serial
printers with a timeout on every read and write. ``/dev/usb/lp0``-style files are written with our
own poll-based writer because python-escpos's ``File`` has neither reads nor timeouts.
"""

from __future__ import annotations

import errno
import logging
import os
import select
import time
from typing import Any

from escpos import printer as escpos_printer
from escpos.exceptions import DeviceNotFoundError
from PIL import Image

from kiosk.hardware.printer.base import BytePrinter
from kiosk.hardware.printer.config import PrinterConfig, PrinterKind
from kiosk.hardware.printer.errors import (
    PrinterConfigError,
    PrinterTimeoutError,
    PrinterUnavailableError,
)
from kiosk.hardware.printer.profiles import PrinterProfile

log = logging.getLogger(__name__)

#: raster band height: small enough for slow USB links, large enough to avoid visible seams
BAND_HEIGHT_DOTS = 480
#: bytes per write call, so a timeout covers a bounded amount of data
WRITE_CHUNK_BYTES = 4096
STATUS_ANSWER_BYTES = 1


def encode_image_job(
    image: Image.Image, profile: PrinterProfile, *, band_height_dots: int = BAND_HEIGHT_DOTS
) -> bytes:
    """ESC @, the image as GS v 0 raster bands, feed and full cut — the exact job bytes."""
    if image.width != profile.width_dots:
        raise PrinterConfigError(
            "profile",
            f"image is {image.width} dots wide, {profile.name} prints {profile.width_dots}",
        )
    dummy: Any = escpos_printer.Dummy(profile=profile.name)
    dummy.hw("INIT")
    one_bit = image.convert("1")
    # hand python-escpos one band at a time: its own splitting converts the whole image once
    # more before converting each fragment again; the bytes are the same either way
    for top in range(0, one_bit.height, band_height_dots):
        band = one_bit.crop((0, top, one_bit.width, min(top + band_height_dots, one_bit.height)))
        dummy.image(band, impl="bitImageRaster", fragment_height=band_height_dots, center=False)
    dummy.cut(mode="FULL")
    data: bytes = dummy.output
    return data


def profile_width_from_escpos(name: str) -> int:
    """python-escpos's own media width for a profile (used to cross-check our table)."""
    dummy: Any = escpos_printer.Dummy(profile=name)
    return int(dummy.profile.profile_data["media"]["width"]["pixels"])


class EscposPrinter(BytePrinter):
    """A USB, network or serial printer driven through python-escpos."""

    def __init__(self, config: PrinterConfig) -> None:
        super().__init__(config.profile, can_read_status=True)
        self._config = config
        self._target = _describe(config)
        self._dev: Any = _build(config)
        try:
            self._dev.open(raise_not_found=True)
        except Exception as exc:  # DeviceNotFoundError, OSError, pyusb's NoBackendError, ...
            raise PrinterUnavailableError(self._target, type(exc).__name__) from exc
        if config.kind is PrinterKind.SERIAL:
            self._dev.device.write_timeout = config.timeout_s

    def _write(self, data: bytes) -> None:
        for start in range(0, len(data), WRITE_CHUNK_BYTES):
            chunk = data[start : start + WRITE_CHUNK_BYTES]
            self._guard("write", lambda c=chunk: self._dev._raw(c))

    def _query(self, request: bytes) -> bytes:
        self._guard("status write", lambda: self._dev._raw(request))
        answer: bytes = self._guard("status read", self._read_answer)
        if not answer:
            raise PrinterTimeoutError("status read", self._config.timeout_s)
        return answer[-STATUS_ANSWER_BYTES:]

    def _read_answer(self) -> bytes:
        if self._config.kind is PrinterKind.USB:
            timeout_ms = int(self._config.timeout_s * 1000)
            return bytes(self._dev.device.read(self._config.usb_in_ep, 16, timeout_ms))
        if self._config.kind is PrinterKind.SERIAL:
            # python-escpos reads 16 bytes, which waits out the whole timeout for a 1-byte answer
            return bytes(self._dev.device.read(STATUS_ANSWER_BYTES))
        return bytes(self._dev._read())

    def _guard(self, operation: str, fn: Any) -> Any:
        try:
            return fn()
        except TimeoutError as exc:
            raise PrinterTimeoutError(operation, self._config.timeout_s) from exc
        except Exception as exc:
            if "Timeout" in type(exc).__name__:  # usb.core.USBTimeoutError, SerialTimeoutException
                raise PrinterTimeoutError(operation, self._config.timeout_s) from exc
            if isinstance(exc, OSError | DeviceNotFoundError) or "USBError" in type(exc).__name__:
                raise PrinterUnavailableError(self._target, type(exc).__name__) from exc
            raise

    def close(self) -> None:
        """Close the device; errors while closing are logged, not raised."""
        try:
            self._dev.close()
        except Exception as exc:  # closing a vanished device must not mask the real error
            log.debug("printer close failed: %s", type(exc).__name__)


class FilePrinter(BytePrinter):
    """A write-only device file (``/dev/usb/lp0``) or plain file, with a write timeout."""

    def __init__(self, config: PrinterConfig) -> None:
        super().__init__(config.profile, can_read_status=False)
        self._path = config.path
        self._timeout_s = config.timeout_s
        try:
            self._fd = os.open(
                config.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK, 0o600
            )
        except OSError as exc:
            raise PrinterUnavailableError(
                config.path, errno.errorcode.get(exc.errno or 0, "OSError")
            ) from exc

    def _query(self, request: bytes) -> bytes:  # noqa: ARG002 - write-only: never asked
        raise AssertionError("write-only printer has no status")  # pragma: no cover

    def _write(self, data: bytes) -> None:
        deadline = time.monotonic() + self._timeout_s
        view = memoryview(data)
        while view:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PrinterTimeoutError("write", self._timeout_s)
            _, ready, _ = select.select([], [self._fd], [], left)
            if not ready:
                continue
            try:
                written = os.write(self._fd, view[:WRITE_CHUNK_BYTES])
            except BlockingIOError:
                continue
            except OSError as exc:
                raise PrinterUnavailableError(
                    self._path, errno.errorcode.get(exc.errno or 0, "OSError")
                ) from exc
            view = view[written:]

    def close(self) -> None:
        """Close the file descriptor."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1


def _build(config: PrinterConfig) -> Any:
    name = config.profile.name
    if config.kind is PrinterKind.NETWORK:
        return escpos_printer.Network(
            config.host, port=config.port, timeout=config.timeout_s, profile=name
        )
    if config.kind is PrinterKind.USB:
        return escpos_printer.Usb(
            config.usb_vendor_id,
            config.usb_product_id,
            timeout=int(config.timeout_s * 1000),
            in_ep=config.usb_in_ep,
            out_ep=config.usb_out_ep,
            profile=name,
        )
    if config.kind is PrinterKind.SERIAL:
        return escpos_printer.Serial(
            config.device, baudrate=config.baudrate, timeout=config.timeout_s, profile=name
        )
    raise PrinterConfigError("kind", f"{config.kind.value} is not an escpos transport")


def _describe(config: PrinterConfig) -> str:
    if config.kind is PrinterKind.NETWORK:
        return f"{config.host}:{config.port}"
    if config.kind is PrinterKind.USB:
        return f"usb {config.usb_vendor_id or 0:04x}:{config.usb_product_id or 0:04x}"
    return config.device or config.path
