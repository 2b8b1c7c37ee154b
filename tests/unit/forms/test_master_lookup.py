"""Picker lookups on the sample ward: prefix and kana search, levels, resolving, speed."""

from __future__ import annotations

import time

import pytest

from kiosk.forms.master import AddressMaster
from kiosk.forms.model import Address, AddressScheme

#: a picker keystroke must feel instant on a Pi; the budget here is for this dev machine
LOOKUP_BUDGET_MS = 5.0


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("", None),
        ("新", ["新宿"]),
        ("しんじゅく", ["新宿"]),
        ("ｼﾝｼﾞｭｸ", ["新宿"]),
        ("ニシ", ["西新宿"]),
        ("いちがや", ["市谷田町", "市谷薬王寺町"]),
        ("市谷", ["市谷田町", "市谷薬王寺町"]),
        ("北", ["北町"]),
        ("ゾ", []),
    ],
)
def test_town_prefix_and_kana_search(
    sample_master: AddressMaster, prefix: str, expected: list[str] | None
) -> None:
    names = [t.name for t in sample_master.towns(prefix)]
    if expected is None:
        assert len(names) == 13
        kanas = [t.kana for t in sample_master.towns(prefix)]
        assert kanas == sorted(kanas)
    else:
        assert names == expected


def test_town_records_carry_kana_romaji_and_chome_flag(sample_master: AddressMaster) -> None:
    (kita,) = sample_master.towns("きたまち")
    assert (kita.name, kita.kana, kita.roma, kita.has_chome) == (
        "北町",
        "キタマチ",
        "Kitamachi",
        False,
    )
    (shinjuku,) = sample_master.towns("新宿")
    assert shinjuku.has_chome


def test_drill_down_residential(sample_master: AddressMaster) -> None:
    chome = sample_master.chome("新宿")
    assert [c.chome for c in chome] == [
        "一丁目",
        "二丁目",
        "三丁目",
        "四丁目",
        "五丁目",
        "六丁目",
        "七丁目",
    ]
    third = chome[2]
    assert third.machiaza_id == "0020003"
    blocks = sample_master.blocks(third.machiaza_id)
    assert blocks[:5] == ["1", "2", "3", "4", "5"]
    assert blocks == sorted(blocks, key=int)
    residences = sample_master.residences(third.machiaza_id, "5")
    assert "2" in residences and "4" in residences
    assert sample_master.residences(third.machiaza_id, "999") == []
    buildings = sample_master.katagaki(
        Address(AddressScheme.RESIDENTIAL, machiaza_id="0020003", block="5", residence="2")
    )
    assert [b.name for b in buildings] == ["新宿三丁目ビル", "新宿ハイツ"]  # kana order
    assert [
        b.name
        for b in sample_master.katagaki(
            Address(AddressScheme.RESIDENTIAL, machiaza_id="0020003", block="5", residence="2"),
            "しんじゅくは",
        )
    ] == ["新宿ハイツ"]


def test_drill_down_parcel(sample_master: AddressMaster) -> None:
    (kita,) = sample_master.chome("北町")
    assert kita.chome == "" and kita.parcel and not kita.residential
    assert sample_master.blocks(kita.machiaza_id) == []
    numbers = sample_master.chiban(kita.machiaza_id, "12")
    assert numbers[0] == "12" and "12-3" in numbers
    assert all(n.startswith("12") for n in numbers)
    buildings = sample_master.katagaki(
        Address(AddressScheme.PARCEL, machiaza_id=kita.machiaza_id, chiban="12-3")
    )
    assert [b.name for b in buildings] == ["北町コーポ"]


def test_address_builder_and_display(sample_master: AddressMaster) -> None:
    a = sample_master.address("0020003", block="5", residence="2", katagaki="新宿ハイツ302号室")
    assert a.display() == "東京都新宿区新宿三丁目5番2号\u3000新宿ハイツ302号室"
    assert a.katagaki_listed and a.postal_code == "1600022" and a.lg_code == "131041"
    p = sample_master.address("0070000", chiban="12-3")
    assert p.display() == "東京都新宿区北町12番地3"
    assert p.scheme is AddressScheme.PARCEL


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        (Address(AddressScheme.FREE_TEXT, free_text="x"), "free_text"),
        (Address(AddressScheme.RESIDENTIAL, lg_code="131016", machiaza_id="0020003"), "other_ward"),
        (Address(AddressScheme.RESIDENTIAL, machiaza_id="0029001"), "unknown_town"),
        (Address(AddressScheme.RESIDENTIAL, machiaza_id="0070000"), "not_residential"),
        (Address(AddressScheme.PARCEL, machiaza_id="0020003", chiban="1"), "not_parcel"),
        (
            Address(AddressScheme.RESIDENTIAL, machiaza_id="0020003", block="77", residence="1"),
            "unknown_block",
        ),
        (
            Address(AddressScheme.RESIDENTIAL, machiaza_id="0020003", block="5", residence="77"),
            "unknown_residence",
        ),
        (Address(AddressScheme.PARCEL, machiaza_id="0070000", chiban="9999"), "unknown_chiban"),
    ],
)
def test_unresolvable_addresses_say_why(
    sample_master: AddressMaster, address: Address, reason: str
) -> None:
    result = sample_master.lookup(address)
    assert result.address is None and result.reason == reason
    assert sample_master.resolve(address) is None


def test_resolve_by_town_name_fills_codes(sample_master: AddressMaster) -> None:
    typed = Address(AddressScheme.RESIDENTIAL, town="新宿三丁目", block="5", residence="4")
    resolved = sample_master.resolve(typed)
    assert resolved is not None
    assert (resolved.machiaza_id, resolved.prefecture, resolved.city) == (
        "0020003",
        "東京都",
        "新宿区",
    )


def test_lookup_speed_on_the_sample(sample_master: AddressMaster) -> None:
    prefixes = ["し", "しん", "にし", "い", "いちがや", "か", "た", "ひゃ", "よ", "わ"]
    for p in prefixes:  # warm caches
        sample_master.towns(p)
    rounds = 30
    start = time.perf_counter()
    for _ in range(rounds):
        for p in prefixes:
            sample_master.towns(p)
        sample_master.chome("新宿")
        sample_master.residences("0020003", "5")
        sample_master.chiban("0071000", "4")
    per_call_ms = (time.perf_counter() - start) * 1000 / (rounds * (len(prefixes) + 3))
    print(f"lookup: {per_call_ms:.3f} ms per call")
    assert per_call_ms < LOOKUP_BUDGET_MS


def test_master_is_usable_from_another_thread(sample_master: AddressMaster) -> None:
    import threading

    seen: list[int] = []
    t = threading.Thread(target=lambda: seen.append(len(sample_master.towns(""))))
    t.start()
    t.join()
    assert seen == [13]
