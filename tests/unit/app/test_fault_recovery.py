"""An error nothing in the app handles ends the visit with a word, not a crash (kiosk.app_faults).

The real demo app plays the Vietnamese resident's visit in a fresh offscreen process; the address
screen's build is made to fail once, with personal data in the error's message, when the visit
reaches it. The app survives: it is on the welcome screen at once, showing the notice in the
resident's language, every personal datum of the visit gone; the journal names the place, not
the message. The scripted run itself fails, naming the error (a script never passes over one).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

REPO = Path(__file__).resolve().parents[3]
PROBE = textwrap.dedent(
    """
    import json, logging, sys
    from pathlib import Path
    from kiosk.app import KioskApp
    from kiosk.screens.address import AddressScreen
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    seen = {"logged": []}

    class Journal(logging.Handler):
        def emit(self, record):
            seen["logged"].append(record.getMessage())

    logging.getLogger("kiosk").addHandler(Journal())
    build = AddressScreen.build_body

    def failing_build(self):
        AddressScreen.build_body = build
        raise RuntimeError("NGUYEN VAN AN 1234")

    AddressScreen.build_body = failing_build
    fault = KioskApp._fault

    def observed_fault(self, error):
        seen["personal_before"] = bool(self.flow.personal_strings())
        fault(self, error)
        shown = self.current_screen
        panel = shown.widgets.get("fault_notice")
        seen.update(
            screen=self.manager.current,
            language=self.translator.language.code,
            notice=None if panel is None else [panel.problem, panel.todo],
            personal_after=self.flow.personal_strings(),
            faults=list(self.faults),
        )

    KioskApp._fault = observed_fault
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out"),
                 "--script", sys.argv[2], "--summary", str(work / "summary.json")])
    (work / "seen.json").write_text(json.dumps({"code": code, **seen}, ensure_ascii=False))
    """
)


def test_an_unhandled_error_ends_the_visit_with_a_notice_in_the_residents_language(
    tmp_path: Path,
) -> None:
    script = REPO / "examples" / "visits" / "foreign_resident_vi.json"
    run_offscreen(
        PROBE, str(tmp_path), str(script), env={"KIOSK_CATALOG_CACHE": str(tmp_path / "cat")}
    )
    seen: dict[str, Any] = json.loads((tmp_path / "seen.json").read_text())
    summary: dict[str, Any] = json.loads((tmp_path / "summary.json").read_text())
    assert seen["personal_before"]  # the card had been read: there was something to lose
    assert seen["screen"] == "welcome"
    assert seen["language"] == "vi"
    problem, todo = seen["notice"]
    assert "máy này gặp sự cố" in problem and "gọi nhân viên" in todo
    assert seen["personal_after"] == []
    assert len(seen["faults"]) == 1
    assert seen["faults"][0].startswith("RuntimeError at <string>:")
    assert seen["faults"][0].endswith(" in failing_build")
    # the scripted run fails on it, and says where
    assert seen["code"] == 1
    assert summary["failure"] == f"unexpected error in the app: {seen['faults'][0]}"
    logged = "\\n".join(seen["logged"])
    assert seen["faults"][0] in logged and "visit ended: fault" in logged
    assert "NGUYEN" not in logged and "1234" not in logged
