"""Issue 12, a foreign resident alone: readings and romaji, the search by reading, 続柄 glosses,
the keyboard in the right script, and paper in her language — by real touches in the demo app.

``foreign_resident_vi`` (Vietnamese) and ``town_reading_ja`` (Japanese) hold the touches and
the expectations (texts shown, keys found without a mode switch, nothing scrolled away); this
file checks that they play to the end and decodes the printed receipt of the Vietnamese visit.
"""

from __future__ import annotations

import pytest

from kiosk.forms.render.form import RECEIPT_SIZES
from kiosk.forms.render.labels import Label, Labels
from kiosk.hardware.printer.profiles import DEFAULT_PROFILE
from kiosk.hardware.printer.raster_decode import decode_job
from tests.fixtures.kivy import DemoRunner
from tests.integration.paper.printed_lines import ink, line_of, next_line, printed_at

pytestmark = [pytest.mark.ui, pytest.mark.slow]


def _screens_in_view(run_summary: dict[str, object], screen: str) -> list[str]:
    overflow = run_summary.get("overflow", [])
    assert isinstance(overflow, list)
    return [str(o) for o in overflow if f"/{screen}:" in str(o)]


def test_vietnamese_resident_reads_searches_and_gets_her_paper(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["foreign_resident_vi"], "foreign_resident_vi")
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert _screens_in_view(run.summary, "address") == []
    assert run.summary["printed_jobs"] == 1
    assert run.out is not None
    # the receipt as the printer got it (the demo printer keeps a copy per filing)
    job = max((run.out / "printed").glob("*/receipt.escpos"), key=lambda f: f.stat().st_mtime)
    decoded = decode_job(job.read_bytes(), DEFAULT_PROFILE.width_dots)
    paper = ink(decoded.image)
    value = RECEIPT_SIZES.value
    # neither member has card work at the counter: なし, with không có below it, twice
    none_ja = printed_at(paper, line_of("　なし", value, profile=DEFAULT_PROFILE))
    none_vi = printed_at(
        paper, line_of(f"　{Labels('vi').other(Label.NONE)}", value, profile=DEFAULT_PROFILE)
    )
    assert len(none_ja) == 2 and next_line(none_ja, none_vi, value)


def test_japanese_resident_sees_readings_and_searches_by_kana(kiosk_demo: DemoRunner) -> None:
    run = kiosk_demo(["town_reading_ja"], "town_reading_ja")
    assert run.returncode == 0, run.log
    assert run.failure == "", run.log
    assert _screens_in_view(run.summary, "address") == []
