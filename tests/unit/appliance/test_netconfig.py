"""netconfig: [network] of kiosk.toml → networkd/timesyncd files in /run and the hostname."""

from __future__ import annotations

import pytest

from kiosk.tech.netconfig import NETWORK_FILE, TIMESYNC_FILE, NetPaths, apply
from kiosk.tech.settings import ConfigInvalidError, validate_network


def test_static_address_dns_ntp_and_hostname(tmp_path):
    cfg = tmp_path / "kiosk.toml"
    # The first-boot copy: the CA it names is not installed yet, which must not matter here.
    cfg.write_text('[sync]\nca_file = "/nonexistent/ca.pem"\n[network]\nhostname = "kiosk-001"\n'
                   'address = "192.0.2.21/24"\ngateway = "192.0.2.1"\ndns = ["192.0.2.53"]\n'
                   'ntp = ["ntp.example.lg.jp"]\n')  # fmt: skip
    paths = NetPaths(run_dir=tmp_path / "run", hostname=tmp_path / "hostname")
    out = apply((tmp_path / "missing.toml", cfg), paths)
    assert "static 192.0.2.21/24" in out and "hostname kiosk-001" in out
    network = (paths.run_dir / NETWORK_FILE).read_text()
    assert "Address=192.0.2.21/24\nGateway=192.0.2.1\nDNS=192.0.2.53" in network
    assert "DHCP" not in network
    assert (paths.run_dir / TIMESYNC_FILE).read_text() == "[Time]\nNTP=ntp.example.lg.jp\n"
    assert paths.hostname.read_text() == "kiosk-001\n"
    # Back to DHCP: the static file goes away.
    cfg.write_text('[network]\nhostname = "kiosk-001"\n')
    assert "DHCP" in apply((cfg,), paths)
    assert not (paths.run_dir / NETWORK_FILE).exists()
    assert not (paths.run_dir / TIMESYNC_FILE).exists()


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"address": "192.0.2.21"}, "needs a prefix"),
        ({"address": 5}, "must be strings"),
        ({"address": "192.0.2.21/24", "gateway": "198.51.100.1"}, "outside"),
        ({"dns": ["not-an-ip"]}, "does not appear to be"),
        ({"dns": "192.0.2.53"}, "list of IP addresses"),
        ({"ntp": ["bad host!"]}, "host names"),
        ({"hostname": "kiosk_001"}, "not a host name"),
    ],
)
def test_bad_network_settings_are_refused(table, problem):
    with pytest.raises(ConfigInvalidError) as err:
        validate_network("kiosk.toml", table)
    assert problem in str(err.value)
