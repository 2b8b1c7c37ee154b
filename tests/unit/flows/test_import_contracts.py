"""The import contracts of pyproject.toml (run by scripts/test.sh) pass here and catch a violation.

Each case copies the sources (``.py`` files only) to a temporary tree, adds one forbidden import
and runs the real ``lint-imports`` on that copy with the repository's contracts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter not installed")


def _copy_tree(dest: Path) -> None:
    for package in ("kiosk", "server_sync"):
        for source in (ROOT / package).rglob("*.py"):
            target = dest / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(ROOT / "pyproject.toml", dest / "pyproject.toml")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("contracts")
    _copy_tree(tree)
    return tree


def test_the_repository_keeps_every_contract(pristine: Path) -> None:
    run = _lint(pristine)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("kiosk/forms/model.py", "import kiosk.flows.steps", "kiosk.forms (the filing domain)"),
        ("kiosk/forms/model.py", "import server_sync.outbox", "kiosk.forms (the filing domain)"),
        ("server_sync/outbox.py", "import kiosk.flows.steps", "server_sync imports from kiosk"),
        ("server_sync/outbox.py", "import kiosk.i18n.catalog", "server_sync imports from kiosk"),
        ("kiosk/screens/pin.py", "import kiosk.hardware.card.errors", "kiosk.screens never"),
        ("kiosk/screens/pin.py", "import server_sync.config", "kiosk.screens never"),
    ],
)
def test_a_forbidden_import_breaks_the_lint(
    tmp_path: Path, pristine: Path, module: str, line: str, contract: str
) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(pristine, tree)
    path = tree / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    run = _lint(tree)
    assert run.returncode != 0
    broken = run.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken and line.split()[-1] in broken
