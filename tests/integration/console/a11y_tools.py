"""Accessibility probes run inside headless Chromium: axe-core, contrast, zoom, cover-up checks.

axe-core is the npm package that ``scripts/bootstrap.sh test`` installs into ``.venv/axe``
(``KIOSK_AXE_JS`` points elsewhere). WebDriver's script evaluation is not bound by the console's
strict CSP, so the page itself never allows inline or foreign scripts for the tests.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selenium.webdriver.remote.webdriver import WebDriver

REPO = Path(__file__).resolve().parents[3]
AXE_JS = Path(os.environ.get("KIOSK_AXE_JS", REPO / ".venv/axe/node_modules/axe-core/axe.min.js"))
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
#: window of the browser at 100 %, in CSS px; zoom Z % shows width/Z*100 x height/Z*100
WINDOW = (1280, 1100)
ZOOMS = (100, 200, 400)
TEXT_CONTRAST = 4.5
LARGE_TEXT_CONTRAST = 3.0
UI_CONTRAST = 3.0


@dataclass(frozen=True)
class AxeViolation:
    """One failed axe rule on a page, with up to three offending selectors."""

    rule: str
    impact: str
    nodes: int
    targets: tuple[str, ...]
    help: str


def run_axe(driver: WebDriver) -> list[AxeViolation]:
    """axe-core on the current page, WCAG 2.0/2.1 A+AA rules only."""
    if not AXE_JS.exists():
        raise AssertionError(
            f"axe-core not found at {AXE_JS}: run scripts/bootstrap.sh test (npm axe-core)"
        )
    if not driver.execute_script("return typeof window.axe === 'object';"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]},"
        " resultTypes: ['violations']})"
        ".then(r => done({violations: r.violations.map(v => ({id: v.id, impact: v.impact,"
        " help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))}))"
        ".catch(e => done({error: String(e)}));",
        list(AXE_TAGS),
    )
    if "error" in result:
        raise AssertionError(f"axe failed: {result['error']}")
    return [
        AxeViolation(v["id"], v["impact"] or "", len(v["nodes"]), tuple(v["nodes"][:3]), v["help"])
        for v in result["violations"]
    ]


PROBES_JS = (Path(__file__).parent / "a11y_probes.js").read_text(encoding="utf-8")


def probe(driver: WebDriver, call: str, *args: Any) -> Any:
    """Evaluate ``a11y.<call>`` from a11y_probes.js in the current page."""
    return driver.execute_script(f"{PROBES_JS}\nreturn a11y.{call};", *args)


def contrast_failures(driver: WebDriver) -> list[dict[str, Any]]:
    """Texts and controls below the WCAG AA contrast minimums on the current page."""
    found: list[dict[str, Any]] = probe(
        driver,
        "contrast(arguments[0], arguments[1], arguments[2])",
        TEXT_CONTRAST,
        LARGE_TEXT_CONTRAST,
        UI_CONTRAST,
    )
    return found


def contrast_of(driver: WebDriver, css: str) -> float:
    """The text contrast of the first element matching ``css`` against its background."""
    return float(probe(driver, "contrastOf(arguments[0])", css))


def set_zoom(driver: WebDriver, percent: int) -> None:
    """Lay the page out as browser zoom ``percent`` % does (fewer CSS px, same pixels)."""
    width, height = WINDOW
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width * 100 // percent,
            "height": height * 100 // percent,
            "deviceScaleFactor": percent / 100,
            "mobile": False,
        },
    )


def clear_zoom(driver: WebDriver) -> None:
    """Back to the plain 100 % window."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def covered_by_bars(driver: WebDriver) -> tuple[int, list[dict[str, str]]]:
    """(elements checked, those hidden under a fixed or sticky bar at some scroll position)."""
    result: dict[str, Any] = probe(driver, "covered()")
    return int(result["checked"]), list(result["covered"])


def horizontal_overflow(driver: WebDriver) -> int:
    """How many CSS px the page is wider than the window (0: no horizontal scrolling)."""
    value: int = driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - window.innerWidth);"
    )
    return value


def fixed_bars(driver: WebDriver) -> list[str]:
    """Visible elements that stay on screen while the page scrolls (fixed or sticky)."""
    found: list[str] = probe(driver, "bars()")
    return found
