#!/usr/bin/env bash
# Refuse a kiosk root file system that contains test-only software: the vsmartcard virtual
# reader (vpcd listens on TCP 35963 on all interfaces) must never reach a device.
# Usage: check-rootfs.sh ROOTDIR
set -euo pipefail
root=${1:?usage: check-rootfs.sh ROOTDIR}
fail=0
for pkg in vsmartcard-vpcd vsmartcard-vpicc python3-virtualsmartcard; do
  # shellcheck disable=SC2016  # ${Status} is dpkg-query's format field, not a shell variable
  if dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    echo "check-rootfs: test-only package $pkg is installed" >&2; fail=1
  fi
done
if find "$root/usr/lib" -name 'libifdvpcd*' -print -quit 2>/dev/null | grep -q .; then
  echo "check-rootfs: the vpcd reader driver (libifdvpcd) is present" >&2; fail=1
fi
if grep -rqs vpcd "$root/etc/reader.conf.d" 2>/dev/null; then
  echo "check-rootfs: a vpcd reader.conf entry is present" >&2; fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "check-rootfs: ok (no vpcd, no virtual smart-card packages)"
