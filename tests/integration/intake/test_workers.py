"""``serve --workers 2``: two uvicorn processes on one SQLite file, every filing stored once."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.fixtures.intake import IntakeServer, free_port
from tests.integration.intake.db_checks import audit_actions, filing_count
from tests.integration.intake.kit import Pki, TestKiosk

KIOSKS = 6
PER_KIOSK = 15


def worker_pids(server: IntakeServer) -> list[int]:
    """Live child processes of the serving command (the uvicorn workers)."""
    assert server.proc is not None
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == server.proc.pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def two_workers(tmp_path: Path, trust_dir: Path) -> Iterator[IntakeServer]:
    server = IntakeServer(
        f"sqlite:///{tmp_path / 'intake.db'}",
        tmp_path / "data",
        free_port(),
        ("--trust-dir", str(trust_dir), "--workers", "2"),
    )
    server.start()
    yield server
    server.close()


@pytest.mark.slow
def test_two_workers_store_concurrent_filings_once_each(
    two_workers: IntakeServer, jpki: Pki
) -> None:
    assert len(worker_pids(two_workers)) >= 2  # uvicorn's multiprocess supervisor + workers
    card = jpki.issue_card()
    fleet = [TestKiosk(f"w-{uuid.uuid4().hex[:8]}") for _ in range(KIOSKS)]
    with two_workers.client(timeout=30) as client:
        for kiosk in fleet:
            assert kiosk.enrol(client, two_workers.create_token(kiosk.kiosk_id)).status_code == 201
    loads = {k.kiosk_id: [k.envelope(card=card) for _ in range(PER_KIOSK)] for k in fleet}
    answers: list[tuple[str, int]] = []
    lock = threading.Lock()

    def post_all(kiosk: TestKiosk) -> None:
        with two_workers.client(timeout=60) as client:
            for fid, env in loads[kiosk.kiosk_id]:
                first = kiosk.post_filing(client, env).status_code
                replay = kiosk.post_filing(client, env)  # may reach the other worker
                with lock:
                    answers.append((fid, first))
                    answers.append((fid, replay.status_code))
                assert replay.json()["result"] == "duplicate"

    threads = [threading.Thread(target=post_all, args=(k,)) for k in fleet]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    total = KIOSKS * PER_KIOSK
    assert sorted(status for _, status in answers) == [200] * total + [201] * total
    assert filing_count(two_workers.engine) == total
    some_id = answers[0][0]
    assert audit_actions(two_workers.engine, some_id) == ["filing.received"]
    with two_workers.engine.connect() as conn:
        bindings = conn.execute(text("SELECT DISTINCT resident_binding FROM filings")).all()
    assert bindings == [("verified",)]
    two_workers.stop()  # each worker logs its group-commit figures on shutdown
    log = two_workers.log_file.read_text(encoding="utf-8", errors="replace")
    summaries = [line for line in log.splitlines() if "group commit:" in line]
    assert len(summaries) == 2, log[-2000:]
    stored = sum(int(line.split("group commit: ")[1].split()[0]) for line in summaries)
    assert stored == total


def test_a_bad_worker_count_is_a_usage_error(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "server_sync.intake", "--db", f"sqlite:///{tmp_path}/x.db",
         "--workers", "0"],
        capture_output=True, text=True, timeout=60, cwd=Path(__file__).resolve().parents[3],
    )  # fmt: skip
    assert result.returncode == 2 and "worker processes" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_healthz_answers_from_both_workers(two_workers: IntakeServer) -> None:
    with two_workers.client(timeout=10) as client:
        assert all(client.get("/healthz").status_code == 200 for _ in range(20))
    with httpx.Client(verify=two_workers.ssl_context(), timeout=10) as fresh:
        assert fresh.get(f"{two_workers.base_url}/healthz").json() == {"status": "ok"}
