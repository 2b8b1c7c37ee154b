"""Network faults between kiosk and intake: the backlog grows, nothing is lost, it drains after.

500s, slow answers and a wrong certificate come from a fault-injecting HTTPS proxy on loopback
(real sockets and TLS) in front of the real intake; "intake down" stops the real server.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from server_sync.intake.devca import ensure_dev_tls
from tests.fixtures.intake import IntakeServer
from tests.integration.delivery.faultproxy import Fault, FaultProxy
from tests.integration.delivery.harness import (
    KioskUnderTest,
    central_filings,
    lost_and_duplicates,
)

SENT_RE = re.compile(r"^sent (\d+) filing\(s\) \((\d+) already at the intake\)")


@pytest.fixture
def proxy(tmp_path: Path, intake_server: IntakeServer) -> Iterator[FaultProxy]:
    tls = intake_server.data_dir / "tls"
    other, _ = ensure_dev_tls(tmp_path / "other-ca")
    p = FaultProxy(
        intake_server.port,
        intake_server.ca_file,
        (tls / "server.pem", tls / "server.key"),
        (other.server_cert, other.server_key),
    )
    yield p
    p.close()


@pytest.fixture
def proxied_kiosk(kiosk: KioskUnderTest, proxy: FaultProxy) -> KioskUnderTest:
    kiosk.point_at(proxy.base_url)
    return kiosk


def _send_once(kiosk: KioskUnderTest) -> tuple[int, int, int]:
    """Run send-once; returns (exit code, delivered, of which duplicates)."""
    result = kiosk.cli("send-once")
    assert "Traceback" not in result.stderr
    match = SENT_RE.match(result.stdout)
    assert match, result.stdout + result.stderr
    return result.returncode, int(match.group(1)), int(match.group(2))


def _assert_exactly_once(kiosk: KioskUnderTest, intake: IntakeServer) -> None:
    central = central_filings(intake.engine)
    lost, duplicates = lost_and_duplicates(kiosk.enqueued, central)
    assert (lost, duplicates) == ([], 0)
    assert len(central) == len(kiosk.enqueued)


def test_intake_down_backlog_grows_then_drains(
    kiosk: KioskUnderTest, intake_server: IntakeServer
) -> None:
    intake_server.stop()
    for round_ in range(1, 4):
        kiosk.enqueue(2)
        rc, delivered, _ = _send_once(kiosk)
        assert (rc, delivered) == (1, 0)
        status = kiosk.status()
        assert status["backlog"] == 2 * round_ and status["dead"] == 0
        assert status["last_error"] == "connection_error"
    intake_server.start()
    assert _send_once(kiosk) == (0, 6, 0)
    assert kiosk.status()["backlog"] == 0
    _assert_exactly_once(kiosk, intake_server)


@pytest.mark.parametrize(
    ("fault", "error", "duplicates"),
    [
        (Fault.REFUSE, "connection_error", 0),
        (Fault.ERROR_500, "500 injected", 0),
        (Fault.ERROR_500_AFTER, "500 injected", 1),
        (Fault.SLOW, "timeout", 0),
        (Fault.SLOW_AFTER, "timeout", 1),
        (Fault.WRONG_CERT, "tls_error", 0),
    ],
)
def test_fault_keeps_backlog_and_drains_exactly_once(
    proxied_kiosk: KioskUnderTest,
    proxy: FaultProxy,
    intake_server: IntakeServer,
    fault: Fault,
    error: str,
    duplicates: int,
) -> None:
    kiosk = proxied_kiosk
    kiosk.enqueue(3)
    proxy.fault = fault
    rc, delivered, _ = _send_once(kiosk)
    assert (rc, delivered) == (1, 0)  # the round stops at the first retryable failure
    status = kiosk.status()
    assert (status["backlog"], status["dead"], status["last_error"]) == (3, 0, error)
    kiosk.enqueue(1)
    proxy.fault = Fault.PASS
    # "after" faults stored the first filing centrally: its resend comes back as a duplicate
    assert _send_once(kiosk) == (0, 4, duplicates)
    assert kiosk.status()["backlog"] == 0
    _assert_exactly_once(kiosk, intake_server)


def test_running_sender_rides_out_a_flapping_network(
    proxied_kiosk: KioskUnderTest, proxy: FaultProxy, intake_server: IntakeServer
) -> None:
    import time

    kiosk = proxied_kiosk
    kiosk.start_sender()
    faults = [Fault.ERROR_500_AFTER, Fault.REFUSE, Fault.SLOW_AFTER, Fault.WRONG_CERT]
    for fault in faults:
        proxy.fault = fault
        kiosk.enqueue(2)
        time.sleep(1.2)
    proxy.fault = Fault.PASS
    assert kiosk.wait_drained(60)["backlog"] == 0
    assert kiosk.stop_sender() == 0
    _assert_exactly_once(kiosk, intake_server)
