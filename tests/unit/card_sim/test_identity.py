"""Identity files: loading, validation, derived verification codes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kiosk.hardware.card.sim.identity import (
    EXAMPLES_DIR,
    Identity,
    IdentityError,
    Sex,
    era_yymmdd,
    is_valid_my_number,
    my_number_check_digit,
)


def test_every_example_card_loads() -> None:
    names = sorted(p.stem for p in EXAMPLES_DIR.glob("*.json"))
    assert {"yamada", "takahashi", "smith", "sato", "tanaka_last_try", "suzuki_blocked"} <= set(
        names
    )
    for name in names:
        identity = Identity.load(EXAMPLES_DIR / f"{name}.json")
        assert identity.card_id == name


def test_examples_cover_the_hard_cases() -> None:
    takahashi = Identity.load(EXAMPLES_DIR / "takahashi.json")
    assert any(ord(ch) > 0xFFFF for ch in takahashi.name)  # 𠮷 outside the BMP
    assert len(takahashi.address.encode()) > 255  # needs 82-form lengths
    assert len(Identity.load(EXAMPLES_DIR / "smith.json").name.encode()) > 127
    assert Identity.load(EXAMPLES_DIR / "sato.json").sex is Sex.NOT_APPLICABLE
    assert Identity.load(EXAMPLES_DIR / "tanaka_last_try.json").tries_left.text == 1
    assert Identity.load(EXAMPLES_DIR / "suzuki_blocked.json").tries_left.text == 0


def test_check_digit_matches_the_published_test_card() -> None:
    assert my_number_check_digit("53768667718") == 8
    assert is_valid_my_number("537686677188")
    assert not is_valid_my_number("537686677189")
    assert not is_valid_my_number("５３７６８６６７７１８８")


def test_verification_code_b_uses_the_japanese_era() -> None:
    raw = json.loads((EXAMPLES_DIR / "yamada.json").read_text())
    raw.update(birth_date="1980-02-17", card_expiry="2035-02-17", security_code="2285")
    identity = Identity.from_dict(raw)
    assert identity.verification_code_b == "55021720352285"  # card-protocol.md §3.2 example
    assert era_yymmdd(dt.date(2019, 5, 1)) == "010501"
    assert era_yymmdd(dt.date(2019, 4, 30)) == "310430"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"my_number": "123456789012"}, "my_number"),
        ({"sex": 3}, "sex"),
        ({"birth_date": "1985/04/12"}, "birth_date"),
        ({"pins": {"text": "12345"}}, "text PIN"),
        ({"pins": {"sign": "abc123"}}, "sign password"),
        ({"tries_left": {"text": 4}}, "tries_left.text"),
        ({"name": ""}, "name"),
        ({"tries_lefts": {"text": 1}}, "unknown keys"),
        ({"pins": {"txt": "1234"}}, "txt"),
        ({"id": "../../etc/x"}, "id must be"),
    ],
)
def test_bad_identity_files_raise_a_typed_error(
    tmp_path: Path, change: dict[str, object], reason: str
) -> None:
    raw = json.loads((EXAMPLES_DIR / "yamada.json").read_text())
    raw.update(change)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(IdentityError) as info:
        Identity.load(path)
    assert info.value.code == "bad_identity"
    assert info.value.path == str(path)
    assert reason in str(info.value) or info.value.reason.startswith("bad field")


def test_missing_and_non_json_files_raise_identity_error(tmp_path: Path) -> None:
    with pytest.raises(IdentityError, match="not found"):
        Identity.load(tmp_path / "nope.json")
    (tmp_path / "x.json").write_text("{not json")
    with pytest.raises(IdentityError, match="not a JSON"):
        Identity.load(tmp_path / "x.json")
