"""Issue 15 findings 4 and 6 at the command line: named staff, token checks, private files."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from server_sync.intake import store
from server_sync.intake.cli import main
from server_sync.intake.console.auth import Authenticator
from server_sync.intake.console.errors import LoginFailedError
from server_sync.intake.console.settings import ConsoleSettings
from server_sync.intake.db import migrate, open_engine

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "a long staff secret"


def cli(*args: str, stdin: str = "", umask: int | None = None) -> subprocess.CompletedProcess[str]:
    def set_umask() -> None:
        if umask is not None:
            os.umask(umask)

    return subprocess.run(
        [sys.executable, "-m", "server_sync.intake", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=set_umask,  # only a umask, before exec
    )


def test_staff_add_list_disable_passwd_never_print_a_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'intake.db'}"
    added = cli(
        "staff", "add", "--db", db, "--username", "sato", "--role", "supervisor",
        "--password-stdin", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = cli("staff", "list", "--db", db)
    assert listed.stdout.splitlines()[0].startswith("sato\tsupervisor\tactive\t")
    engine = open_engine(db)
    auth = Authenticator(engine, ConsoleSettings(), clock=lambda: 1_800_000_000)
    assert auth.login("sato", PASSWORD, "10.0.0.1")[1].role == "supervisor"
    changed = cli(
        "staff", "passwd", "--db", db, "--username", "sato", "--password-stdin",
        stdin="another long secret\n",
    )  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    with pytest.raises(LoginFailedError):
        auth.login("sato", PASSWORD, "10.0.0.2")
    assert cli("staff", "disable", "--db", db, "--username", "sato").returncode == 0
    with pytest.raises(LoginFailedError):
        auth.login("sato", "another long secret", "10.0.0.3")
    for run in (added, listed, changed):
        assert PASSWORD not in run.stdout + run.stderr
        assert "another long secret" not in run.stdout + run.stderr
    actions = [(e.action, e.actor) for e in store.list_audit(engine, subject_type="staff")]
    assert [a for a, _ in actions] == [
        "staff.created", "staff.login", "staff.password_changed", "staff.login_failed",
        "staff.disabled", "staff.login_failed",
    ]  # fmt: skip
    made_by = [actor for action, actor in actions if action.endswith(("created", "d_changed"))]
    assert all(actor.startswith("cli:") and len(actor) > len("cli:") for actor in made_by)
    engine.dispose()


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (("--username", "Bad Name", "--role", "clerk"), "", "username"),
        (("--username", "kato", "--role", "boss"), "", "invalid choice"),
        (("--username", "kato", "--role", "clerk", "--password-stdin"), "short\n", "password"),
    ],
)
def test_staff_add_refuses_bad_input_without_a_traceback(
    tmp_path: Path,
    args: tuple[str, ...],
    stdin: str,
    needle: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = _run_in_process("staff", "add", "--db", f"sqlite:///{tmp_path / 'i.db'}", *args)
    assert code == 2
    assert needle in capsys.readouterr().err


def _run_in_process(*args: str) -> int:
    """``main`` in this process (argparse errors exit 2; typed errors return 2), no traceback."""
    try:
        return main(list(args))
    except SystemExit as stop:
        return int(stop.code or 0)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--kiosk-id", "<script>x</script>"), "kiosk id"),
        (("--kiosk-id", "k1", "--ttl-days", "-1"), "days"),
        (("--kiosk-id", "k1", "--ttl-days", "1e9"), "days"),
        (("--kiosk-id", "k1", "--ttl-days", "nan"), "days"),
    ],
)
def test_token_create_checks_kiosk_id_and_ttl(
    tmp_path: Path, args: tuple[str, ...], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'i.db'}"
    assert _run_in_process("token", "create", "--db", db, *args) == 2
    assert needle in capsys.readouterr().err
    engine = open_engine(db)
    migrate(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM enrol_tokens").scalar_one() == 0
    engine.dispose()


def test_database_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    db_file = tmp_path / "intake.db"
    run = cli("token", "create", "--db", f"sqlite:///{db_file}", "--kiosk-id", "k1", umask=0)
    assert run.returncode == 0, run.stderr
    for path in (db_file, *tmp_path.glob("intake.db-*")):
        assert path.stat().st_mode & 0o777 == 0o600, path


def test_cli_csv_export_neutralises_formula_cells(tmp_path: Path) -> None:
    from dataclasses import replace

    from kiosk.forms.codec import canonical_bytes
    from server_sync.intake.clock import utc_now
    from server_sync.intake.records import FilingStatus
    from tests.fixtures.filings import build_filing

    db = f"sqlite:///{tmp_path / 'i.db'}"
    engine = open_engine(db)
    migrate(engine)
    filing = build_filing(name="@SUM(A1)")
    filing = replace(filing, members=(replace(filing.members[0], furigana="+ヤマダ"),))
    data = canonical_bytes(filing)
    store.record_paper_filing(
        engine,
        filing_id=filing.id,
        filing_json=data.decode(),
        filing_sha256="0" * 64,
        kiosk_id="k1",
        created_at="2026-11-27T00:30:00Z",
        kiosk_signature_ok=True,
        now=utc_now(),
        actor="test",
    )
    store.set_filing_status(
        engine, filing.id, FilingStatus.ACCEPTED, actor="staff:t", reason=None, now=utc_now()
    )
    engine.dispose()
    out = tmp_path / "export.csv"
    assert _run_in_process("export", "--db", db, "--format", "csv", "--output", str(out)) == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert all(cell[:1] not in {"=", "+", "-", "@", "\t", "\r"} for row in rows for cell in row)
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["name"] == "'@SUM(A1)" and record["furigana"] == "'+ヤマダ"
