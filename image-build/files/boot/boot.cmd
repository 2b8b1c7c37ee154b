# U-Boot script of the kiosk image: the A/B slot choice of RAUC's "uboot" bootloader backend.
# assemble.sh compiles it (mkimage -T script) into boot.scr on the FAT boot partition, where
# U-Boot's distro boot finds it and sets devtype/devnum/distro_bootpart: the same script runs on
# the Raspberry Pi 4 (mmc, Pi firmware -> u-boot.bin) and in QEMU -M virt (virtio, -bios u-boot.bin).
#
# State (RAUC's protocol, values in hex as RAUC writes them), in uboot.env on this partition:
#   BOOT_ORDER   "A B": the slots in the order to try ("rauc install" puts the new slot first,
#                "rauc status mark-bad" removes a slot)
#   BOOT_x_LEFT  attempts left for slot x; decremented and saved here BEFORE each try;
#                "rauc status mark-good" resets it (system.conf boot-attempts), a fresh install
#                gives the new slot boot-attempts-primary (1: one trial boot)
# The first slot in BOOT_ORDER with attempts left (and a kernel in a/ or b/) boots:
# root=PARTLABEL=rootfs_a|rootfs_b, rauc.slot=A|B. A trial that is not marked good is not
# tried again: the next boot (reboot, power cut, kernel panic) takes the other slot.
# Linux reads and writes the same file with libubootenv (/etc/fw_env.config).

setenv kiosk_dev "${devtype} ${devnum}:${distro_bootpart}"
setenv kiosk_envsize 0x4000
# Memory plan relative to kernel_addr_r (the board's own addresses are too tight for Debian's
# kernel + initrd on the Pi): env/fdt at +96 MiB, initrd at +97 MiB, decompression at +320 MiB.
setexpr kiosk_fdt ${kernel_addr_r} + 0x6000000
setexpr kiosk_rd ${kernel_addr_r} + 0x6100000
setexpr kernel_comp_addr_r ${kernel_addr_r} + 0x14000000

if load ${devtype} ${devnum}:${distro_bootpart} ${kiosk_fdt} uboot.env; then
  env import -c ${kiosk_fdt} ${kiosk_envsize} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fi
test -n "${BOOT_ORDER}" || setenv BOOT_ORDER "A B"
test -n "${BOOT_A_LEFT}" || setenv BOOT_A_LEFT 3
test -n "${BOOT_B_LEFT}" || setenv BOOT_B_LEFT 0

setenv kiosk_slot
for s in ${BOOT_ORDER}; do
  if test -n "${kiosk_slot}"; then
    true
  elif test "${s}" = A; then
    if itest ${BOOT_A_LEFT} -gt 0 && test -e ${devtype} ${devnum}:${distro_bootpart} a/vmlinuz; then
      setexpr BOOT_A_LEFT ${BOOT_A_LEFT} - 1
      setenv kiosk_slot A
      setenv kiosk_dir a
    fi
  elif test "${s}" = B; then
    if itest ${BOOT_B_LEFT} -gt 0 && test -e ${devtype} ${devnum}:${distro_bootpart} b/vmlinuz; then
      setexpr BOOT_B_LEFT ${BOOT_B_LEFT} - 1
      setenv kiosk_slot B
      setenv kiosk_dir b
    fi
  fi
done

if test -z "${kiosk_slot}"; then
  # Nothing left to try (e.g. slot A never confirmed three times in a row): start over with
  # slot A rather than stopping here; slot B only if it holds a kernel.
  echo "kiosk: no slot with attempts left; resetting BOOT_A_LEFT"
  setenv BOOT_ORDER "A B"
  setenv BOOT_A_LEFT 3
  setenv BOOT_B_LEFT 0
  if test -e ${devtype} ${devnum}:${distro_bootpart} b/vmlinuz; then setenv BOOT_B_LEFT 3; fi
  env export -c -s ${kiosk_envsize} ${kiosk_fdt} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
  fatwrite ${devtype} ${devnum}:${distro_bootpart} ${kiosk_fdt} uboot.env ${kiosk_envsize}
  reset
fi

echo "kiosk: booting slot ${kiosk_slot} (BOOT_ORDER=${BOOT_ORDER} A_LEFT=${BOOT_A_LEFT} B_LEFT=${BOOT_B_LEFT})"
env export -c -s ${kiosk_envsize} ${kiosk_fdt} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fatwrite ${devtype} ${devnum}:${distro_bootpart} ${kiosk_fdt} uboot.env ${kiosk_envsize}

# Console: the PL011 (ttyAMA0) on QEMU -M virt; tty3 + the Pi 4's mini UART (ttyS1) on a stand.
if test "${devtype}" = virtio; then
  setenv kiosk_console "console=ttyAMA0,115200"
else
  setenv kiosk_console "console=tty3 console=ttyS1,115200 vt.global_cursor_default=0"
fi
setenv bootargs "root=PARTLABEL=rootfs_${kiosk_dir} rootfstype=ext4 ro rootwait fsck.repair=yes ${kiosk_console} quiet loglevel=3 panic=10 rauc.slot=${kiosk_slot}"

load ${devtype} ${devnum}:${distro_bootpart} ${kernel_addr_r} ${kiosk_dir}/vmlinuz
setenv kernel_comp_size ${filesize}
load ${devtype} ${devnum}:${distro_bootpart} ${kiosk_rd} ${kiosk_dir}/initrd.img
setenv kiosk_rdsize ${filesize}
# The slot's own device tree when the board names one (the Pi: fdtfile=broadcom/bcm2711-….dtb),
# else the one U-Boot was given (QEMU's generated tree).
setenv kiosk_fdtaddr ${fdtcontroladdr}
if test -n "${fdtfile}"; then
  if load ${devtype} ${devnum}:${distro_bootpart} ${kiosk_fdt} ${kiosk_dir}/${fdtfile}; then
    setenv kiosk_fdtaddr ${kiosk_fdt}
  fi
fi
booti ${kernel_addr_r} ${kiosk_rd}:${kiosk_rdsize} ${kiosk_fdtaddr}
echo "kiosk: booti failed for slot ${kiosk_slot}; resetting (the attempt is already counted)"
reset
