#!/usr/bin/env bash
# Install the kiosk's systemd units, drop-ins, udev rules, tmpfiles, sysusers and polkit rule
# from systemd/ into a root directory (the image, or a fake root for the unit checks):
#   install-units.sh ROOTDIR
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
sd=$(dirname "$HERE")/systemd
root=${1:?usage: install-units.sh ROOTDIR}
install -d "$root/usr/lib/systemd/system/pcscd.service.d" "$root/usr/lib/systemd/journald.conf.d" \
  "$root/usr/lib/systemd/system.conf.d" "$root/usr/libexec/kiosk" "$root/usr/share/polkit-1/rules.d" \
  "$root/usr/lib/tmpfiles.d" "$root/usr/lib/sysusers.d" "$root/usr/lib/udev/rules.d"
install -m 0644 "$sd"/system/*.service "$sd"/system/*.timer "$sd"/system/*.target \
  "$root/usr/lib/systemd/system/"
install -m 0644 "$sd/pcscd/kiosk.conf" "$root/usr/lib/systemd/system/pcscd.service.d/kiosk.conf"
install -m 0644 "$sd/journald/kiosk.conf" "$root/usr/lib/systemd/journald.conf.d/kiosk.conf"
install -m 0644 "$sd/system.conf.d/kiosk-watchdog.conf" "$root/usr/lib/systemd/system.conf.d/"
install -m 0644 "$sd/tmpfiles/kiosk.conf" "$root/usr/lib/tmpfiles.d/kiosk.conf"
install -m 0644 "$sd/sysusers/kiosk.conf" "$root/usr/lib/sysusers.d/kiosk.conf"
install -m 0644 "$sd/udev/70-kiosk.rules" "$root/usr/lib/udev/rules.d/70-kiosk.rules"
install -m 0644 "$sd/polkit/50-kiosk-pcscd.rules" "$root/usr/share/polkit-1/rules.d/"
install -m 0755 "$sd/libexec/kiosk-escalate" "$root/usr/libexec/kiosk/kiosk-escalate"
