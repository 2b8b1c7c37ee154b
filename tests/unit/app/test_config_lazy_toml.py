"""The settings readers parse TOML only when there is a file, with the same errors as before.

Start-up time (issue 14): ``kiosk.config`` and ``server_sync.config`` import the TOML parser when
they read a file, not when they are imported. What a technician reads for a missing, unreadable
or broken file must not change with that.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.config import KioskConfig, KioskConfigError, load_config
from server_sync.config import load_settings
from server_sync.errors import ConfigError

BROKEN = "[kiosk]\nlanguage = \n"


def test_a_missing_file_means_the_defaults(tmp_path: Path) -> None:
    config = load_config(tmp_path / "absent.toml", environ={})
    assert config == KioskConfig()


def test_a_broken_file_names_the_file_and_the_toml_error(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(KioskConfigError) as caught:
        load_config(path, environ={})
    assert caught.value.key == str(path)
    assert caught.value.problem == "cannot read: Invalid value (at line 2, column 12)"
    assert str(caught.value) == f"{path}: cannot read: Invalid value (at line 2, column 12)"
    assert caught.value.code == "bad_kiosk_config"


def test_an_unreadable_path_is_a_config_error_too(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk.toml"
    folder.mkdir()  # opening a folder fails before any parsing
    with pytest.raises(KioskConfigError) as caught:
        load_config(folder, environ={})
    assert caught.value.problem == f"cannot read: [Errno 21] Is a directory: '{folder}'"
    with pytest.raises(ConfigError, match=r"cannot read .*Is a directory"):
        load_settings(environ={"KIOSK_CONFIG": str(folder)})


def test_the_sync_settings_name_the_broken_file(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("[sync]\nkiosk_id = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"KIOSK_CONFIG": str(path), "KIOSK_STATE_DIR": str(tmp_path)})
    assert str(caught.value) == f"cannot read {path}: Invalid value (at line 2, column 12)"


def test_importing_the_settings_modules_loads_no_toml_parser() -> None:
    code = "import sys, kiosk.config, server_sync.config; print('tomllib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
