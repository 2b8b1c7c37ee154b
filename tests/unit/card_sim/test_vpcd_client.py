"""The vpcd client against a scripted vpcd peer on a real TCP socket (no pcscd needed)."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator

import pytest

from kiosk.hardware.card.sim import SimulatedCard, VpcdCard
from kiosk.hardware.card.sim import constants as c

from .apdus import select_ap, select_ef, verify

MakeCard = Callable[..., SimulatedCard]


class FakeVpcd:
    """The server side of the vpcd protocol, as vpcd speaks it (header and payload sent apart)."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(5)
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        self.conn, _ = self.server.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes, *, split: bool = True) -> None:
        assert self.conn is not None
        header = len(payload).to_bytes(2, "big")
        if split:  # like Debian's vpcd 3.3: two send() calls, and a byte at a time for good measure
            self.conn.sendall(header[:1])
            time.sleep(0.01)
            self.conn.sendall(header[1:])
            for i in range(0, len(payload), 3):
                self.conn.sendall(payload[i : i + 3])
        else:
            self.conn.sendall(header + payload)

    def receive(self) -> bytes:
        assert self.conn is not None
        header = self._exact(2)
        return self._exact(int.from_bytes(header, "big"))

    def _exact(self, n: int) -> bytes:
        assert self.conn is not None
        buf = b""
        while len(buf) < n:
            chunk = self.conn.recv(n - len(buf))
            if not chunk:
                raise ConnectionError("card closed the socket")
            buf += chunk
        return buf

    def transceive(self, apdu: bytes) -> bytes:
        self.send(apdu)
        return self.receive()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def fake_vpcd() -> Iterator[FakeVpcd]:
    peer = FakeVpcd()
    yield peer
    peer.close()


def test_control_messages_and_apdus_over_split_frames(
    fake_vpcd: FakeVpcd, yamada: SimulatedCard
) -> None:
    with VpcdCard(yamada, port=fake_vpcd.port) as client:
        fake_vpcd.accept()
        fake_vpcd.send(b"\x04")
        assert fake_vpcd.receive() == c.ATR_CONTACT
        assert client.wait_powered(1)
        fake_vpcd.send(b"\x01")  # power on: no reply
        assert fake_vpcd.transceive(select_ap(c.AID_TEXT)) == b"\x90\x00"
        assert fake_vpcd.transceive(select_ef(c.EF_TEXT_PIN)) == b"\x90\x00"
        assert fake_vpcd.transceive(verify("1234")) == b"\x90\x00"
        fake_vpcd.send(b"\x02")  # reset: the verified state is gone, nothing selected
        assert fake_vpcd.transceive(select_ef(c.EF_TEXT_BASIC4)) == b"\x6a\x82"
        assert fake_vpcd.transceive(select_ap(c.AID_JPKI)) == b"\x90\x00"
        assert yamada.apdu_count == 5


def test_a_simulator_bug_answers_6f00_and_keeps_the_card_in(
    fake_vpcd: FakeVpcd, yamada: SimulatedCard, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(cmd: object) -> tuple[bytes, int]:
        raise RuntimeError("bug")

    monkeypatch.setattr(yamada, "_get_challenge", broken)
    with VpcdCard(yamada, port=fake_vpcd.port):
        fake_vpcd.accept()
        assert fake_vpcd.transceive(bytes.fromhex("0084000008")) == b"\x6f\x00"
        assert fake_vpcd.transceive(select_ap(c.AID_JPKI)) == b"\x90\x00"


def test_vanishing_card_closes_the_socket_without_answering(
    fake_vpcd: FakeVpcd, make_card: MakeCard
) -> None:
    card = make_card(vanish_after=1)
    with VpcdCard(card, port=fake_vpcd.port) as client:
        fake_vpcd.accept()
        assert fake_vpcd.transceive(select_ap(c.AID_JPKI)) == b"\x90\x00"
        fake_vpcd.send(select_ef(c.EF_JPKI_TOKEN))
        with pytest.raises(ConnectionError):
            fake_vpcd.receive()
        time.sleep(0.3)
        assert not client.connected
        assert client.connections == 1  # a vanished card does not come back by itself
        client.insert()
        fake_vpcd.accept()
        assert fake_vpcd.transceive(select_ap(c.AID_JPKI)) == b"\x90\x00"


def test_reconnects_when_vpcd_drops_the_connection(
    fake_vpcd: FakeVpcd, yamada: SimulatedCard
) -> None:
    with VpcdCard(yamada, port=fake_vpcd.port) as client:
        fake_vpcd.accept()
        assert fake_vpcd.conn is not None
        fake_vpcd.conn.close()
        fake_vpcd.accept()
        assert fake_vpcd.transceive(select_ap(c.AID_JPKI)) == b"\x90\x00"
        assert client.connections == 2


def test_remove_and_insert(fake_vpcd: FakeVpcd, yamada: SimulatedCard) -> None:
    with VpcdCard(yamada, port=fake_vpcd.port) as client:
        fake_vpcd.accept()
        client.remove()
        with pytest.raises((ConnectionError, OSError)):
            fake_vpcd.receive()
        client.insert()
        fake_vpcd.accept()
        fake_vpcd.send(b"\x04", split=False)
        assert fake_vpcd.receive() == c.ATR_CONTACT


def test_stop_returns_promptly_even_when_vpcd_is_absent(yamada: SimulatedCard) -> None:
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    client = VpcdCard(yamada, port=port).start()  # nothing listens: keeps retrying
    time.sleep(0.3)
    started = time.monotonic()
    client.stop()
    assert time.monotonic() - started < 1.0
    assert not client.connected
