#!/usr/bin/env bash
# mmdebstrap --setup-hook: runs before any package is unpacked; $1 is the new root.
set -euo pipefail
root=$1
# raspi-firmware's hooks copy the kernel here; the real boot partition is assembled later.
mkdir -p "$root/boot/firmware"
# Extra initramfs modules: virtio for the QEMU smoke boot (-M virt). The Pi's SD host and USB
# drivers are already in initramfs-tools' MODULES=most.
mkdir -p "$root/usr/share/initramfs-tools/modules.d"
printf '%s\n' virtio_mmio virtio_pci virtio_blk > "$root/usr/share/initramfs-tools/modules.d/kiosk-virt"
# Symlinks /boot/vmlinuz and /boot/initrd.img: the RAUC post-install handler copies from there.
mkdir -p "$root/etc"
printf 'do_symlinks = yes\nlink_in_boot = yes\n' > "$root/etc/kernel-img.conf"
