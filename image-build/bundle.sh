#!/usr/bin/env bash
# Signed RAUC update bundles for the kiosk's A/B root slots.
#   bundle.sh --rootfs-image ROOTFS.ext4 --version V --out OUT.raucb [--keys DIR]
#   bundle.sh --make-dev-keys DIR      (a throw-away CA + signing key for development builds)
#   bundle.sh --verify BUNDLE --keyring CA.pem
# Production keys live offline: pass --keys DIR with ca.pem, signing.pem, signing.key
# (or KIOSK_RAUC_KEYS); the image trusts DIR/ca.pem as /etc/rauc/keyring.pem. The signing
# certificate carries both codeSigning and emailProtection (RAUC checks S/MIME purpose by default).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
COMPATIBLE=jp-city-kiosk-pi4
die() { echo "bundle.sh: $*" >&2; exit 1; }

make_dev_keys() {
  local d=$1
  mkdir -p "$d"; chmod 0700 "$d"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/O=Kiosk development/CN=kiosk update CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/O=Kiosk development/CN=kiosk update signing" \
    -keyout "$d/signing.key" -out "$d/signing.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning,emailProtection\n' > "$d/signing.ext"
  openssl x509 -req -in "$d/signing.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
    -days 3650 -extfile "$d/signing.ext" -out "$d/signing.pem" 2>/dev/null
  rm -f "$d/signing.csr" "$d/signing.ext"
  echo "bundle.sh: development keys in $d (never use them for devices in the field)" >&2
}

rootfs=""; version=""; out=""; keys=${KIOSK_RAUC_KEYS:-$HERE/../build/image/keys}
keys_given=${KIOSK_RAUC_KEYS:-}
case "${1:-}" in
  --make-dev-keys) make_dev_keys "${2:?directory}"; exit 0 ;;
  --verify)
    bundle=${2:?bundle}; [ "${3:-}" = --keyring ] || die "usage: --verify BUNDLE --keyring CA.pem"
    exec rauc info --keyring="${4:?keyring}" "$bundle" ;;
esac
while [ $# -gt 0 ]; do
  case "$1" in
    --rootfs-image) rootfs=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --keys) keys=$2; keys_given=$2; shift 2 ;;
    *) die "unknown argument: $1" ;;
  esac
done
[ -f "$rootfs" ] || die "no root file system image: ${rootfs:-(missing --rootfs-image)}"
if [ -z "$version" ] || [ -z "$out" ]; then die "--version and --out are required"; fi
command -v rauc >/dev/null || die "rauc is not installed (apt-get install rauc)"
if [ ! -f "$keys/signing.pem" ]; then
  # An explicit --keys / KIOSK_RAUC_KEYS folder must hold the keys: a typo never mints new ones.
  [ -z "$keys_given" ] || die "no signing.pem in the keys folder $keys (--keys / KIOSK_RAUC_KEYS)"
  make_dev_keys "$keys"
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp --sparse=always "$rootfs" "$stage/rootfs.ext4"
cat > "$stage/manifest.raucm" <<MANIFEST
[update]
compatible=$COMPATIBLE
version=$version
description=Kiosk root file system $version

[bundle]
format=verity

[image.rootfs]
filename=rootfs.ext4
MANIFEST
rm -f "$out"
rauc bundle --cert="$keys/signing.pem" --key="$keys/signing.key" --keyring="$keys/ca.pem" \
  "$stage" "$out"
echo "bundle.sh: $out ($(du -h "$out" | cut -f1))"
