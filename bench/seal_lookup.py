"""Latency of ``POST /api/v1/seal-bindings/lookup`` (p50/p95 over N lookups), SQLite and PostgreSQL.

A real intake (uvicorn subprocess, HTTPS with its dev CA) holding ``--bindings`` bindings; one
keep-alive client sends N lookups by certificate (base64 DER: parse + chain check + one query)
and N by issuer + serial, and, as the same-run baseline, N ``GET /healthz``. Prints p50/p95 and
the ratios to the baseline. PostgreSQL: a throwaway cluster (initdb/pg_ctl, like the test
fixture) unless ``--pg-url`` names a server; skipped if neither is available.

Run: ``python bench/seal_lookup.py [--n 1000] [--bindings 10000] [--pg-url postgresql://…]``.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from server_sync.intake.clock import stamp  # noqa: E402
from server_sync.intake.db import migrate, open_engine  # noqa: E402
from tests.fixtures.intake import (  # noqa: E402
    IntakeServer,
    _as_pg_user,
    _pg_bindir,
    create_database,
    drop_database,
    free_port,
)
from tests.integration.intake.kit import make_pki  # noqa: E402

UTC = dt.UTC
PATH = "/api/v1/seal-bindings/lookup"


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def _timed(n: int, call: Callable[[], httpx.Response]) -> list[float]:
    out: list[float] = []
    for _ in range(n):
        start = time.perf_counter()
        response = call()
        out.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.text}")
    return out


def _seed(db_url: str, issuer: str, count: int) -> None:
    engine = open_engine(db_url)
    migrate(engine)
    now = stamp(dt.datetime.now(UTC))
    later = stamp(dt.datetime.now(UTC) + dt.timedelta(days=365))
    rows = [
        {"id": f"bench-{i}", "r": f"R{i}", "s": f"S{i}", "i": issuer, "n": format(10**9 + i, "x"),
         "na": later, "at": now}
        for i in range(count)
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO seal_bindings (binding_id, resident_id, seal_number, cert_issuer,"
                " cert_serial, not_after, status, created_at, created_by) VALUES"
                " (:id, :r, :s, :i, :n, :na, 'active', :at, 'bench')"
            ),
            rows,
        )
    engine.dispose()


@contextmanager
def _pg_cluster() -> Iterator[str | None]:
    bindir = _pg_bindir()
    if bindir is None:
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    subprocess.run(_as_pg_user([str(bindir / "initdb"), "-D", str(data), "-U", "postgres",
                                "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]),
                   check=True, capture_output=True)  # fmt: skip
    opts = f"-F -p {port} -k {sock} -c listen_addresses=127.0.0.1"
    subprocess.run(_as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-l",
                                str(base / "pg.log"), "-o", opts, "-w", "start"]),
                   check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                    "-w", "stop"]), check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(base, ignore_errors=True)


def run(backend: str, db_url: str, n: int, bindings: int) -> dict[str, float]:
    """Start an intake on ``db_url``, seed it, time the three kinds of request."""
    pki = make_pki("Bench JPKI user authentication CA")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    issued = dt.datetime.now(UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "card")]))
        .issuer_name(pki.root.subject).public_key(key.public_key())
        .serial_number(10**9 + bindings // 2)  # one of the seeded bindings
        .not_valid_before(issued).not_valid_after(issued + dt.timedelta(days=365))
        .sign(pki.root_key, hashes.SHA256())
    )  # fmt: skip
    _seed(db_url, pki.root.subject.rfc4514_string(), bindings)
    with tempfile.TemporaryDirectory(prefix="bench-seal-") as tmp:
        trust = Path(tmp) / "trust"
        trust.mkdir()
        (trust / "root.pem").write_bytes(pki.root_pem())
        server = IntakeServer(db_url, Path(tmp) / "data", free_port(),
                              ("--trust-dir", str(trust)))  # fmt: skip
        server.start()
        try:
            user, password = (server.data_dir / "initial-admin-password").read_text().split()[:2]
            der = base64.b64encode(cert.public_bytes(_DER)).decode()
            by_cert = {"certificate": der}
            by_serial = {"issuer": pki.root.subject.rfc4514_string(),
                         "serial": format(cert.serial_number, "x")}  # fmt: skip
            with server.client(timeout=30, auth=(user, password)) as client:
                answer = client.post(PATH, json=by_cert).json()
                assert answer["status"] == "active", answer
                for _ in range(50):  # warm-up (connections, caches, first scrypt)
                    client.get("/healthz")
                    client.post(PATH, json=by_cert)
                base = _timed(n, lambda: client.get("/healthz"))
                cert_t = _timed(n, lambda: client.post(PATH, json=by_cert))
                serial_t = _timed(n, lambda: client.post(PATH, json=by_serial))
        finally:
            server.close()
    b50, b95 = _percentiles(base)
    c50, c95 = _percentiles(cert_t)
    s50, s95 = _percentiles(serial_t)
    print(f"{backend:10s} healthz      p50 {b50:6.2f} ms  p95 {b95:6.2f} ms")
    print(f"{backend:10s} lookup cert  p50 {c50:6.2f} ms  p95 {c95:6.2f} ms"
          f"  ratio p50 {c50 / b50:4.2f}  p95 {c95 / b95:4.2f}")  # fmt: skip
    print(f"{backend:10s} lookup serial p50 {s50:6.2f} ms  p95 {s95:6.2f} ms"
          f"  ratio p50 {s50 / b50:4.2f}  p95 {s95 / b95:4.2f}")  # fmt: skip
    return {"healthz_p50": b50, "cert_p50": c50, "cert_p95": c95, "serial_p50": s50}


from cryptography.hazmat.primitives.serialization import Encoding  # noqa: E402

_DER = Encoding.DER


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--bindings", type=int, default=10_000)
    parser.add_argument("--pg-url", default=None, help="a PostgreSQL server (default: temp one)")
    args = parser.parse_args()
    print(f"{args.n} lookups each, {args.bindings} bindings stored, one keep-alive HTTPS client")
    with tempfile.TemporaryDirectory(prefix="bench-seal-db-") as tmp:
        run("sqlite", f"sqlite:///{tmp}/intake.db", args.n, args.bindings)
    with _pg_cluster() if args.pg_url is None else _given(args.pg_url) as server_url:
        if server_url is None:
            print("postgresql skipped (no initdb/pg_ctl and no --pg-url)")
            return 0
        db_url = create_database(server_url)
        try:
            run("postgresql", db_url, args.n, args.bindings)
        finally:
            drop_database(db_url)
    return 0


@contextmanager
def _given(url: str) -> Iterator[str | None]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
