#!/usr/bin/env bash
# Prove the A/B boot-slot switch in QEMU on the image this project builds (slow, not in .ci/run):
#   bash image-build/slot-switch.sh build/image/kiosk-VERSION.img [--rootfs EXT4] [--keys DIR]
#        [--smp N] [--timeout SECONDS] [--keep]
# qemu-system-aarch64 -M virt (TCG) boots a copy of IMAGE with Debian's U-Boot (u-boot-qemu) as
# -bios; U-Boot runs the image's own boot.scr (RAUC's uboot protocol), Linux runs RAUC with
# bootloader=uboot and the health gate (kiosk-update-commit.service). Inside the guest
# (image-build/slot-switch/slot-switch-guest, injected into the copy and into both test bundles):
#   boot 1  slot A: `rauc install bad.raucb` (a root whose kiosk-ui cannot start), plain reboot
#   boot 2  slot B: the bad trial; never marked good -> the next boot leaves it by itself
#   boot 3  slot A again: `rauc install good.raucb`, plain reboot
#   boot 4  slot B: the good trial; UI READY + intake /healthz -> `rauc status mark-good`
#   boot 5  slot B again (committed), power off
# A real intake (python -m server_sync.intake, HTTPS, its dev CA also naming 10.0.2.2) runs on
# the host for the gate's /healthz. Bundles are signed with --keys (default build/image/keys, the
# CA the image trusts) from --rootfs (default build/image/work/rootfs_a.ext4, the build's slot A).
# An image without rauc-service (built before packages.txt listed it) gets that package's three
# files in the test copies (image-build/slot-switch/de.pengutronix.rauc.*, rauc.service).
# Prints each boot's slot and the figures; exit 0 when the sequence above happened.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$HERE")
die() { echo "slot-switch.sh: $*" >&2; exit 1; }
# shellcheck source=preflight.sh
. "$HERE/preflight.sh"
# shellcheck source=layout.sh
. "$HERE/layout.sh"
image=${1:?usage: slot-switch.sh IMAGE [--rootfs EXT4] [--keys DIR] [--smp N] [--timeout S] [--keep]}
shift
rootfs=$REPO/build/image/work/rootfs_a.ext4
keys=${KIOSK_RAUC_KEYS:-$REPO/build/image/keys}
smp=1
timeout_s=5400
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rootfs) rootfs=${2:?}; shift 2 ;;
    --keys) keys=${2:?}; shift 2 ;;
    --smp) smp=${2:?}; shift 2 ;;
    --timeout) timeout_s=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    *) die "unknown argument: $1" ;;
  esac
done
preflight_slot_switch
[ -f "$image" ] || die "no image $image"
[ -f "$rootfs" ] || die "no root file system image $rootfs (build with image-build/build.sh first)"
[ -f "$keys/signing.pem" ] || die "no signing.pem in $keys (the keys the image was built with)"
py=$REPO/.venv/bin/python
log() { printf '[slot-switch %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

work=$(dirname "$(readlink -f "$image")")/slot-switch
rm -rf "$work"; mkdir -p "$work"
disk=$work/disk.img
cp --sparse=always "$image" "$disk"
part_field() { sfdisk -d "$disk" | awk -v n="name=\"$1\"" -v f="$2" 'index($0, n) {
  for (i = 1; i <= NF; i++) if ($i ~ "^" f "=") { gsub(/[^0-9]/, "", $(i + 1)); print $(i + 1) } }'; }
sectors() { local s; s=$(part_field "$1" "$2"); [ -n "$s" ] && echo $((s * 512)); }
extract() { dd if="$disk" of="$2" bs=1M iflag=skip_bytes,count_bytes skip="$(sectors "$1" start)" \
  count="$(sectors "$1" size)" conv=sparse status=none; }
put_back() { dd if="$2" of="$disk" bs=1M oflag=seek_bytes seek="$(sectors "$1" start)" \
  conv=notrunc,sparse status=none; }
boot_off=$(sectors boot start)
[ -n "$boot_off" ] || die "$image has no boot partition"

log "test root: the slot-switch reporter and the offscreen UI drop-in in a copy of slot A"
test_root=$work/test-rootfs.ext4
cp --sparse=always "$rootfs" "$test_root"
debugfs -w "$test_root" -f - >/dev/null <<CMDS
write $HERE/slot-switch/kiosk-slot-switch.service /usr/lib/systemd/system/kiosk-slot-switch.service
write $HERE/slot-switch/slot-switch-guest /usr/lib/kiosk/slot-switch-guest
sif /usr/lib/kiosk/slot-switch-guest mode 0100755
symlink /etc/systemd/system/multi-user.target.wants/kiosk-slot-switch.service /usr/lib/systemd/system/kiosk-slot-switch.service
mkdir /etc/systemd/system/kiosk-ui.service.d
write $HERE/smoke/ui-smoke.conf /etc/systemd/system/kiosk-ui.service.d/smoke.conf
CMDS
# An image built before packages.txt listed rauc-service has no RAUC D-Bus service (rauc install
# and rauc status need it): put in the three files that package holds.
if ! debugfs -R "stat /usr/share/dbus-1/system-services/de.pengutronix.rauc.service" "$test_root" 2>/dev/null | grep -q Inode; then
  log "    the image lacks rauc-service: adding its D-Bus policy, activation file and unit"
  debugfs -w "$test_root" -f - >/dev/null <<CMDS
write $HERE/slot-switch/de.pengutronix.rauc.conf /usr/share/dbus-1/system.d/de.pengutronix.rauc.conf
write $HERE/slot-switch/de.pengutronix.rauc.service /usr/share/dbus-1/system-services/de.pengutronix.rauc.service
write $HERE/slot-switch/rauc.service /usr/lib/systemd/system/rauc.service
CMDS
fi
image_id=$(debugfs -R "cat /etc/kiosk-image-id" "$test_root" 2>/dev/null | sed -n 's/^KIOSK_IMAGE_ID=//p')
variant() {  # variant NAME [DROPIN]: a copy of the test root with its own image id (and drop-in)
  local out=$work/$1-rootfs.ext4
  cp --sparse=always "$test_root" "$out"
  printf 'KIOSK_IMAGE_ID=%s+qemu-%s\n' "$image_id" "$1" > "$work/$1-image-id"
  debugfs -w "$out" -f - >/dev/null <<CMDS
rm /etc/kiosk-image-id
write $work/$1-image-id /etc/kiosk-image-id
CMDS
  if [ -n "${2:-}" ]; then
    debugfs -w "$out" -R "write $2 /etc/systemd/system/kiosk-ui.service.d/zz-broken.conf" >/dev/null
  fi
}
variant good
variant bad "$HERE/slot-switch/ui-broken.conf"
root_a=$work/rootfs_a.ext4
cp --sparse=always "$test_root" "$root_a"
put_back rootfs_a "$root_a"
rm -f "$root_a" "$test_root"

log "intake on the host loopback (HTTPS; QEMU user networking maps the guest's 10.0.2.2 to it, so its dev CA names 10.0.2.2)"
port=$("$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$py" -c 'import sys; from pathlib import Path; from server_sync.intake.devca import ensure_dev_tls
ensure_dev_tls(Path(sys.argv[1]), ("10.0.2.2", "localhost", "127.0.0.1"))' "$work/intake"
( cd "$REPO" && exec "$py" -m server_sync.intake --db "sqlite:///$work/intake.sqlite" \
    --listen "127.0.0.1:$port" --data-dir "$work/intake" --log-level warning ) > "$work/intake.log" 2>&1 &
intake_pid=$!
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { kill "$intake_pid" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS --cacert "$work/intake/tls/ca.pem" "https://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.3
done
curl -fsS --cacert "$work/intake/tls/ca.pem" "https://127.0.0.1:$port/healthz" >/dev/null \
  || die "the intake did not start ($work/intake.log)"

log "data partition: kiosk.toml (intake https://10.0.2.2:$port), CA, provisioned stamp, sample master"
cat > "$work/kiosk.toml" <<TOML
# slot-switch.sh: what the health gate needs (the intake's /healthz over its CA)
[sync]
kiosk_id = "kiosk-qemu"
intake_url = "https://10.0.2.2:$port"
ca_file = "/var/lib/kiosk/config/ca.pem"
TOML
cp "$work/intake/tls/ca.pem" "$work/ca.pem"
# The schema check reads ca_file: check a copy that points at the host's copy of the CA.
sed "s|/var/lib/kiosk/config/ca.pem|$work/ca.pem|" "$work/kiosk.toml" > "$work/kiosk-host.toml"
"$py" -m kiosk.tech config-check "$work/kiosk-host.toml" >/dev/null || die "kiosk.toml invalid"
"$py" -m kiosk.forms import-master --sample --ward 131041 --db "$work/master.sqlite" >/dev/null
data=$work/data.ext4
extract kiosk-data "$data"
owner=$(debugfs -R "stat /kiosk" "$data" 2>/dev/null | sed -n 's/.*User: *\([0-9]*\) *Group: *\([0-9]*\).*/\1 \2/p')
read -r uid gid <<< "$owner"
: > "$work/provisioned"
debugfs -w "$data" -f - >/dev/null <<CMDS
write $work/master.sqlite /kiosk/master.sqlite
sif /kiosk/master.sqlite uid $uid
sif /kiosk/master.sqlite gid $gid
sif /kiosk/master.sqlite mode 0100640
write $work/provisioned /kiosk/.provisioned
write $work/kiosk.toml /kiosk/config/kiosk.toml
sif /kiosk/config/kiosk.toml gid $gid
sif /kiosk/config/kiosk.toml mode 0100640
write $work/ca.pem /kiosk/config/ca.pem
sif /kiosk/config/ca.pem gid $gid
sif /kiosk/config/ca.pem mode 0100640
CMDS
put_back kiosk-data "$data"
rm -f "$data"

log "bundles: bad (kiosk-ui cannot start) and good, signed with $keys"
t=$SECONDS
xfer=$work/xfer
mkdir -p "$xfer"
bash "$HERE/bundle.sh" --rootfs-image "$work/bad-rootfs.ext4" --version "$image_id+qemu-bad" \
  --out "$xfer/bad.raucb" --keys "$keys" >/dev/null
bash "$HERE/bundle.sh" --rootfs-image "$work/good-rootfs.ext4" --version "$image_id+qemu-good" \
  --out "$xfer/good.raucb" --keys "$keys" >/dev/null
rm -f "$work/bad-rootfs.ext4" "$work/good-rootfs.ext4"
log "    2 bundles in $((SECONDS - t)) s ($(du -ch "$xfer"/*.raucb | tail -n 1 | cut -f1))"
printf '0 A install bad.raucb\n1 A install good.raucb\n2 B reboot\n3 B poweroff\n' > "$xfer/plan"
echo 0 > "$xfer/step"
xfer_mib=$(( $(du -sm "$xfer" | cut -f1) + 256 ))
mke2fs -q -t ext4 -L switch -d "$xfer" "$work/xfer.ext4" "${xfer_mib}M"
rm -rf "$xfer"

log "booting in qemu-system-aarch64 -M virt -bios u-boot.bin (TCG, $smp vCPU, timeout ${timeout_s}s)"
log "    serial log with host timestamps: $work/serial.log"
t0=$SECONDS
set +e
# The boot disk is the LAST virtio-mmio device: U-Boot's distro boot scans virtio0 only, and
# QEMU numbers virtio-mmio devices from the last one given.
timeout "$timeout_s" nice -n 10 qemu-system-aarch64 -M virt -cpu cortex-a72 -smp "$smp" -m 2048 \
  -nographic -monitor none -bios "$QEMU_UBOOT" \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
  -drive "file=$work/xfer.ext4,format=raw,if=none,id=d1" -device virtio-blk-device,drive=d1 \
  -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 \
  < /dev/null 2>&1 | python3 -u -c '
import sys, time
for line in sys.stdin.buffer:
    sys.stdout.buffer.write(b"%.1f " % time.time() + line)
    sys.stdout.flush()' > "$work/serial.log"
qemu_rc=${PIPESTATUS[0]}
set -e
log "guest ran $((SECONDS - t0)) s (qemu exit $qemu_rc)"
mcopy -n -o -i "$disk@@$boot_off" ::/uboot.env "$work/uboot.env.final"
printf '%s 0x0000 %s\n' "$work/uboot.env.final" "$LAYOUT_UBOOT_ENV_SIZE" > "$work/fw_env.config"
log "uboot.env after the run: $(fw_printenv -c "$work/fw_env.config" | tr '\n' ' ')"
rc=0
python3 "$HERE/slot-switch/evaluate.py" "$work/serial.log" || rc=$?
if [ "$keep" = 0 ]; then rm -f "$disk" "$work/xfer.ext4"; fi
exit "$rc"
