# shellcheck shell=bash
# The SD card layout (GPT, sizes in MiB), shared by assemble.sh, smoke.sh and the docs.
# Both root slots have the same fixed size so any future update fits either slot.
export LAYOUT_ALIGN_MIB=4
export LAYOUT_BOOT_MIB=256      # FAT32 "boot": firmware, U-Boot, a/ and b/ kernels, per-device kiosk/
export LAYOUT_UBOOT_ENV_SIZE=0x4000  # uboot.env on "boot" (boot.cmd, files/etc/fw_env.config)
export LAYOUT_ROOT_MIB=3072     # ext4 "rootfs_a" and "rootfs_b", mounted read-only
export LAYOUT_DATA_MIB=512      # ext4 "kiosk-data": outbox, device key, config (/data)
# GPT partition type GUIDs: Microsoft basic data (the Pi firmware reads FAT from it), Linux.
export LAYOUT_TYPE_FAT=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
export LAYOUT_TYPE_LINUX=0FC63DAF-8483-4772-8E79-3D69D8477DE4
