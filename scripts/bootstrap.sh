#!/usr/bin/env bash
# Bootstrap a fresh Debian machine for this project: apt packages (as root), a venv at .venv/,
# Python dependencies. Idempotent and quick when everything is already in place.
# Usage: scripts/bootstrap.sh [runtime|test]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

# Debian packages the kiosk needs at run time (card stack, Kivy on EGL, fonts for forms,
# aplay for the optional voice prompts and espeak-ng to make them: python -m kiosk.tech voices).
APT_RUNTIME=(
  pcscd libpcsclite-dev vsmartcard-vpcd pcsc-tools opensc
  libegl1 libegl-mesa0 libgl1-mesa-dri libgbm1 libgles2 libmtdev1
  fonts-ipamj-mincho fonts-noto-cjk fonts-ipaexfont fonts-noto-core libfribidi0 libusb-1.0-0
  alsa-utils espeak-ng
  gcc python3-dev swig
)
# Extra packages the tests use (independent peers, renderers, browsers, databases, unit checks).
APT_TEST=(
  poppler-utils
  cups cups-filters
  umockdev gir1.2-umockdev-1.0 python3-gi
  chromium chromium-driver
  postgresql
  systemd systemd-container shellcheck
  rauc squashfs-tools openssl dosfstools mtools fdisk e2fsprogs
  qemu-system-arm u-boot-qemu u-boot-tools libubootenv-tool
)
# (qemu-system-arm + u-boot-qemu run the image's boot.scr in real U-Boot, u-boot-tools compiles
# it, libubootenv-tool is fw_printenv/fw_setenv as RAUC calls them: tests/integration/appliance.)
# The slow SD-image build and QEMU boot (image-build/build.sh, not part of the test run) also
# need: mmdebstrap qemu-user-static binfmt-support arch-test (see docs/appliance.md).

want=("${APT_RUNTIME[@]}")
[ "$mode" = test ] && want+=("${APT_TEST[@]}")
# npm fetches axe-core for the console's accessibility tests (NodeSource's nodejs already bundles it).
if [ "$mode" = test ] && ! command -v npm >/dev/null 2>&1; then want+=(npm); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The venv: Python 3.11 (the project's language level) or whatever python3 is (3.13 on trixie).
PY=${KIOSK_PYTHON:-$(command -v python3.11 || command -v python3)}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
extras=""
[ "$mode" = test ] && extras="[dev]"
stamp=".venv/.deps-$(sha256sum pyproject.toml | cut -c1-16)-$mode"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python dependencies into .venv (log: .venv/pip.log)"
  if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e ".$extras"; } \
      >.venv/pip.log 2>&1; then
    grep -v '^WARNING: Location' .venv/pip.log | tail -40 >&2
    echo "bootstrap: pip install failed (full log: .venv/pip.log)" >&2
    exit 1
  fi
  rm -f .venv/.deps-* && touch "$stamp"
fi

# emupos decodes ESC/POS jobs back into images for the paper tests; it needs Python >= 3.13, so it
# gets its own venv. Without a python3.13 (Debian bookworm) the tests use kiosk's own raster decoder.
find_python313() {
  local c
  for c in ${KIOSK_PYTHON313:-} python3.13 /usr/bin/python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13; do
    if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 13))' 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  return 1
}
if [ "$mode" = test ] && [ ! -x .venv-emupos/bin/python ]; then
  if PY313=$(find_python313); then
    if ! { "$PY313" -m venv .venv-emupos && .venv-emupos/bin/pip install -q "emupos==0.4.0"; } \
        >.venv/pip-emupos.log 2>&1; then
      echo "bootstrap: emupos venv failed; paper tests use the built-in decoder" >&2
      rm -rf .venv-emupos
    fi
  else
    echo "bootstrap: no python3.13; paper tests decode ESC/POS with the built-in decoder only"
  fi
fi

# axe-core (the accessibility rules engine) for the console's Chromium tests, kept in the venv.
AXE_VERSION=4.14.1
if [ "$mode" = test ] && ! grep -qs "\"version\": \"$AXE_VERSION\"" .venv/axe/node_modules/axe-core/package.json; then
  echo "bootstrap: installing axe-core $AXE_VERSION into .venv/axe (npm)"
  if ! npm install --prefix .venv/axe --no-audit --no-fund "axe-core@$AXE_VERSION" \
      >.venv/npm-axe.log 2>&1; then
    tail -20 .venv/npm-axe.log >&2
    echo "bootstrap: npm install axe-core failed (full log: .venv/npm-axe.log)" >&2
    exit 1
  fi
fi
