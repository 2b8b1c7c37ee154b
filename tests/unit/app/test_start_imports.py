"""The app at its settled welcome screen has not loaded the stacks only a visit or staff needs.

Issue 14 (the app's own memory, start-up time): the real demo app runs in a fresh process
(offscreen SDL window, simulated reader), shows the welcome screen for a moment and collects the
stand's status as it does after every start (outbox counts, sender state, master versions); then
the modules it loaded are listed. Each name below is a stack made lazy: importing one of them on
the way to the welcome screen again fails this test.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any

from tests.fixtures.kivy import run_offscreen

#: loaded by a visit or by staff, never for the welcome screen
LAZY = (
    "cryptography",  # the outbox's AEAD, the envelope's signature, the card's certificates
    "http.client",  # the technician checks of the staff diagnosis
    "urllib.request",
    "email.message",
    "kiosk.staff_diagnosis",
    "kiosk.tech.checks",
    "server_sync.sender",
    "server_sync.envelope",
    "kiosk.forms.codec",  # the filing's canonical bytes (signing, rendering)
    "kiosk.flows.rendering",
    "kiosk.forms.render.labels",  # the printed labels: the render child fills them
    "multiprocessing",
)

#: the visit's parts and procedure families: made on first use or by the warm-up after the first
#: frame (``VisitFlow.warm_up``), never before the welcome screen's first frame
AFTER_FIRST_FRAME = (
    "kiosk.flows.card_steps",
    "kiosk.flows.address_step",
    "kiosk.flows.address_picker",
    "kiosk.flows.town_search",
    "kiosk.flows.household",
    "kiosk.flows.filer",
    "kiosk.flows.newcomer",
    "kiosk.flows.review",
    "kiosk.flows.printing",
    "kiosk.flows.signing",
    "kiosk.flows.card_pause",
    "kiosk.flows.build",
    "kiosk.flows.progress",
    "kiosk.flows.procedures.base",
    "kiosk.flows.procedures.moves",
    "kiosk.flows.procedures.household_change",
    "kiosk.flows.procedures.card",
    "kiosk.forms.ids",
    "kiosk.forms.validation",
    "kiosk.hardware.card.basic_four",
    "kiosk.flows.outcomes",  # the services' typed outcomes: imported by their first job
    "server_sync.stand_report",  # the device report: written after the first frame
    "kiosk.forms.model",  # the filing's records (the welcome path imports kiosk.forms.kinds)
    "kiosk.forms.relationship",
    "kiosk.flows.change_questions",  # the 世帯変更 questions (not the welcome's labels)
    "kiosk.forms.master.records",  # the master's towns, 町字, buildings (the picker's)
)
#: loaded only by a text that needs it (the welcome screen in Japanese has none)
ON_DEMAND = (
    "kiosk.screens.ruby_label",  # the ruby label: a やさしい日本語 text
    "kiosk.flows.voice",  # the spoken prompts: a stand configured with them
)
#: the shared widgets' rules the welcome screen does not use (the error panel, the card guide):
#: loaded with the warm-up or the first other screen
VISIT_KV = "widgets_visit.kv"
#: needed only with a configuration file to parse (the demo has none): both settings readers
#: import the TOML parser when they read one
WITH_A_CONFIG_FILE = ("tomllib",)
#: needed only when a catalog is compiled (the compiled catalogs are cached across starts)
CATALOG_COMPILER = ("kiosk.i18n.glossary", "kiosk.i18n.po")

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    script = work / "welcome.json"
    script.write_text(json.dumps({"name": "welcome_only", "steps": [{"wait": 2}],
                                  "end": "welcome"}))
    code = main(["demo", "--reader", "sim", "--script", str(script), "--out", str(work / "out"),
                 "--summary", str(work / "summary.json")])
    from kivy.lang import Builder
    kv = sorted(Path(name).name for name in Builder.files)
    (work / "modules.json").write_text(json.dumps({"code": code, "modules": sorted(sys.modules),
                                                   "kv": kv}))
    """
)


def _run_app(script: str, work: Path, catalogs: Path) -> tuple[str, dict[str, Any]]:
    """Run ``script`` (the demo app) in a fresh process: its output and its modules.json."""
    out = run_offscreen(script, str(work), env={"KIOSK_CATALOG_CACHE": str(catalogs)})
    return out, json.loads((work / "modules.json").read_text())


def test_welcome_screen_loads_no_visit_or_staff_stack(tmp_path: Path) -> None:
    _out, result = _run_app(SCRIPT, tmp_path, tmp_path / "catalogs")
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert result["code"] == 0 and not summary["failure"]
    assert summary["screens"][-1] == "welcome"
    modules = set(result["modules"])
    # the status was collected (the outbox was opened and read), so the check is not vacuous
    assert {"kiosk.staff_panel", "server_sync.outbox", "server_sync.sync_state"} <= modules
    loaded = sorted(name for name in LAZY if name in modules)
    assert loaded == [], f"loaded for the welcome screen: {loaded}"
    # two seconds on the welcome screen: the warm-up after the first frame made the visit's parts
    assert set(AFTER_FIRST_FRAME) <= modules, sorted(set(AFTER_FIRST_FRAME) - modules)
    assert VISIT_KV in result["kv"], result["kv"]  # loaded by the warm-up too


READY_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kiosk.__main__ import main

    work = Path(sys.argv[1])
    code = main(["demo", "--reader", "sim", "--no-intake", "--out", str(work / "out"),
                 "--exit-when-ready"])
    from kivy.lang import Builder
    kv = sorted(Path(name).name for name in Builder.files)
    rules = sorted({rule.name for _selector, rule in Builder.rules})
    (work / "modules.json").write_text(json.dumps({"code": code, "modules": sorted(sys.modules),
                                                   "kv": kv, "rules": rules}))
    """
)


def _first_frame(work: Path, catalogs: Path) -> dict[str, Any]:
    """modules.json of the demo app stopped at its welcome screen's first frame."""
    work.mkdir()
    out, result = _run_app(READY_SCRIPT, work, catalogs)
    assert "ready" in out.split()
    assert result["code"] == 0
    return result


def _modules_at_first_frame(work: Path, catalogs: Path) -> set[str]:
    return set(_first_frame(work, catalogs)["modules"])


def test_first_frame_of_the_welcome_screen_makes_no_visit_part(tmp_path: Path) -> None:
    """Start-up time (issue 14): the visit's parts and families load after the first frame."""
    catalogs = tmp_path / "catalogs"
    first = _modules_at_first_frame(tmp_path / "first", catalogs)  # compiles the catalogs
    assert set(CATALOG_COMPILER) <= first  # (so that the check below is not vacuous)
    modules = _modules_at_first_frame(tmp_path / "again", catalogs)
    assert not set(CATALOG_COMPILER) & modules, sorted(set(CATALOG_COMPILER) & modules)
    # the welcome screen was built and drawn from the flow, so the check is not vacuous
    assert {"kiosk.flows.core", "kiosk.screens.welcome", "kiosk.flows.procedures"} <= modules
    later = AFTER_FIRST_FRAME + ON_DEMAND + WITH_A_CONFIG_FILE
    loaded = sorted(name for name in later if name in modules)
    assert loaded == [], f"loaded before the welcome screen's first frame: {loaded}"


def test_first_frame_parses_only_the_welcome_screens_kv_rules(tmp_path: Path) -> None:
    """The error panel's and card guide's rules are not parsed before the first frame."""
    result = _first_frame(tmp_path / "ready", tmp_path / "catalogs")
    assert {"widgets.kv", "welcome.kv"} <= set(result["kv"])  # the welcome screen's kv
    assert {"<BigButton>", "<KioskScreen>"} <= set(result["rules"])
    assert VISIT_KV not in result["kv"]
    parsed = sorted(set(result["rules"]) & {"<ErrorPanel>", "<CardGuide>"})
    assert parsed == [], f"parsed before the first frame: {parsed}"


def test_the_catalog_cache_depends_on_the_glossary_file() -> None:
    from kiosk.i18n import catalog, glossary

    assert catalog.GLOSSARY_PATH == glossary.GLOSSARY_PATH
    assert catalog.GLOSSARY_PATH.is_file()
