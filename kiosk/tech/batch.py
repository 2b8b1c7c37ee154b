"""``batch``: enrolment tokens for many kiosk ids (the intake's admin API), then one card each.

Tokens come from ``POST /api/v1/kiosks/tokens`` (HTTP Basic, an admin staff account) over the site's
pinned CA; they are kept in memory only and go straight onto each card. Every card is a line in
the batch record (kiosk.tech.record).
"""

from __future__ import annotations

import base64
import json
import ssl
import sys
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.tech.disks import removable_disks
from kiosk.tech.errors import TechError
from kiosk.tech.flash import Confirm, FlashRequest, flash
from kiosk.tech.site import TOKEN_RE, SiteConfig, load_site, validate_kiosk_id

TOKENS_PATH = "/api/v1/kiosks/tokens"
HTTP_TIMEOUT_S = 15.0


class TokenApiError(TechError):
    """The intake did not issue a token (wrong admin credential, unreachable, refused)."""

    code = "token_api_failed"


@dataclass(frozen=True, slots=True)
class BatchRequest:
    """The arguments of one ``batch`` run."""

    image: Path
    site: Path
    kiosk_ids: tuple[str, ...]
    admin_user: str
    admin_password: str
    to_dir: Path | None = None  # write DIR/<kiosk id>.img instead of cards (tests, hand-over)
    assume_yes: bool = False
    record: Path = Path("kiosk-batch.jsonl")


def parse_ids(text: str) -> tuple[str, ...]:
    """``kiosk-001,kiosk-002`` or one per line; duplicates are an error."""
    ids = tuple(p.strip() for p in text.replace("\n", ",").split(",") if p.strip())
    for kid in ids:
        validate_kiosk_id(kid)
    if len(set(ids)) != len(ids):
        raise TechError("the kiosk id list names an id twice")
    if not ids:
        raise TechError("no kiosk ids given")
    return ids


def create_token(site: SiteConfig, kiosk_id: str, user: str, password: str) -> str:
    """One token from the intake's admin API."""
    context = ssl.create_default_context(cadata=site.ca_pem)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the site's validated http(s) URL
        site.intake_url.rstrip("/") + TOKENS_PATH, method="POST",
        data=json.dumps({"kiosk_id": kiosk_id}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Basic {auth}"},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_S, context=context) as resp:  # noqa: S310
            answer = json.loads(resp.read())
    except urllib.error.HTTPError as err:
        hint = " (admin user/password?)" if err.code == 401 else ""
        raise TokenApiError(
            f"intake refused a token for {kiosk_id}: HTTP {err.code}{hint}"
        ) from None
    except (OSError, ValueError) as err:
        raise TokenApiError(f"intake {site.intake_url} not reachable: {err}") from None
    token = answer.get("token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not TOKEN_RE.match(token):
        raise TokenApiError("the intake answered without a token")
    return token


def _next_card(kiosk_id: str) -> str:
    """Wait for the technician to insert a card; the one removable disk present."""
    while True:
        sys.stderr.write(f"insert the card for {kiosk_id} and press Enter: ")
        sys.stderr.flush()
        if not sys.stdin.readline():
            raise TechError("stopped (end of input)")
        disks = removable_disks()
        if len(disks) == 1:
            return disks[0].path
        sys.stderr.write(f"{len(disks)} removable disks found; leave exactly one inserted\n")


def run_batch(
    req: BatchRequest, confirm: Confirm | None = None,
    report: Callable[[str], None] = print,
) -> int:  # fmt: skip
    """Create every token first (nothing is flashed if one fails), then flash card after card."""
    site = load_site(req.site)
    tokens = {kid: create_token(site, kid, req.admin_user, req.admin_password)
              for kid in req.kiosk_ids}  # fmt: skip
    report(f"{len(tokens)} enrolment tokens created")
    failed = 0
    for kid in req.kiosk_ids:
        target = str(req.to_dir / f"{kid}.img") if req.to_dir else _next_card(kid)
        flash_req = FlashRequest(image=req.image, target=target, site=req.site, kiosk_id=kid,
                                 token=tokens[kid], assume_yes=req.assume_yes,
                                 record=req.record)  # fmt: skip
        try:
            result = flash(flash_req, confirm) if confirm else flash(flash_req)
        except TechError as err:
            failed += 1
            report(f"{kid}: FAILED [{err.code}] {err}")
            continue
        report(f"{kid}: ok, {result.bytes_written} bytes in {result.seconds:.1f} s")
    report(f"{len(req.kiosk_ids) - failed} of {len(req.kiosk_ids)} cards done; record {req.record}")
    return failed
