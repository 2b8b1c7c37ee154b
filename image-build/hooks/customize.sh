#!/usr/bin/env bash
# mmdebstrap --customize-hook: turns the Debian root ($1) into the kiosk appliance.
# Environment from build.sh: KIOSK_BUILD_REPO, KIOSK_BUILD_WORK, KIOSK_BUILD_ID.
set -euo pipefail
root=$1
repo=${KIOSK_BUILD_REPO:?}
work=${KIOSK_BUILD_WORK:?}
files=$repo/image-build/files
# A clean environment: nothing of the build host (PIP_*, proxies, locale) leaks into the image.
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

echo "customize: the app venv (/opt/kiosk/venv, Debian site packages + wheels)"
rm -rf "$root/tmp/wheelhouse"
cp -r "$work/wheelhouse" "$root/tmp/wheelhouse"
in_root python3 -m venv --system-site-packages /opt/kiosk/venv
wheels=("$root"/tmp/wheelhouse/kiosk-*.whl)
[ -f "${wheels[0]}" ] || { echo "customize: no kiosk wheel in the wheelhouse" >&2; exit 1; }
in_root /opt/kiosk/venv/bin/pip install -q --no-index --find-links /tmp/wheelhouse \
  "/tmp/wheelhouse/$(basename "${wheels[0]}")"
in_root /opt/kiosk/venv/bin/pip check
in_root /opt/kiosk/venv/bin/pip freeze --all > "$root/opt/kiosk/requirements.lock"
in_root /opt/kiosk/venv/bin/python -c 'import kiosk, server_sync, kivy, smartcard, escpos, pyudev, cryptography'
rm -rf "$root/tmp/wheelhouse"
install -d "$root/opt/kiosk/docs"
cp "$repo/docs/appliance.md" "$root/opt/kiosk/docs/" 2>/dev/null || true

echo "customize: voice prompts (/usr/share/kiosk/voice, espeak-ng on the build host; voice stays off)"
# The WAVs do not depend on the architecture, so the host makes them (no espeak-ng in the image);
# the kiosk.toml that `kiosk.tech flash` writes points voice_prompts here with voice = false.
rm -rf "$root/usr/share/kiosk/voice"
install -d -m 0755 "$root/usr/share/kiosk"
"$repo/.venv/bin/python" -m kiosk.tech voices "$root/usr/share/kiosk/voice"
chmod -R u=rwX,go=rX "$root/usr/share/kiosk/voice"

echo "customize: systemd units, udev, journald, tmpfiles, sysusers, polkit"
bash "$repo/image-build/install-units.sh" "$root"
in_root systemd-sysusers
in_root systemctl enable kiosk.target kiosk-ui.service kiosk-sync.service \
  kiosk-firstboot.service kiosk-master-sync.timer kiosk-update.timer kiosk-update-commit.service \
  kiosk-netconfig.service \
  pcscd.service \
  systemd-networkd.service systemd-resolved.service systemd-timesyncd.service
in_root systemctl set-default multi-user.target
in_root systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  e2scrub_reap.service dpkg-db-backup.timer 2>/dev/null || true
install -d "$root/etc/systemd/network"
printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' > "$root/etc/systemd/network/20-wired.network"
ln -sf /run/systemd/resolve/stub-resolv.conf "$root/etc/resolv.conf"
echo kiosk > "$root/etc/hostname"

echo "customize: read-only root, data partition, A/B updates"
install -m 0644 "$files/etc/fstab" "$root/etc/fstab"
install -m 0644 "$files/etc/kiosk-image.conf" "$root/etc/kiosk-image.conf"
install -d "$root/etc/rauc" "$root/usr/lib/kiosk" "$root/data" "$root/var/lib/rauc" "$root/etc/kiosk"
install -m 0644 "$files/rauc/system.conf" "$root/etc/rauc/system.conf"
install -m 0755 "$files/rauc/rauc-post-install" "$root/usr/lib/kiosk/"
install -m 0644 "$files/boot/boot.cmd" "$files/boot/config.txt" "$root/usr/lib/kiosk/"
# RAUC's uboot backend runs fw_printenv/fw_setenv (libubootenv-tool) on the boot partition's uboot.env.
install -m 0644 "$files/etc/fw_env.config" "$root/etc/fw_env.config"
# The update CA the device trusts: KIOSK_RAUC_KEYS (production, offline) or development keys.
keys=${KIOSK_RAUC_KEYS:-$work/../keys}
if [ ! -f "$keys/ca.pem" ]; then
  [ -z "${KIOSK_RAUC_KEYS:-}" ] || { echo "customize: no ca.pem in KIOSK_RAUC_KEYS=$keys" >&2; exit 1; }
  bash "$repo/image-build/bundle.sh" --make-dev-keys "$keys"
fi
install -m 0644 "$keys/ca.pem" "$root/etc/rauc/keyring.pem"
ln -sf /var/lib/kiosk/config/kiosk.toml "$root/etc/kiosk/kiosk.toml"
# The machine id stays transient on the read-only root (an empty file makes systemd mount
# one); the kiosk's identity is its kiosk id and device key on the data partition.
: > "$root/etc/machine-id"
rm -f "$root/var/lib/dbus/machine-id"
# Seed of the data partition (assemble.sh makes it a file system of its own).
kiosk_uid=$(in_root id -u kiosk)
kiosk_gid=$(in_root id -g kiosk)
install -d -m 0750 -o "$kiosk_uid" -g "$kiosk_gid" "$root/data/kiosk"
install -d -m 0750 -o 0 -g "$kiosk_gid" "$root/data/kiosk/config"
install -d "$root/data/rauc"
cp -a "$root/var/lib/systemd" "$root/data/systemd"
find "$root/var/lib/systemd" -mindepth 1 -delete
install -d -m 0750 -o "$kiosk_uid" -g "$kiosk_gid" "$root/var/lib/kiosk"

echo "customize: identity, clean-up"
printf 'KIOSK_IMAGE_ID=%s\n' "${KIOSK_BUILD_ID:-unknown}" > "$root/etc/kiosk-image-id"
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb
rm -f "$root"/etc/ssh/ssh_host_*
