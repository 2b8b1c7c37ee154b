#!/usr/bin/env bash
# Make the SD image from a customized root directory, without loop devices:
#   assemble.sh ROOTDIR IMAGE
# Partition images are written next to ROOTDIR (boot.vfat, rootfs_a.ext4, data.ext4; the
# bundle build reuses rootfs_a.ext4) and copied into IMAGE at their GPT offsets.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=layout.sh
. "$HERE/layout.sh"
root=${1:?usage: assemble.sh ROOTDIR IMAGE}
image=${2:?usage: assemble.sh ROOTDIR IMAGE}
work=$(dirname "$root")

echo "assemble: boot partition (Pi firmware, U-Boot, boot.scr, uboot.env, slot a kernel)"
bootdir=$work/bootfs
rm -rf "$bootdir"; mkdir -p "$bootdir/a/broadcom"
fw=$root/usr/lib/raspi-firmware
cp "$fw"/start4*.elf "$fw"/fixup4*.dat "$bootdir/"
# The Pi firmware loads the board's device tree from the partition's top level and starts
# Debian's U-Boot (config.txt kernel=u-boot.bin); U-Boot runs boot.scr (RAUC's uboot protocol).
cp "$root"/usr/lib/linux-image-*/broadcom/bcm2711-*.dtb "$bootdir/"
cp "$root/usr/lib/u-boot/rpi_arm64/u-boot.bin" "$bootdir/u-boot.bin"
cp "$root/usr/lib/kiosk/config.txt" "$bootdir/config.txt"
mkimage -A arm64 -O linux -T script -C none -n "kiosk A/B boot" \
  -d "$root/usr/lib/kiosk/boot.cmd" "$bootdir/boot.scr" >/dev/null
# U-Boot's environment as RAUC's uboot backend sees it (fw_printenv, /etc/fw_env.config): slot A
# with its attempts, slot B empty (boot.scr also skips a slot without a kernel directory).
printf 'BOOT_ORDER=A B\nBOOT_A_LEFT=3\nBOOT_B_LEFT=0\n' > "$work/uboot-env.txt"
mkenvimage -s "$LAYOUT_UBOOT_ENV_SIZE" -o "$bootdir/uboot.env" "$work/uboot-env.txt"
# Slot A's kernel, initramfs and device trees (rauc-post-install writes b/ the same way).
cp -L "$root/boot/vmlinuz" "$bootdir/a/vmlinuz"
cp -L "$root/boot/initrd.img" "$bootdir/a/initrd.img"
cp "$root"/usr/lib/linux-image-*/broadcom/bcm2711-*.dtb "$bootdir/a/broadcom/"
rm -f "$work/boot.vfat"
mkfs.vfat -C -F 32 -n KIOSKBOOT "$work/boot.vfat" $((LAYOUT_BOOT_MIB * 1024)) >/dev/null
mcopy -s -i "$work/boot.vfat" "$bootdir"/* ::/

echo "assemble: data partition (seeded from ROOTDIR/data)"
seed=$work/data-seed
rm -rf "$seed"; mv "$root/data" "$seed"; mkdir -p "$root/data"
rm -f "$work/data.ext4"
mke2fs -q -t ext4 -L kiosk-data -d "$seed" "$work/data.ext4" "${LAYOUT_DATA_MIB}M"

echo "assemble: root file system slot a ($(du -sh "$root" | cut -f1) used of ${LAYOUT_ROOT_MIB} MiB)"
rm -f "$work/rootfs_a.ext4"
mke2fs -q -t ext4 -L rootfs_a -O ^has_journal -d "$root" "$work/rootfs_a.ext4" "${LAYOUT_ROOT_MIB}M"
rm -rf "$root/data"; mv "$seed" "$root/data"

echo "assemble: GPT disk image $image"
a=$LAYOUT_ALIGN_MIB
p1=$a
p2=$((p1 + LAYOUT_BOOT_MIB))
p3=$((p2 + LAYOUT_ROOT_MIB))
p4=$((p3 + LAYOUT_ROOT_MIB))
end=$((p4 + LAYOUT_DATA_MIB + a))
rm -f "$image"; truncate -s "${end}M" "$image"
sfdisk -q "$image" <<TABLE
label: gpt
start=${p1}MiB, size=${LAYOUT_BOOT_MIB}MiB, type=$LAYOUT_TYPE_FAT, name=boot
start=${p2}MiB, size=${LAYOUT_ROOT_MIB}MiB, type=$LAYOUT_TYPE_LINUX, name=rootfs_a
start=${p3}MiB, size=${LAYOUT_ROOT_MIB}MiB, type=$LAYOUT_TYPE_LINUX, name=rootfs_b
start=${p4}MiB, size=${LAYOUT_DATA_MIB}MiB, type=$LAYOUT_TYPE_LINUX, name=kiosk-data
TABLE
put() { dd if="$1" of="$image" bs=1M seek="$2" conv=notrunc,sparse status=none; }
put "$work/boot.vfat" "$p1"
put "$work/rootfs_a.ext4" "$p2"
put "$work/data.ext4" "$p4"
( cd "$(dirname "$image")" && sha256sum "$(basename "$image")" > "$(basename "$image").sha256" )
echo "assemble: $(cut -c1-16 "$image.sha256")… $(basename "$image")"
# IMAGE.bmap: the ranges flash writes and verifies (free ext4 blocks and empty slot B skipped).
( cd "$HERE/.." && .venv/bin/python -m kiosk.tech bmap "$image" )
