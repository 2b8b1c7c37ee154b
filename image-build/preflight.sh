# shellcheck shell=bash
# Checks the build machine before a long build (sourced by build.sh and smoke.sh).

# The Debian packages the image jobs need; installed on demand (as root) like scripts/bootstrap.sh does.
IMAGE_BUILD_PACKAGES=(mmdebstrap qemu-user-static binfmt-support arch-test qemu-system-arm
  qemu-efi-aarch64 u-boot-qemu u-boot-tools libubootenv-tool dosfstools mtools fdisk e2fsprogs
  squashfs-tools rauc espeak-ng)

need_cmds() {
  local missing=() c
  for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "preflight: missing ${missing[*]}; installing ${IMAGE_BUILD_PACKAGES[*]}" >&2
    if ! { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
          "${IMAGE_BUILD_PACKAGES[@]}" >/dev/null; }; then
      die "could not install ${IMAGE_BUILD_PACKAGES[*]}"
    fi
    missing=()
    for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  fi
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (apt-get install ${IMAGE_BUILD_PACKAGES[*]})"
}

# qemu-user must run arm64 binaries inside the chroot: binfmt_misc with qemu-aarch64 (flag F).
ensure_binfmt() {
  local f=/proc/sys/fs/binfmt_misc/qemu-aarch64
  if [ ! -e /proc/sys/fs/binfmt_misc/status ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null \
      || die "binfmt_misc is not mounted and cannot be (needs root with CAP_SYS_ADMIN, not an unprivileged container)"
  fi
  if [ ! -e "$f" ] || ! grep -q '^enabled' "$f"; then
    update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
  fi
  if [ ! -e "$f" ] || ! grep -q '^enabled' "$f"; then
    die "qemu-aarch64 is not registered with binfmt_misc (install qemu-user-static binfmt-support)"
  fi
  grep -q '^flags: .*F' "$f" || die "qemu-aarch64 binfmt entry lacks the F flag (needed inside chroots)"
}

preflight_build() {
  [ "$(id -u)" -eq 0 ] || die "run as root (mmdebstrap --mode=root, chroot, device nodes)"
  need_cmds mmdebstrap mke2fs mkfs.vfat mcopy mmd sfdisk debugfs espeak-ng mkimage mkenvimage
  [ -x "$REPO/.venv/bin/python" ] || die "no project venv: run scripts/bootstrap.sh first"
  ensure_binfmt
}

# The QEMU boots (smoke.sh, slot-switch.sh) start the image like a Pi's firmware starts U-Boot:
# Debian's U-Boot for -M virt (u-boot-qemu) as -bios, which runs the image's boot.scr.
export QEMU_UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
preflight_smoke() {
  need_cmds qemu-system-aarch64 sfdisk mcopy debugfs
  [ -f "$QEMU_UBOOT" ] || die "no $QEMU_UBOOT (apt-get install u-boot-qemu)"
}

# The QEMU A/B proof (slot-switch.sh): also rauc + mke2fs for the bundles and the transfer disk.
preflight_slot_switch() {
  need_cmds qemu-system-aarch64 sfdisk mcopy debugfs mke2fs fw_printenv rauc
  [ -f "$QEMU_UBOOT" ] || die "no $QEMU_UBOOT (apt-get install u-boot-qemu)"
}
