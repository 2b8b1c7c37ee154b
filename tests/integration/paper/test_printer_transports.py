"""Real transports through the escpos adapter: TCP printer emulator, pty serial line, files, USB."""

from __future__ import annotations

import os
import socket
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.hardware.printer.errors import (
    CoverOpenError,
    PaperOutError,
    PrinterOfflineError,
    PrinterTimeoutError,
    PrinterUnavailableError,
)
from kiosk.hardware.printer.escpos_adapter import WRITE_CHUNK_BYTES
from kiosk.hardware.printer.factory import open_printer
from kiosk.hardware.printer.status import DLE, EOT, PaperLevel, encode_answers

JOB = b"\x1b@" + b"\x1dv0\x00\x48\x00\x02\x00" + bytes(144) + b"\x1bd\x06\x1dV\x00"


class FakeTcpPrinter:
    """A TCP printer on localhost that answers DLE EOT n from a state and records everything."""

    def __init__(self, *, answer: bool = True) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.answers = encode_answers()
        self.answer = answer
        self.received = bytearray()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def set_state(self, **state: object) -> None:
        self.answers = encode_answers(**state)  # type: ignore[arg-type]

    def _serve(self) -> None:
        self.server.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.2)
                pending = b""
                while not self.stop.is_set():
                    try:
                        chunk = conn.recv(65536)
                    except TimeoutError:
                        continue
                    if not chunk:
                        break
                    self.received += chunk
                    pending += chunk
                    while (i := pending.find(bytes((DLE, EOT)))) >= 0 and len(pending) >= i + 3:
                        n = pending[i + 2]
                        pending = pending[i + 3 :]
                        if self.answer:
                            conn.sendall(self.answers[n])
                    pending = pending[-2:]

    def job_bytes(self) -> bytes:
        """What arrived minus the 3-byte status requests."""
        data = bytes(self.received)
        for n in (1, 2, 3, 4):
            data = data.replace(bytes((DLE, EOT, n)), b"")
        return data

    def close(self) -> None:
        self.stop.set()
        self.thread.join(2)
        self.server.close()


@pytest.fixture
def tcp_printer() -> Iterator[FakeTcpPrinter]:
    printer = FakeTcpPrinter()
    yield printer
    printer.close()


def _wait_for(predicate: object, timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not predicate():  # type: ignore[operator]
        time.sleep(0.01)


def test_network_printer_sends_exactly_the_job_after_a_status_check(
    tcp_printer: FakeTcpPrinter,
) -> None:
    with open_printer({"kind": "network", "host": "127.0.0.1", "port": tcp_printer.port}) as p:
        assert p.status().ready
        p.print_job(JOB)
    _wait_for(lambda: len(tcp_printer.job_bytes()) >= len(JOB))
    assert tcp_printer.job_bytes() == JOB
    assert tcp_printer.received.startswith(b"\x10\x04\x01")


@pytest.mark.parametrize(
    ("state", "error"),
    [
        ({"online": False, "paper": PaperLevel.OUT}, PaperOutError),
        ({"online": False}, PrinterOfflineError),
        ({"online": False, "cover_open": True}, CoverOpenError),
    ],
)
def test_network_printer_not_ready_writes_nothing(
    tcp_printer: FakeTcpPrinter, state: dict[str, object], error: type
) -> None:
    tcp_printer.set_state(**state)
    with (
        open_printer({"kind": "network", "host": "127.0.0.1", "port": tcp_printer.port}) as p,
        pytest.raises(error),
    ):
        p.print_job(JOB)
    time.sleep(0.1)
    assert tcp_printer.job_bytes() == b""


def test_network_printer_that_never_answers_times_out() -> None:
    silent = FakeTcpPrinter(answer=False)
    try:
        cfg = {"kind": "network", "host": "127.0.0.1", "port": silent.port, "timeout_s": 0.3}
        started = time.monotonic()
        with open_printer(cfg) as p, pytest.raises(PrinterTimeoutError) as info:
            p.print_job(JOB)
        assert time.monotonic() - started < 2.0
        assert info.value.timeout_s == 0.3 and silent.job_bytes() == b""
    finally:
        silent.close()


def test_network_printer_refused_is_unavailable() -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    with pytest.raises(PrinterUnavailableError) as info:
        open_printer({"kind": "network", "host": "127.0.0.1", "port": port, "timeout_s": 1})
    assert info.value.code == "printer_unavailable"


def test_serial_printer_over_a_pty_answers_status_and_gets_the_job() -> None:
    master, slave = os.openpty()
    received = bytearray()
    answers = encode_answers()
    stop = threading.Event()

    def printer_side() -> None:
        os.set_blocking(master, False)
        while not stop.is_set():
            try:
                chunk = os.read(master, 4096)
            except BlockingIOError:
                time.sleep(0.005)
                continue
            except OSError:
                break
            received.extend(chunk)
            for n in (1, 2, 4):
                if bytes((DLE, EOT, n)) in chunk:
                    os.write(master, answers[n])

    thread = threading.Thread(target=printer_side, daemon=True)
    thread.start()
    try:
        cfg = {"kind": "serial", "device": os.ttyname(slave), "timeout_s": 1, "baudrate": 115200}
        with open_printer(cfg) as p:
            p.print_job(JOB)
        _wait_for(lambda: JOB in bytes(received))
        assert JOB in bytes(received)
    finally:
        stop.set()
        thread.join(2)
        os.close(master)
        os.close(slave)


def test_file_printer_writes_exactly_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "lp0"
    with open_printer({"kind": "file", "path": str(target)}) as p:
        assert not p.status().known
        p.print_job(JOB)
        p.print_job(JOB)
    assert target.read_bytes() == JOB + JOB


def test_file_printer_blocked_device_times_out(tmp_path: Path) -> None:
    fifo = tmp_path / "stuck-printer"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # opened, never read: the pipe fills up
    try:
        assert stat.S_ISFIFO(fifo.stat().st_mode)
        with open_printer({"kind": "file", "path": str(fifo), "timeout_s": 0.3}) as p:
            started = time.monotonic()
            with pytest.raises(PrinterTimeoutError):
                p.print_job(bytes(WRITE_CHUNK_BYTES * 64))  # 256 KiB > the 64 KiB pipe buffer
            assert 0.25 < time.monotonic() - started < 2.0
    finally:
        os.close(reader)


def test_file_printer_without_a_reader_is_unavailable(tmp_path: Path) -> None:
    fifo = tmp_path / "no-printer"
    os.mkfifo(fifo)
    with pytest.raises(PrinterUnavailableError) as info:
        open_printer({"kind": "file", "path": str(fifo)})
    assert info.value.reason == "ENXIO"


def test_usb_printer_absent_is_unavailable() -> None:
    cfg = {"kind": "usb", "usb_vendor_id": 0x04B8, "usb_product_id": 0x0E15, "timeout_s": 1}
    with pytest.raises(PrinterUnavailableError) as info:
        open_printer(cfg)
    assert "usb 04b8:0e15" in str(info.value)
