"""Households too big for one code: split at print-safe module sizes, reassembled from paper."""

from __future__ import annotations

import dataclasses
import random
from datetime import date

import pytest

from kiosk.forms.model import Filing
from kiosk.forms.payload import SignatureStatus, decode_payload, encode_payload
from kiosk.forms.relationship import Relationship
from kiosk.forms.render.documents import render_documents
from kiosk.forms.render.qr import MIN_DOTS_PER_MODULE, modules_for, read_qr_texts
from kiosk.forms.render.receipt import content_width, max_part_chars
from kiosk.hardware.printer.profiles import TM_T20II, TM_T88V, PrinterProfile
from tests.fixtures.printer import EscposDecoder
from tests.integration.paper.helpers import GOLDEN_KEY, KIOSK_ID, PRINTED_AT, example_filings

TRUST = [GOLDEN_KEY.public_key()]
SURNAMES = [
    "髙橋",
    "𠮷田",
    "渡邊",
    "齋藤",
    "佐々木",
    "長谷川",
    "五十嵐",
    "小野寺",
    "宇都宮",
    "東海林",
]
GIVEN_KANJI = "一二三四五花葉桜楓陽菜蓮湊結衣翔凛樹葵悠真紬大和芽依颯杏蒼澪奏律心翼凪椿朔碧環"
KATAKANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
)
CHAIN = (
    "子",
    "子の妻",
    "子の子",
    "父",
    "母",
    "兄",
    "妹",
    "妻の父",
    "子の子の子",
    "同居人",
    "縁故者",
)


def synthetic_household(members: int, seed: int = 3) -> Filing:
    """A 転入 of ``members`` people with distinct, varied names (little for deflate to share)."""
    rnd = random.Random(seed)
    base = example_filings()["move_in_6_members"]
    people = [base.members[0]]
    for i in range(1, members):
        given = "".join(rnd.choice(GIVEN_KANJI) for _ in range(rnd.randint(1, 3)))
        reading = "".join(rnd.choice(KATAKANA) for _ in range(rnd.randint(3, 7)))
        people.append(
            dataclasses.replace(
                base.members[i % len(base.members)] if i < len(base.members) else people[-1],
                name=f"{rnd.choice(SURNAMES)} {given}",
                furigana=f"タカハシ {reading}",
                birth_date=date(rnd.randint(1940, 2025), rnd.randint(1, 12), rnd.randint(1, 28)),
                relationship=Relationship.parse(CHAIN[i % len(CHAIN)]),
                from_chip=bool(i % 2),
            )
        )
    return dataclasses.replace(base, members=tuple(people))


def _one_code_limit(profile: PrinterProfile) -> int:
    """The largest synthetic household that still fits one code on this profile.

    Measured 2026-11: 15 members at 576 dots, 7 at 512 (4 dots/module, ECC M, distinct names).
    """
    limit = max_part_chars(profile)
    n = 1
    while len(encode_payload(synthetic_household(n + 1), kiosk_id=KIOSK_ID,
                             private_key=GOLDEN_KEY, max_part_chars=limit)) == 1:  # fmt: skip
        n += 1
    return n


@pytest.mark.parametrize(("profile", "at_least"), [(TM_T20II, 12), (TM_T88V, 6)])
def test_largest_single_code_household_and_the_next_one_splits(
    profile: PrinterProfile, at_least: int
) -> None:
    n = _one_code_limit(profile)
    assert n >= at_least, f"{profile.name}: only {n} members fit one code"
    bigger = encode_payload(
        synthetic_household(n + 1),
        kiosk_id=KIOSK_ID,
        private_key=GOLDEN_KEY,
        max_part_chars=max_part_chars(profile),
    )
    assert len(bigger) == 2


@pytest.mark.slow
def test_a_32_member_household_is_split_on_a_tm_t88_and_decodes_from_the_printed_bytes(
    escpos_to_image: EscposDecoder,
) -> None:
    filing = synthetic_household(32)
    docs = render_documents(
        filing, kiosk_id=KIOSK_ID, private_key=GOLDEN_KEY, profile=TM_T88V, printed_at=PRINTED_AT
    )
    assert docs.receipt.image.width == TM_T88V.width_dots == 512
    assert len(docs.parts) >= 2, "a 32-member household must not fit one code"
    for version in docs.receipt.qr_versions:  # every code prints at >= 3 dots per module
        assert modules_for(version) * MIN_DOTS_PER_MODULE <= content_width(TM_T88V)
    picture = escpos_to_image(docs.escpos, TM_T88V.width_dots)
    texts = read_qr_texts([picture])
    assert sorted(texts) == sorted(docs.parts)
    shuffled = list(texts)
    random.Random(11).shuffle(shuffled)
    decoded = decode_payload(shuffled, trusted_keys=TRUST)
    assert decoded.filing == filing and decoded.signature is SignatureStatus.VALID
    assert len(decoded.filing.members) == 32
