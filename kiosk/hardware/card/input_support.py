"""The 券面事項入力補助AP: PIN 0011 and the 基本4情報 files (never EF 0001, the My Number)."""

from __future__ import annotations

from kiosk.hardware.card.session import ApplicationSession

INPUT_SUPPORT_AID = bytes.fromhex("D3921000310001010408")
PIN_INPUT_SUPPORT = 0x0011
EF_BASIC_FOUR = 0x0002
EF_INTEGRITY = 0x0003
EF_CV_CERTIFICATE = 0x0004


class InputSupportSession(ApplicationSession):
    """Commands of the 券面事項入力補助AP that the kiosk uses."""

    aid = INPUT_SUPPORT_AID
    name = "input-support AP"
    allowed_files = frozenset({PIN_INPUT_SUPPORT, EF_BASIC_FOUR, EF_INTEGRITY, EF_CV_CERTIFICATE})

    def read_basic_four(self) -> bytes:
        """EF 0002 (the 基本4情報 object; needs PIN 0011), first chunk by short EF id."""
        return self.read_object(EF_BASIC_FOUR, short_first=True)

    def read_integrity(self) -> bytes:
        """EF 0003 (digests and signature; needs PIN 0011), first chunk by short EF id."""
        return self.read_object(EF_INTEGRITY, short_first=True)

    def read_cv_certificate(self) -> bytes:
        """EF 0004 (CV certificate of the data-signing key), first chunk by short EF id."""
        return self.read_object(EF_CV_CERTIFICATE, short_first=True)
