#!/usr/bin/env bash
# The README's test command: bootstraps the machine, lints, runs the whole suite.
# Services the tests need (pcscd + vpcd, PostgreSQL, uvicorn, headless Chromium) are started by the
# test fixtures themselves and stopped afterwards, so this works on a fresh machine with none running.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/unit -k tlv).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh test

echo "== lint"
lint_rc=0
.venv/bin/ruff check kiosk server_sync tests bench || lint_rc=1
.venv/bin/mypy || lint_rc=1
# one-way dependencies: the import contracts in pyproject.toml (docs/architecture.md)
.venv/bin/lint-imports --no-cache || lint_rc=1

echo "== tests"
mkdir -p artifacts
# pytest-xdist: one worker per core (KIOSK_TEST_WORKERS=0 runs in one process); the tests of one
# machine-wide resource (pcscd, the screen-gallery sweeps) stay on one worker (tests/conftest.py)
workers="${KIOSK_TEST_WORKERS:-auto}"
# every test's outcome and time, for finding where the suite's minutes go
report=(--junitxml=artifacts/junit.xml)
set +e
if [ "$workers" = "0" ]; then
  .venv/bin/python -m pytest "${report[@]}" "$@"
else
  .venv/bin/python -m pytest -n "$workers" --dist loadgroup "${report[@]}" "$@"
fi
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests" >&2
  exit 1
fi
if [ "$lint_rc" -ne 0 ] && [ "$rc" -eq 0 ]; then
  echo "tests passed, but lint (ruff/mypy/lint-imports) failed: see above" >&2
  exit 1
fi
exit "$rc"
