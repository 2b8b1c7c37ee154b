#!/usr/bin/env bash
# The README's main command: bootstraps the machine and runs the kiosk with its embedded defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh runtime
exec .venv/bin/python -m kiosk demo "$@"
