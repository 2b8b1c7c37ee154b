"""HTTPS client for the intake (the only module that imports ``requests``).

TLS is verified against the configured CA file (pinning the intake's CA), every request has a
connect and a read timeout, kiosk-authenticated requests carry the signed X-Kiosk-* headers, and
answers are classified: 2xx ok; network errors, timeouts, 408, 429 and 5xx raise
:class:`TransportError` (retry later); any other 4xx raises :class:`RejectedError` (permanent).

Several intake nodes (one PostgreSQL behind them): :class:`IntakeClient` takes a list of base
URLs. A request that fails at one node for a node-level reason (no connection, TLS failure,
timeout, 408/429/5xx) is sent again to the next node at once; the node that answered is used
first from then on. A filing POST may therefore reach two nodes: idempotency (per kiosk and
filing id, one row in the shared database) makes the second answer ``duplicate``.
"""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from server_sync.envelope import parse_timestamp, raw_public_key
from server_sync.errors import ConfigError, EnvelopeError, RejectedError, TransportError
from server_sync.request_auth import sign_request
from server_sync.stand_report import StandReport

log = logging.getLogger(__name__)

PATH_FILINGS = "/api/v1/filings"
PATH_ENROL = "/api/v1/kiosks/enrol"
PATH_HEARTBEAT = "/api/v1/kiosks/heartbeat"
PATH_MANIFEST = "/api/v1/master/manifest"
PATH_MASTER_FILE = "/api/v1/master/files/"
RETRYABLE_STATUS = frozenset({408, 429})
HTTP_NOT_MODIFIED = 304
HTTP_SERVER_ERROR = 500
#: 4xx codes that heal with time: "clock_skew" means the clocks disagree (a Pi without RTC before
#: NTP). "filing_too_old" (past the intake's 30-day cap) is permanent like every other 4xx.
CODE_CLOCK_SKEW = "clock_skew"
RETRYABLE_CODES = frozenset({CODE_CLOCK_SKEW})
MAX_JSON_BYTES = 1024 * 1024
MAX_FILE_BYTES = 256 * 1024 * 1024
CHUNK_BYTES = 64 * 1024
_ERROR_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_DETAIL_CHARS = 200

Clock = Callable[[], datetime]


@dataclass(frozen=True, slots=True)
class FilingAck:
    """The intake's answer to a filing: ``accepted`` or ``duplicate`` plus its filing id."""

    result: str
    filing_id: str


@dataclass(frozen=True, slots=True)
class EnrolAck:
    """The intake's answer to an enrolment."""

    kiosk_id: str
    key_id: str


@dataclass(frozen=True, slots=True)
class ManifestAnswer:
    """A manifest document and its ETag (None from :meth:`IntakeClient.get_manifest` = 304)."""

    etag: str | None
    document: dict[str, Any]


def heartbeat_document(
    *,
    backlog: int,
    dead: int,
    master_version: str | None,
    app_version: str,
    stand: StandReport | None = None,
) -> dict[str, object]:
    """The body of ``POST /api/v1/kiosks/heartbeat`` (the stand's fields when known)."""
    doc: dict[str, object] = {
        "backlog": backlog,
        "dead": dead,
        "master_version": master_version,
        "app_version": app_version,
    }
    if stand is not None:
        doc |= {
            "image_version": stand.image_version,
            "slot": stand.slot,
            "reader": stand.reader,
            "printer": stand.printer,
        }
    return doc


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ErrorAnswer:
    """An error answer's fields, sanitised (never trusted, never long)."""

    code: str
    detail: str
    server_time: datetime | None


def _server_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_timestamp(value)
    except EnvelopeError:
        return None


def _error_of(resp: requests.Response) -> ErrorAnswer:
    """The code, detail and (for clock_skew) server time of an error answer."""
    try:
        body = json.loads(resp.content[:MAX_JSON_BYTES])
    except (ValueError, RecursionError):
        return ErrorAnswer("http_error", "", None)
    if not isinstance(body, dict):
        return ErrorAnswer("http_error", "", None)
    code = body.get("error")
    detail = body.get("detail")
    code_s = code if isinstance(code, str) and _ERROR_CODE_RE.match(code) else "http_error"
    detail_s = detail[:MAX_DETAIL_CHARS] if isinstance(detail, str) else ""
    return ErrorAnswer(code_s, detail_s, _server_time(body.get("server_time")))


def classify(resp: requests.Response, *, sent_at: datetime | None = None) -> None:
    """Raise for non-2xx/304 answers: TransportError if retryable, RejectedError if permanent.

    ``sent_at`` is our clock when the request was signed; with the server time of a clock_skew
    answer it gives the offset that ``status`` shows.
    """
    status = resp.status_code
    if 200 <= status < 300 or status == HTTP_NOT_MODIFIED:
        return
    answer = _error_of(resp)
    code = answer.code
    if status in RETRYABLE_STATUS or status >= 500 or status < 200 or code in RETRYABLE_CODES:
        offset = None
        if answer.server_time is not None and sent_at is not None:
            offset = round((answer.server_time - sent_at).total_seconds())
        raise TransportError(f"{status} {code}", status=status, clock_offset_s=offset)
    raise RejectedError(status, code, answer.detail)


def _json_object(resp: requests.Response) -> dict[str, Any]:
    try:
        body = json.loads(resp.content[:MAX_JSON_BYTES])
    except ValueError as err:
        status = resp.status_code
        raise TransportError(f"{status} unreadable_body", status=status) from err
    if not isinstance(body, dict):
        raise TransportError(f"{resp.status_code} unexpected_body", status=resp.status_code)
    return body


def fails_over(err: TransportError) -> bool:
    """Whether another intake node may succeed where this one failed (not a clock skew)."""
    return err.clock_offset_s is None and (
        err.status is None or err.status >= HTTP_SERVER_ERROR or err.status in RETRYABLE_STATUS
    )


def _send(session: requests.Session, method: str, url: str, **kwargs: Any) -> requests.Response:
    """One request without redirects; network failures become a retryable TransportError."""
    try:
        return session.request(method, url, allow_redirects=False, **kwargs)
    except requests.exceptions.SSLError as err:
        raise TransportError("tls_error") from err
    except requests.exceptions.Timeout as err:
        raise TransportError("timeout") from err
    except requests.exceptions.RequestException as err:
        raise TransportError("connection_error") from err


class IntakeClient:
    """One kiosk's authenticated connection to the intake."""

    def __init__(
        self,
        base_url: str | Sequence[str],
        *,
        kiosk_id: str,
        private_key: Ed25519PrivateKey,
        ca_file: Path | None,
        connect_timeout_s: float,
        read_timeout_s: float,
        clock: Clock = _now,
        proxy: str | None = None,
    ) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        if not urls:
            raise ConfigError("no intake URL configured")
        self._bases = tuple(url.rstrip("/") for url in urls)
        #: index of the node that answered last (tried first)
        self._current = 0
        self._kiosk_id = kiosk_id
        self._key = private_key
        self._timeout = (connect_timeout_s, read_timeout_s)
        self._clock = clock
        self._session = requests.Session()
        self._session.trust_env = False  # no proxies or netrc from the environment
        if proxy:  # the configured one ([sync] proxy) only
            self._session.proxies = {"http": proxy, "https": proxy}
        if ca_file is not None and not ca_file.is_file():
            raise ConfigError(f"CA file {ca_file} does not exist")
        self._session.verify = str(ca_file) if ca_file else True

    def close(self) -> None:
        """Close pooled connections."""
        self._session.close()

    def __enter__(self) -> IntakeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        """Send to the current node, failing over to the others in turn (see the module doc)."""
        count = len(self._bases)
        for attempt in range(count):
            index = (self._current + attempt) % count
            try:
                resp = self._request_at(
                    self._bases[index], method, path, body, headers, params, stream
                )
            except TransportError as err:
                if attempt == count - 1 or not fails_over(err):
                    raise
                log.warning("intake node %d failed (%s), trying the next", index + 1, err.detail)
                continue
            self._current = index
            return resp
        raise TransportError("no intake node")  # pragma: no cover - the loop returns or raises

    @property
    def current_url(self) -> str:
        """The base URL of the node used first (the last one that answered)."""
        return self._bases[self._current]

    def _request_at(
        self,
        base: str,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str] | None,
        params: dict[str, str] | None,
        stream: bool,
    ) -> requests.Response:
        url = base + path
        signed_path = urlsplit(url).path
        sent_at = self._clock()
        auth = sign_request(self._key, self._kiosk_id, method, signed_path, body, sent_at)
        all_headers = {**auth.headers(), **(headers or {})}
        if body:
            all_headers["Content-Type"] = "application/json"
        resp = _send(
            self._session,
            method,
            url,
            data=body or None,
            params=params,
            headers=all_headers,
            timeout=self._timeout,
            stream=stream,
        )
        try:
            classify(resp, sent_at=sent_at)
        except BaseException:
            resp.close()
            raise
        return resp

    def post_filing(self, envelope: bytes) -> FilingAck:
        """POST one envelope; returns the ack (accepted or duplicate)."""
        resp = self._request("POST", PATH_FILINGS, envelope)
        body = _json_object(resp)
        result, filing_id = body.get("result"), body.get("filing_id")
        if result not in ("accepted", "duplicate") or not isinstance(filing_id, str):
            # the intake answered 2xx without a usable ack: resend later (it will say duplicate)
            raise TransportError(f"{resp.status_code} unexpected_ack", status=resp.status_code)
        return FilingAck(str(result), filing_id)

    def heartbeat(
        self,
        *,
        backlog: int,
        dead: int,
        master_version: str | None,
        app_version: str,
        stand: StandReport | None = None,
    ) -> None:
        """Tell the intake this kiosk is alive, how its outbox looks and how the stand is."""
        doc = heartbeat_document(
            backlog=backlog,
            dead=dead,
            master_version=master_version,
            app_version=app_version,
            stand=stand,
        )
        body = json.dumps(doc, separators=(",", ":")).encode()
        self._request("POST", PATH_HEARTBEAT, body).close()

    def get_manifest(self, etag: str | None) -> ManifestAnswer | None:
        """The current master-data manifest, or None when ``etag`` is still current (304)."""
        headers = {"If-None-Match": etag} if etag else {}
        resp = self._request("GET", PATH_MANIFEST, headers=headers)
        if resp.status_code == HTTP_NOT_MODIFIED:
            return None
        return ManifestAnswer(resp.headers.get("ETag"), _json_object(resp))

    def get_file(self, name: str, *, version: str, max_bytes: int = MAX_FILE_BYTES) -> bytes:
        """Download one file of set ``version`` (streamed, refused beyond ``max_bytes``)."""
        path = PATH_MASTER_FILE + quote(name, safe="/")
        resp = self._request("GET", path, params={"version": version}, stream=True)
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.iter_content(CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise TransportError("file_too_large")
                chunks.append(chunk)
        except requests.exceptions.RequestException as err:
            raise TransportError("connection_error") from err
        finally:
            resp.close()
        return b"".join(chunks)


def enrol(
    base_url: str,
    *,
    token: str,
    kiosk_id: str,
    private_key: Ed25519PrivateKey,
    ca_file: Path | None,
    timeout_s: float = 15.0,
    proxy: str | None = None,
) -> EnrolAck:
    """Register this kiosk's public key with a one-time token (unauthenticated request)."""
    body = json.dumps(
        {
            "token": token,
            "kiosk_id": kiosk_id,
            "public_key": base64.b64encode(raw_public_key(private_key.public_key())).decode(),
        }
    ).encode()
    with requests.Session() as session:
        session.trust_env = False
        if proxy:
            session.proxies = {"http": proxy, "https": proxy}
        session.verify = str(ca_file) if ca_file else True
        resp = _send(
            session,
            "POST",
            base_url.rstrip("/") + PATH_ENROL,
            data=body,
            headers={"Content-Type": "application/json"},
            timeout=(timeout_s, timeout_s),
        )
        classify(resp)
        answer = _json_object(resp)
    got_id, key_id = answer.get("kiosk_id"), answer.get("key_id")
    if not isinstance(got_id, str) or not isinstance(key_id, str):
        raise TransportError(f"{resp.status_code} unexpected_body", status=resp.status_code)
    return EnrolAck(got_id, key_id)
