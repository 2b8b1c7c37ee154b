"""Issue 15 finding 1: a login flood from many sources changes nothing for filings or the clerk.

Runs bench/login_flood.py (a real intake under uvicorn + TLS; 16 attacker threads, each from its
own loopback address) in a short mode and prints its figure. Before the fix: filing POST p95
12.7 s with "database is locked" 500s, and the clerk's name locked for 15 minutes.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[3]
#: latency slack for a shared 2-core test machine (the figure is printed either way)
SLACK_MS = 60.0


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("login_flood", REPO / "bench" / "login_flood.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_filing_posts_stay_fast_and_the_clerk_gets_in_during_a_login_flood() -> None:
    bench = _bench()
    result = bench.run(sources=16, filings=40)
    print(result.report())
    assert result.filing_errors == 0
    assert result.clerk_status == 303  # logged in from another address meanwhile
    assert result.login_answers.get(500, 0) == 0 and result.login_answers.get(0, 0) == 0
    base95, flood95 = result.p(result.baseline_ms, 0.95), result.p(result.flood_ms, 0.95)
    base50, flood50 = result.p(result.baseline_ms, 0.5), result.p(result.flood_ms, 0.5)
    assert flood50 <= 2 * base50 + SLACK_MS / 4, result.report()
    assert flood95 <= 2 * base95 + SLACK_MS, result.report()
