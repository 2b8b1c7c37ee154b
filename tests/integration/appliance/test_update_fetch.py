"""Update fetch over HTTP and the proxy: a stub proxy that answers itself proves it was used."""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.tech.settings import validate_config
from kiosk.tech.update import UpdateError, download, fetch_channel
from server_sync.config import load_settings
from server_sync.transport import IntakeClient

BUNDLE = b"pretend bundle " * 1000


class _Proxy(http.server.BaseHTTPRequestHandler):
    """Serves /updates/* for any host; records the request lines it saw (absolute URIs)."""

    seen: list[str] = []

    def do_GET(self) -> None:
        type(self).seen.append(self.path)
        if self.path.endswith("/channel.json"):
            body = json.dumps({"version": "9.9", "bundle": "kiosk-9.9.raucb",
                               "sha256": hashlib.sha256(BUNDLE).hexdigest(),
                               "rollout": {"share": 1.0}}).encode()  # fmt: skip
        elif self.path.endswith(".raucb"):
            body = BUNDLE
        else:
            body = b'{"error": "not_found", "detail": "stub"}'
            self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    _Proxy.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _settings(proxy_url: str):
    raw = {"sync": {"kiosk_id": "k-1", "intake_url": "http://intake.invalid",
                    "proxy": proxy_url},
           "update": {"url": "http://central.invalid/updates"}}  # fmt: skip
    return validate_config(raw, "test")


def test_the_update_channel_and_bundle_come_through_the_configured_proxy(tmp_path, proxy):
    settings = _settings(proxy)
    channel, url = fetch_channel(settings)
    assert channel.version == "9.9" and url == "http://central.invalid/updates/channel.json"
    bundle = download(settings, "http://central.invalid/updates/kiosk-9.9.raucb",
                      channel.sha256, tmp_path / "u.raucb")  # fmt: skip
    assert bundle.read_bytes() == BUNDLE
    assert _Proxy.seen == ["http://central.invalid/updates/channel.json",
                           "http://central.invalid/updates/kiosk-9.9.raucb"]  # fmt: skip
    with pytest.raises(UpdateError, match="SHA-256 differs"):
        download(settings, "http://central.invalid/updates/kiosk-9.9.raucb", "0" * 64,
                 tmp_path / "bad.raucb")  # fmt: skip
    assert not list(tmp_path.glob("bad.raucb*"))


def test_the_sync_client_honours_the_proxy_setting(tmp_path, proxy):
    cfg = tmp_path / "kiosk.toml"
    cfg.write_text(f'[sync]\nkiosk_id = "k-1"\nintake_url = "http://intake.invalid"\n'
                   f'proxy = "{proxy}"\n')  # fmt: skip
    settings = load_settings({"KIOSK_CONFIG": str(cfg), "KIOSK_STATE_DIR": str(tmp_path)})
    assert settings.proxy == proxy
    client = IntakeClient(settings.intake_url or "", kiosk_id="k-1",
                          private_key=Ed25519PrivateKey.generate(), ca_file=None,
                          connect_timeout_s=5, read_timeout_s=5, proxy=settings.proxy)  # fmt: skip
    with client, pytest.raises(Exception):  # noqa: B017 - the stub answers 404
        client.get_manifest(None)
    assert _Proxy.seen == ["http://intake.invalid/api/v1/master/manifest"]
