#!/usr/bin/env bash
# Build the kiosk's bootable arm64 SD image from Debian's archive, in one command:
#   sudo bash image-build/build.sh [--out DIR] [--suite trixie] [--mirror URL] [--bundle] [--smoke]
# Output in DIR (default build/image): kiosk-VERSION.img + .sha256 (flash it with
# `python -m kiosk.tech flash`), with --bundle also kiosk-VERSION.raucb (signed A/B update),
# with --smoke the image is then booted in qemu-system-aarch64 (image-build/smoke.sh).
# Needs root, binfmt_misc with qemu-aarch64 (qemu-user-static) and the tools checked below.
# Takes 8-15 minutes on 2 cores: the arm64 package configuration runs under qemu-user.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
OUT=$REPO/build/image
SUITE=trixie
MIRROR=${KIOSK_MIRROR:-http://deb.debian.org/debian}
BUNDLE=0
SMOKE=0

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --suite) SUITE=$2; shift 2 ;;
    --mirror) MIRROR=$2; shift 2 ;;
    --bundle) BUNDLE=1; shift ;;
    --smoke) SMOKE=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "build.sh: unknown argument: $1" >&2; usage 2 ;;
  esac
done

log() { printf '[build %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { echo "build.sh: $*" >&2; exit 1; }

# shellcheck source=preflight.sh
. "$HERE/preflight.sh"
preflight_build

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$OUT/work
VERSION=$("$REPO/.venv/bin/python" -c 'import tomllib; print(tomllib.load(open("'"$REPO"'/pyproject.toml","rb"))["project"]["version"])')
GIT_REV=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
BUILD_ID="$VERSION+$GIT_REV.$(date -u +%Y%m%dT%H%M%SZ)"
export KIOSK_BUILD_REPO=$REPO KIOSK_BUILD_WORK=$WORK KIOSK_BUILD_ID=$BUILD_ID
t0=$SECONDS

log "1/4 wheels: the project and its arm64 cp313 dependencies (Debian provides the C extensions)"
rm -rf "$WORK"
mkdir -p "$WORK/wheelhouse"
"$REPO/.venv/bin/pip" wheel -q --no-deps -w "$WORK/wheelhouse" "$REPO"
mapfile -t deps < <("$REPO/.venv/bin/python" "$HERE/device_requirements.py" "$REPO/pyproject.toml")
"$REPO/.venv/bin/pip" download -q --only-binary=:all: \
  --platform manylinux2014_aarch64 --platform manylinux_2_17_aarch64 --platform manylinux_2_28_aarch64 \
  --python-version 3.13 --implementation cp --abi cp313 --abi abi3 --abi none \
  -d "$WORK/wheelhouse" "${deps[@]}"
log "    $(find "$WORK/wheelhouse" -name '*.whl' | wc -l) wheels ($((SECONDS - t0)) s)"

log "2/4 root file system: mmdebstrap $SUITE arm64 from $MIRROR (cached by package list)"
t1=$SECONDS
packages=$(grep -v '^\s*#' "$HERE/packages.txt" | grep -v '^\s*$' | paste -sd, -)
key=$(cat "$HERE/packages.txt" "$HERE/hooks/setup.sh" | sha256sum | cut -c1-12)
base=$OUT/cache/base-$SUITE-$key.tar
if [ ! -f "$base" ]; then
  mkdir -p "$OUT/cache"
  mmdebstrap --mode=root --variant=apt --architectures=arm64 \
    --components="main non-free-firmware" \
    --include="$packages" \
    --setup-hook="$HERE/hooks/setup.sh" \
    --format=tar "$SUITE" "$base.part" "$MIRROR"
  mv "$base.part" "$base"
  log "    base $(du -h "$base" | cut -f1) ($((SECONDS - t1)) s)"
else
  log "    using cached $base"
fi
t1=$SECONDS
mkdir -p "$WORK/rootfs"
tar -C "$WORK/rootfs" --numeric-owner -xpf "$base"
cleanup_mounts() { umount -l "$WORK/rootfs/proc" "$WORK/rootfs/dev" 2>/dev/null || true; }
trap cleanup_mounts EXIT
mount -t proc proc "$WORK/rootfs/proc"
mount --bind /dev "$WORK/rootfs/dev"
bash "$HERE/hooks/customize.sh" "$WORK/rootfs"
# The device's own systemd (trixie, under qemu-user) checks every unit; any warning fails.
bash "$HERE/verify-units.sh" --chroot "$WORK/rootfs"
cleanup_mounts
trap - EXIT
log "    rootfs $(du -sh "$WORK/rootfs" | cut -f1), customized in $((SECONDS - t1)) s"

log "3/4 check: no test-only software in the image"
bash "$HERE/check-rootfs.sh" "$WORK/rootfs"

log "4/4 disk image: GPT boot + rootfs_a + rootfs_b + kiosk-data"
t2=$SECONDS
bash "$HERE/assemble.sh" "$WORK/rootfs" "$OUT/kiosk-$VERSION.img"
log "    image $(du -h --apparent-size "$OUT/kiosk-$VERSION.img" | cut -f1) ($((SECONDS - t2)) s)"

if [ "$BUNDLE" = 1 ]; then
  log "bundle: signed RAUC update"
  bash "$HERE/bundle.sh" --rootfs-image "$WORK/rootfs_a.ext4" --version "$BUILD_ID" \
    --out "$OUT/kiosk-$VERSION.raucb" --keys "${KIOSK_RAUC_KEYS:-$OUT/keys}"
fi
log "done in $((SECONDS - t0)) s: $OUT/kiosk-$VERSION.img"
if [ "$SMOKE" = 1 ]; then
  bash "$HERE/smoke.sh" "$OUT/kiosk-$VERSION.img"
fi
