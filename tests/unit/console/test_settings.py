"""Console settings from the intake's extra map or the environment."""

from __future__ import annotations

import pytest

from server_sync.intake.console.settings import ConsoleSettings


def test_defaults() -> None:
    settings = ConsoleSettings()
    assert settings.session_idle_s == 1800
    assert settings.login_max_failures == 5


def test_overrides_from_mapping_and_env() -> None:
    assert ConsoleSettings.from_mapping({"session_idle_s": "60"}).session_idle_s == 60
    assert (
        ConsoleSettings.from_mapping(
            {"CONSOLE_SESSION_MAX_S": "90"}, prefix="CONSOLE_"
        ).session_max_s
        == 90
    )
    assert (
        ConsoleSettings.from_env({"KIOSK_CONSOLE_LOGIN_MAX_FAILURES": "3"}).login_max_failures == 3
    )


@pytest.mark.parametrize("raw", ["0", "-5", "ten"])
def test_bad_values_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        ConsoleSettings.from_mapping({"session_idle_s": raw})


def test_install_time_settings_env_then_extra() -> None:
    from types import SimpleNamespace

    from server_sync.intake.console.guard import configure

    ctx = SimpleNamespace(settings=SimpleNamespace(extra={"session_max_s": "120"}))
    env = {"KIOSK_CONSOLE_SESSION_IDLE_S": "60", "KIOSK_CONSOLE_SESSION_MAX_S": "90", "HOME": "/"}
    settings = configure(ctx, env)  # type: ignore[arg-type]
    assert (settings.session_idle_s, settings.session_max_s) == (60, 120)


@pytest.mark.parametrize("raw", ["abc", "0", "-5", ""])
def test_a_bad_console_setting_is_a_config_error_naming_the_key(raw: str) -> None:
    from types import SimpleNamespace

    from server_sync.errors import ConfigError
    from server_sync.intake.console.guard import configure

    ctx = SimpleNamespace(settings=SimpleNamespace(extra={}))
    with pytest.raises(ConfigError, match="SESSION_IDLE_S must be a positive integer"):
        configure(ctx, {"KIOSK_CONSOLE_SESSION_IDLE_S": raw})  # type: ignore[arg-type]
