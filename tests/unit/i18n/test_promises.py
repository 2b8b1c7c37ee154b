"""No catalog string promises what the kiosk settings contradict."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import KioskConfig, load_config
from kiosk.i18n.checks import check_promises, source_texts
from kiosk.i18n.languages import LANGUAGES

CODES = [lang.code for lang in LANGUAGES]


@pytest.fixture
def shipped_config(tmp_path: Path) -> KioskConfig:
    """The settings a kiosk runs with when kiosk.toml sets nothing (idle reset at 90 s)."""
    return load_config(tmp_path / "none.toml", environ={})


@pytest.mark.parametrize("code", CODES)
def test_no_string_promises_what_the_settings_contradict(
    code: str, shipped_config: KioskConfig
) -> None:
    problems = check_promises(code, source_texts(code), shipped_config)
    assert problems == [], "\n".join(map(str, problems))


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("en", "Take your time. There is no time limit."),
        ("ja", "ゆっくりどうぞ。時間制限はありません。"),
        ("ja_easy", "《時間｜じかん》の きまりは ありません。"),
        ("zh", "请慢慢来，没有时间限制。"),
        ("ko", "천천히 하세요. 시간 제한은 없습니다."),
        ("vi", "Cứ từ từ. Không giới hạn thời gian."),
        ("ne", "हतार नगर्नुहोस्। समय सीमा छैन।"),
        ("fil", "Dahan-dahan lang. Walang limitasyon sa oras."),
    ],
)
def test_no_time_limit_is_caught_while_a_timeout_is_set(
    code: str, text: str, shipped_config: KioskConfig
) -> None:
    problems = check_promises(code, {"m": text}, shipped_config)
    assert [p.rule for p in problems] == ["promise no_time_limit"]
    assert "idle_reset_s" in problems[0].detail
