"""The paper benchmarks still run and report their figures beside a same-run baseline."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.integration.paper.helpers import REPO


@pytest.mark.slow
def test_render_bench_reports_median_and_ratio_to_python_escpos() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "render_bench.py"), "--rounds", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert re.search(r"render\+sign\+encode median:\s+[\d.]+ ms", run.stdout), run.stdout
    assert re.search(r"ratio full / escpos-only:\s+[\d.]+x", run.stdout), run.stdout


def test_payload_bench_reports_sizes_against_plain_json() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "bench" / "forms_payload.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "move_in_6_members" in run.stdout and "ratio_vs_json" in run.stdout, run.stdout
