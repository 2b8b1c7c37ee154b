#!/usr/bin/env bash
# Boot a built kiosk image in qemu-system-aarch64 (-M virt, TCG) and check that the units come
# up. Works on a sparse copy; the original image is not modified. Slow (several minutes):
#   bash image-build/smoke.sh build/image/kiosk-VERSION.img [--timeout SECONDS] [--sample-master]
# --sample-master puts the shipped sample address master (ward 131041) on the data partition, as
# the first master pull would on a provisioned stand, so the UI has what it needs to start.
# Exit 0 when the guest reported every kiosk unit in its expected state and no failed unit.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
die() { echo "smoke.sh: $*" >&2; exit 1; }
# shellcheck source=preflight.sh
. "$HERE/preflight.sh"
REPO=$(dirname "$HERE")
image=${1:?usage: smoke.sh IMAGE [--timeout SECONDS] [--sample-master]}
shift
timeout_s=900
seed_master=0
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout_s=${2:?}; shift 2 ;;
    --sample-master) seed_master=1; shift ;;
    *) die "unknown argument: $1" ;;
  esac
done
preflight_smoke
[ -f "$image" ] || die "no image $image"

work=$(dirname "$(readlink -f "$image")")/smoke
rm -rf "$work"; mkdir -p "$work"
disk=$work/disk.img
cp --sparse=always "$image" "$disk"

# Partition offsets (bytes) from the GPT, by name.
part_field() { sfdisk -d "$disk" | awk -v n="name=\"$1\"" -v f="$2" 'index($0, n) {
  for (i = 1; i <= NF; i++) if ($i ~ "^" f "=") { gsub(/[^0-9]/, "", $(i + 1)); print $(i + 1) } }'; }
sectors() { local s; s=$(part_field "$1" "$2"); [ -n "$s" ] && echo $((s * 512)); }
root_off=$(sectors rootfs_a start); root_size=$(sectors rootfs_a size)
boot_off=$(sectors boot start)
if [ -z "$root_off" ] || [ -z "$boot_off" ]; then die "$image has no boot/rootfs_a partitions"; fi

echo "smoke: injecting the smoke-test unit into a copy of rootfs_a"
root=$work/rootfs_a.ext4
dd if="$disk" of="$root" bs=1M iflag=skip_bytes,count_bytes skip="$root_off" count="$root_size" \
  conv=sparse status=none
debugfs -w "$root" -f - >/dev/null <<CMDS
write $HERE/smoke/kiosk-smoke.service /usr/lib/systemd/system/kiosk-smoke.service
write $HERE/smoke/smoke-check /usr/lib/kiosk/smoke-check
sif /usr/lib/kiosk/smoke-check mode 0100755
symlink /etc/systemd/system/multi-user.target.wants/kiosk-smoke.service /usr/lib/systemd/system/kiosk-smoke.service
symlink /etc/systemd/system/kiosk-ui-escalate.service /dev/null
mkdir /etc/systemd/system/kiosk-ui.service.d
write $HERE/smoke/ui-smoke.conf /etc/systemd/system/kiosk-ui.service.d/smoke.conf
CMDS
dd if="$root" of="$disk" bs=1M oflag=seek_bytes seek="$root_off" conv=notrunc,sparse status=none
rm -f "$root"

if [ "$seed_master" = 1 ]; then
  echo "smoke: seeding the sample address master into a copy of kiosk-data"
  data_off=$(sectors kiosk-data start); data_size=$(sectors kiosk-data size)
  data=$work/data.ext4
  dd if="$disk" of="$data" bs=1M iflag=skip_bytes,count_bytes skip="$data_off" count="$data_size" \
    conv=sparse status=none
  "$REPO/.venv/bin/python" -m kiosk.forms import-master --sample --ward 131041 --db "$work/master.sqlite" >/dev/null
  owner=$(debugfs -R "stat /kiosk" "$data" 2>/dev/null | sed -n 's/.*User: *\([0-9]*\) *Group: *\([0-9]*\).*/\1 \2/p')
  read -r uid gid <<< "$owner"
  debugfs -w "$data" -f - >/dev/null <<CMDS
write $work/master.sqlite /kiosk/master.sqlite
sif /kiosk/master.sqlite uid $uid
sif /kiosk/master.sqlite gid $gid
sif /kiosk/master.sqlite mode 0100640
CMDS
  dd if="$data" of="$disk" bs=1M oflag=seek_bytes seek="$data_off" conv=notrunc,sparse status=none
  rm -f "$data"
fi

echo "smoke: booting in qemu-system-aarch64 (timeout ${timeout_s}s); serial log $work/serial.log"
# The image's own boot path: Debian's U-Boot for -M virt runs the image's boot.scr (slot A per
# uboot.env), which loads a/vmlinuz + a/initrd.img and sets root=, rauc.slot=, console=ttyAMA0.
t0=$SECONDS
set +e
timeout "$timeout_s" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 \
  -nographic -no-reboot -monitor none -bios "$QEMU_UBOOT" \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
  -drive "file=$disk,format=raw,if=none,id=d0" -device virtio-blk-device,drive=d0 \
  < /dev/null > "$work/serial.log" 2>&1
qemu_rc=$?
set -e
echo "smoke: guest ran $((SECONDS - t0)) s (qemu exit $qemu_rc)"
# Console lines carry a "[time] smoke-check[pid]: " prefix; keep what follows it.
grep -ao 'SMOKE .*' "$work/serial.log" | tr -d '\r' | tee "$work/result.txt" || true
python3 "$HERE/smoke/evaluate.py" "$work/result.txt"
