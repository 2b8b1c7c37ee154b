"""vpcd client: puts a ``SimulatedCard`` into pcscd's "Virtual PCD" reader over TCP.

Wire protocol (vsmartcard ``vpcd``): every message both ways is a 2-byte big-endian length plus
payload. A 1-byte payload from vpcd is control: 0x00 power off, 0x01 power on, 0x02 reset
(no reply), 0x04 "send the ATR". Longer payloads are command APDUs, answered with the response
APDU. The card is the TCP client; closing the socket means "card removed". TCP_QUICKACK is set after
each header and payload, otherwise Debian's vpcd (header and payload in two send() calls) costs
~44 ms per APDU.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time

from kiosk.hardware.card.errors import NoCardError
from kiosk.hardware.card.sim.card import SimulatedCard

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 35963
LENGTH_BYTES = 2
CTRL_POWER_OFF = 0x00
CTRL_POWER_ON = 0x01
CTRL_RESET = 0x02
CTRL_GET_ATR = 0x04
POLL_S = 0.2
SW_NO_PRECISE_DIAGNOSIS = b"\x6f\x00"
RECONNECT_S = 0.1
_TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


class _Closed(Exception):
    """vpcd closed the connection (or we were asked to stop)."""


class VpcdCard:
    """Runs one simulated card as a vpcd client in a background thread."""

    def __init__(
        self,
        card: SimulatedCard,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        quickack: bool = True,
    ) -> None:
        self.card = card
        self.host = host
        self.port = port
        #: set TCP_QUICKACK after header and payload (False only to measure the ~44 ms penalty)
        self.quickack = quickack
        self._stop = threading.Event()
        self._inserted = threading.Event()
        self._inserted.set()
        self._connected = threading.Event()
        self._powered = threading.Event()
        self._sock: socket.socket | None = None
        self._sock_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        #: number of (re)connections made to vpcd
        self.connections = 0
        #: control bytes received from vpcd (0x00 off, 0x01 on, 0x02 reset, 0x04 ATR)
        self.control_log: list[int] = []
        #: time.monotonic() of the last socket close (removal, vanish, stop), None if never
        self.disconnected_at: float | None = None

    # -- lifecycle ------------------------------------------------------------------------------
    def start(self) -> VpcdCard:
        """Start the client thread (it connects, and reconnects whenever vpcd drops it)."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name=f"vpcd-card-{self.port}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        """Remove the card and end the thread."""
        self._stop.set()
        self._inserted.set()
        self._drop()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None

    def remove(self) -> None:
        """Pull the card out of the reader (close the socket; stay out until ``insert``)."""
        self._inserted.clear()
        self._drop()

    def insert(self) -> None:
        """Put the card back: a fresh power-up, and a vanished card becomes present again."""
        if self.card.vanished:
            self.card.revive()
        self._inserted.set()

    @property
    def connected(self) -> bool:
        """Whether the socket to vpcd is currently open."""
        return self._connected.is_set()

    def wait_connected(self, timeout_s: float) -> bool:
        """Block until connected to vpcd (True) or the timeout passes (False)."""
        return self._connected.wait(timeout_s)

    def wait_powered(self, timeout_s: float) -> bool:
        """Block until pcscd powered the card on / read its ATR after the last (re)connect."""
        return self._powered.wait(timeout_s)

    def __enter__(self) -> VpcdCard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the thread -----------------------------------------------------------------------------
    def _drop(self) -> None:
        with self._sock_lock:
            sock, self._sock = self._sock, None
        self._connected.clear()
        self._powered.clear()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
            self.disconnected_at = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            if not self._inserted.wait(POLL_S) or self._stop.is_set():
                continue
            if self.card.vanished:
                self._inserted.clear()
                continue
            sock = self._connect()
            if sock is None:
                self._stop.wait(RECONNECT_S)
                continue
            try:
                self._serve(sock)
            except (_Closed, OSError):
                pass
            except NoCardError:
                log.info("simulated card vanished; closing the vpcd connection")
                self._inserted.clear()
            finally:
                self._drop()

    def _connect(self) -> socket.socket | None:
        try:
            sock = socket.create_connection((self.host, self.port), timeout=1.0)
        except OSError:
            return None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(POLL_S)
        with self._sock_lock:
            self._sock = sock
        self.connections += 1
        self.card.reset()
        self._connected.set()
        log.debug("connected to vpcd %s:%d", self.host, self.port)
        return sock

    def _serve(self, sock: socket.socket) -> None:
        while not self._stop.is_set() and self._inserted.is_set():
            header = self._read_exact(sock, LENGTH_BYTES, idle_ok=True)
            if header is None:
                continue
            if self.quickack:
                _quickack(sock)
            size = int.from_bytes(header, "big")
            payload = self._read_exact(sock, size, idle_ok=False) if size else b""
            if self.quickack:
                _quickack(sock)
            if payload is None:
                raise _Closed
            reply = self._handle(payload)
            if reply is not None:
                sock.sendall(len(reply).to_bytes(LENGTH_BYTES, "big") + reply)

    def _handle(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            ctrl = payload[0]
            self.control_log.append(ctrl)
            if ctrl in (CTRL_POWER_ON, CTRL_RESET):
                self.card.reset()
                self._powered.set()
            elif ctrl == CTRL_POWER_OFF:
                self.card.reset()
            elif ctrl == CTRL_GET_ATR:
                self._powered.set()
                return self.card.atr
            return None
        try:
            return self.card.process(payload)
        except NoCardError:
            raise
        except Exception:  # a simulator bug must not kill the reader thread: answer like a card
            log.exception("simulated card failed on an APDU; answering 6F00")
            return SW_NO_PRECISE_DIAGNOSIS

    def _read_exact(self, sock: socket.socket, n: int, *, idle_ok: bool) -> bytes | None:
        """Read exactly n bytes; None on an idle timeout before the first byte (if idle_ok)."""
        buf = bytearray()
        while len(buf) < n:
            if self._stop.is_set() or not self._inserted.is_set():
                raise _Closed
            try:
                chunk = sock.recv(n - len(buf))
            except TimeoutError:
                if idle_ok and not buf:
                    return None
                continue
            if not chunk:
                raise _Closed
            buf += chunk
        return bytes(buf)


def _quickack(sock: socket.socket) -> None:
    if _TCP_QUICKACK is not None:
        sock.setsockopt(socket.IPPROTO_TCP, _TCP_QUICKACK, 1)
