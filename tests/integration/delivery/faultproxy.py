"""A fault-injecting HTTPS proxy on loopback (real sockets, real TLS) in front of the intake.

It terminates TLS with the intake's own server certificate (or, in ``WRONG_CERT`` mode, with a
certificate from a different CA), forwards each HTTP/1.1 request to the intake over TLS and then
applies the current fault:

- ``PASS``: forward, return the answer;
- ``REFUSE``: close the connection without answering;
- ``ERROR_500``: answer 500 without forwarding;
- ``ERROR_500_AFTER``: forward (the intake stores the filing), then answer 500 anyway;
- ``SLOW``: hold the request longer than the kiosk's read timeout, never forward;
- ``SLOW_AFTER``: forward, then hold the answer past the kiosk's timeout;
- ``WRONG_CERT``: the TLS handshake presents a certificate the kiosk does not trust.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from enum import Enum
from pathlib import Path

SLOW_HOLD_S = 3.0
MAX_BODY = 1024 * 1024


class Fault(Enum):
    PASS = "pass"
    REFUSE = "refuse"
    ERROR_500 = "error_500"
    ERROR_500_AFTER = "error_500_after"
    SLOW = "slow"
    SLOW_AFTER = "slow_after"
    WRONG_CERT = "wrong_cert"


_ERROR_BODY = b'{"error":"injected","detail":"fault proxy"}'


class FaultProxy:
    """A proxy in front of one intake; set ``.fault`` at any time (applies per request)."""

    def __init__(
        self,
        upstream_port: int,
        upstream_ca: Path,
        cert: tuple[Path, Path],
        wrong_cert: tuple[Path, Path],
    ) -> None:
        self.upstream_port = upstream_port
        self.fault = Fault.PASS
        self.counts: dict[Fault, int] = {}
        self._upstream_ctx = ssl.create_default_context(cafile=str(upstream_ca))
        self._good = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._good.load_cert_chain(str(cert[0]), str(cert[1]))
        self._wrong = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._wrong.load_cert_chain(str(wrong_cert[0]), str(wrong_cert[1]))
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.2)  # so the accept loop notices close()
        self.port: int = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.close()
        self._thread.join(5)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(10)
        fault = self.fault
        ctx = self._wrong if fault is Fault.WRONG_CERT else self._good
        try:
            with ctx.wrap_socket(raw, server_side=True) as tls:
                self._serve_requests(tls)
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                raw.close()

    def _serve_requests(self, tls: ssl.SSLSocket) -> None:
        reader = tls.makefile("rb")
        while not self._stop.is_set():
            request = _read_request(reader)
            if request is None:
                return
            fault = self.fault
            self.counts[fault] = self.counts.get(fault, 0) + 1
            method, path, headers, body = request
            if fault is Fault.REFUSE:
                return
            if fault is Fault.ERROR_500:
                tls.sendall(_response(500, _ERROR_BODY))
                continue
            if fault is Fault.SLOW:
                time.sleep(SLOW_HOLD_S)
                return
            status, reply_headers, reply = self._forward(method, path, headers, body)
            if fault is Fault.ERROR_500_AFTER:
                tls.sendall(_response(500, _ERROR_BODY))
                continue
            if fault is Fault.SLOW_AFTER:
                time.sleep(SLOW_HOLD_S)
                return
            tls.sendall(_response(status, reply, reply_headers))

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.upstream_port, context=self._upstream_ctx, timeout=10
        )
        try:
            forwarded = {
                k: v for k, v in headers.items() if k.lower() not in {"connection", "host"}
            }
            conn.request(method, path, body=body or None, headers=forwarded)
            resp = conn.getresponse()
            data = resp.read()
            keep = {"content-type", "etag"}
            return resp.status, {k: v for k, v in resp.getheaders() if k.lower() in keep}, data
        finally:
            conn.close()


def _read_request(reader: object) -> tuple[str, str, dict[str, str], bytes] | None:
    readline = reader.readline  # type: ignore[attr-defined]
    line = readline(65537)
    if not line:
        return None
    method, path, _ = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        h = readline(65537)
        if h in (b"\r\n", b"\n", b""):
            break
        name, _, value = h.decode("latin-1").partition(":")
        headers[name.strip()] = value.strip()
    length = int(headers.get("Content-Length", headers.get("content-length", "0")))
    body = reader.read(min(length, MAX_BODY)) if length else b""  # type: ignore[attr-defined]
    return method, path, headers, body


_REASONS = {200: "OK", 201: "Created", 204: "No Content", 304: "Not Modified", 500: "Error"}


def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}"]
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    for k, v in hdrs.items():
        lines.append(f"{k}: {v}")
    if status not in (204, 304):
        lines.append(f"Content-Length: {len(body)}")
    else:
        body = b""
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
