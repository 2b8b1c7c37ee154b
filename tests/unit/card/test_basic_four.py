from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from kiosk.hardware.card.basic_four import BasicFourInfo, Sex, digest_input
from kiosk.hardware.card.errors import BadResponseError
from tests.unit.card.builders import basic_four_object
from tests.unit.card.scripted import cmd

# card-protocol.md §10.1: EF 0002 of a JPKI test card (synthetic holder), 104 bytes.
VECTOR = cmd(
    "FF 20 65 DF 21 08 00 0E 00 20 00 59 00 64"
    " DF 22 0F E9 BB 92 E6 A1 90 E3 80 80 E5 B9 B9 E4 B9 9F"
    " DF 23 36 E6 9D B1 E4 BA AC E9 83 BD E6 B8 85 E7 80 AC E5 B8 82 E8 A6 B3 E5 B8 83"
    " E5 AD 90 E5 8D 97 EF BC 91 EF BC 92 EF BC 8D EF BC 97 EF BC 8D"
    " EF BC 92 EF BC 90 EF BC 92"
    " DF 24 08 31 39 38 30 30 32 31 37 DF 25 01 31"
)
VECTOR_DIGEST = "b9e0d09427b23b1d4beda2848512b4103752dc2667e51f9712872d65f472cb3b"


def test_parses_the_published_test_card_vector_with_filler() -> None:
    info = BasicFourInfo.parse(VECTOR + b"\xff" * 152)
    assert info.name == "黒桐\u3000幹也"
    assert info.address == "東京都清瀬市観布子南１２－７－２０２"
    assert info.birth_date == dt.date(1980, 2, 17)
    assert info.sex is Sex.MALE


def test_digest_input_matches_the_published_vector_digest() -> None:
    assert hashlib.sha256(digest_input(VECTOR + b"\x00" * 20)).hexdigest() == VECTOR_DIGEST


def test_repr_hides_personal_data() -> None:
    assert "黒桐" not in repr(BasicFourInfo.parse(VECTOR))


def test_characters_outside_the_bmp_and_long_form_lengths() -> None:
    address = "東京都千代田区霞が関" + "一丁目" * 60
    obj = basic_four_object("髙橋\u3000𠮷子", address, "20010101", "2")
    assert obj[2] == 0x82  # long-form outer length
    info = BasicFourInfo.parse(obj + b"\xff" * 3)
    assert (info.name, info.address, info.sex) == ("髙橋\u3000𠮷子", address, Sex.FEMALE)


@pytest.mark.parametrize(
    ("code", "sex"), [("1", Sex.MALE), ("2", Sex.FEMALE), ("9", Sex.NOT_APPLICABLE)]
)
def test_sex_codes(code: str, sex: Sex) -> None:
    assert BasicFourInfo.parse(basic_four_object("A", "B", "19991231", code)).sex is sex


@pytest.mark.parametrize(
    "obj",
    [
        basic_four_object("A", "B", "19991231", "3"),  # unknown sex code
        basic_four_object("A", "B", "19990230", "1"),  # no such date
        basic_four_object("A", "B", "1999123", "1"),  # short date
        basic_four_object("A", "B", "R01.5.1x", "1"),  # not digits
        VECTOR[:60],  # truncated object
        VECTOR.replace(cmd("DF 23 36"), cmd("DF 23 7F")),  # field runs past the container
        VECTOR.replace(cmd("00 0E 00 20"), cmd("00 0E 00 23")),  # offset table disagrees
        VECTOR.replace(cmd("E9 BB 92"), cmd("E9 28 92")),  # invalid UTF-8 in the name
        VECTOR.replace(cmd("FF 20"), cmd("FF 21")),  # wrong container tag
        VECTOR.replace(cmd("DF 25 01 31"), cmd("DF 26 01 31")),  # sex field missing
    ],
)
def test_malformed_files_raise_bad_response(obj: bytes) -> None:
    with pytest.raises(BadResponseError):
        BasicFourInfo.parse(obj)
