"""Reading the outbox's counts and the sender's state needs no cryptography (issue 14).

The kiosk's welcome screen shows the stand's status (backlog, last contact) right after start;
loading cryptography for it cost the app ~5 MB it keeps for good. In a fresh process: the status
is read with cryptography never imported, and the same process then still seals, stores and
opens a message (the AEAD comes with the first one).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from server_sync.devicekey import load_or_create_outbox_key
    from server_sync.ids import new_uuid7
    from server_sync.outbox import Outbox
    from server_sync.sync_state import STATE_LAST_SUCCESS_AT

    folder = Path(sys.argv[1])
    key = load_or_create_outbox_key(folder / "outbox.key")
    with Outbox.open(folder / "outbox.db", key) as box:
        box.set_state(STATE_LAST_SUCCESS_AT, "2026-12-07T10:00:00Z")
        stats = box.stats()
        state = box.get_state(STATE_LAST_SUCCESS_AT)
    before = "cryptography" in sys.modules
    message_id = new_uuid7()
    with Outbox.open(folder / "outbox.db", key) as box:
        box.enqueue(b"envelope bytes", message_id)
        box.enqueue(b"envelope bytes", message_id)  # the same again: compared after opening
        claimed = box.claim()
        backlog = box.stats().backlog
    print(json.dumps({
        "crypto_for_status": before, "backlog_before": stats.backlog, "state": state,
        "crypto_after": "cryptography" in sys.modules, "claimed": claimed.envelope.decode(),
        "same_id": claimed.id == message_id, "backlog_after": backlog,
    }))
    """
)


def test_status_without_cryptography_then_sealing_still_works(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["crypto_for_status"] is False
    assert result["backlog_before"] == 0
    assert result["state"] == "2026-12-07T10:00:00Z"
    assert result["crypto_after"] is True
    assert result["claimed"] == "envelope bytes" and result["same_id"] is True
    assert result["backlog_after"] == 1  # claimed (sending) still counts until done
    # stored sealed: the plaintext is not in the database file
    assert b"envelope bytes" not in (tmp_path / "outbox.db").read_bytes()
