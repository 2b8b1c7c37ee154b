#!/usr/bin/env bash
# `systemd-analyze verify` every kiosk unit inside a root directory and fail on ANY output
# (unknown keys and bad values are only warnings with exit 0). --man=no: the image has no man
# pages, and Debian units name man: documentation.
#   verify-units.sh --root ROOTDIR     host systemd-analyze with --root= (fast CI check; a fake
#                                      root with stub executables is enough)
#   verify-units.sh --chroot ROOTDIR   the root's own systemd-analyze (the arm64 image, under
#                                      qemu-user: the device's systemd version)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
mode=${1:?usage: verify-units.sh --root|--chroot ROOTDIR}
root=${2:?usage: verify-units.sh --root|--chroot ROOTDIR}
units=()
for f in "$(dirname "$HERE")"/systemd/system/*; do units+=("/usr/lib/systemd/system/$(basename "$f")"); done
# The pcscd drop-in is checked through the unit it extends, when that unit exists.
[ -e "$root/usr/lib/systemd/system/pcscd.service" ] && units+=(/usr/lib/systemd/system/pcscd.service)
out=$(mktemp)
trap 'rm -f "$out"' EXIT
fail=0
for unit in "${units[@]}"; do
  if [ "$mode" = --chroot ]; then
    chroot "$root" env SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$unit" > "$out" 2>&1 || fail=1
  else
    SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no --root="$root" "$unit" > "$out" 2>&1 || fail=1
  fi
  if [ -s "$out" ]; then
    fail=1
    sed "s|^|$(basename "$unit"): |" "$out" >&2
  fi
done
if [ "$fail" -ne 0 ]; then
  echo "verify-units: FAILED" >&2
  exit 1
fi
echo "verify-units: ${#units[@]} units clean ($mode)"
