"""Ward settings: the rules that differ between municipalities (defaults: the sources' values).

Every field names its source (keys of ``shared/reference/domain-procedures.md`` §9). A ward loads
its own values with :meth:`WardSettings.from_mapping` (unknown keys are refused, so a typo never
silently keeps a default).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass


class WardSettingsError(ValueError):
    """A settings mapping names an unknown key or gives a value of the wrong type."""

    code = "ward_settings"


@dataclass(frozen=True, slots=True)
class WardSettings:
    """Per-ward values of the filing rules (defaults: the sources' values)."""

    #: 転入/転居/世帯変更 are due within this many days of the event (住基法 §22, §23, §25)
    late_after_days: int = 14
    #: 転出 accepted this many days before the planned date ("~14 days" [QA-TIMING][KOBE])
    move_out_advance_days: int = 14
    #: 特例転入: days after the 転出予定日 (last day = min(P + this, M + the next)) [HAMADA-T]
    special_after_planned_days: int = 30
    #: 特例転入: days after the day they started living here [HAMADA-T]
    special_after_moving_days: int = 14
    #: 継続利用 must be done within this many days [KAWAGUCHI][NEWAKITAKATA]
    continued_use_days: int = 90
    #: count the 継続利用 days from the 異動日 instead of the 届出日 (Chikushino; the earlier date
    #: is the safe choice) [CHIKUSHINO]
    continued_use_from_moved_on: bool = True
    #: 印鑑登録 from this age [SUGINAMI-INKAN][ARAKAWA-INKAN]
    seal_registration_min_age: int = 15
    #: under this age a person cannot file (法定代理人 files for them) [HAMADA-S][INO]
    filer_min_age: int = 15
    #: a 任意代理人 cannot have the card updated the same day [KAWAGUCHI]
    proxy_card_same_day: bool = False
    #: foreign-headed households must prove each foreign member's 続柄 [TOYOKAWA-Z][SOUMU-ZAIRYU]
    foreign_household_proof: bool = True
    #: warn when a Japanese national moving in declares no 本籍 (なし/不明 allowed) [JYUKI j120]
    honseki_for_japanese_move_in: bool = True
    #: a 転入 from an address in this ward (a 転居) or a 転居 from outside it (a 転入) blocks
    #: printing; off = a warning in the 確認事項 box (the shipped scripted visit
    #: examples/visits/move_in_join_household.json still files a 転入 with an in-ward card)
    ward_border_is_error: bool = False
    #: 方書 length limit in characters (ward systems vary; [unverified])
    katagaki_max_chars: int = 40
    #: マイナポータル 転出 can be sent from this many days before the planned date … [SHIBUKAWA]
    online_move_out_before_days: int = 30
    #: … until this many days after moving [SHIBUKAWA][KARATSU]
    online_move_out_after_days: int = 10
    #: 国外転出 of the 世帯主 alone: the new 世帯主's consent form may be required [KOKA]
    abroad_head_leaving_consent: bool = True
    #: one adult plus children under this age: the adult becomes 世帯主 automatically (no
    #: 世帯主変更) [HAMADA-S][ITABASHI-SETAI][OSAKA-SETAI]
    automatic_head_child_age: int = 15
    #: a 委任状 older than this many months (counted to the 届出日) is questioned; 0 = no
    #: limit [YOSHINOGAWA]
    power_of_attorney_valid_months: int = 3
    #: an expired 在留期間 with an extension pending (申請中 stamp) is accepted this many months
    #: past the 満了日 (特例期間) [OTA-F]
    residence_grace_months: int = 2
    #: 国民健康保険 加入 within this many days of moving [DAITO-KOKUHO][ONOJO]
    health_insurance_days: int = 14
    #: 介護保険 資格取得届 within this many days of moving [INAGI-KAIGO]
    long_term_care_days: int = 14
    #: 後期高齢者医療 (from another prefecture) within this many days [BUNKYO-KOKI][TOSHIMA-KOKI]
    late_elderly_days: int = 14
    #: 児童手当 認定請求 within this many days from the day after the 転出予定日 [MITSUKE]
    child_allowance_days: int = 15

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> WardSettings:
        """Settings from a JSON object; missing keys keep their defaults."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, object] = {}
        for key, value in raw.items():
            if key not in fields:
                raise WardSettingsError(f"unknown ward setting {key!r}")
            default = getattr(DEFAULT_SETTINGS, key)
            if type(value) is not type(default):
                raise WardSettingsError(f"{key}: expected {type(default).__name__}")
            values[key] = value
        return dataclasses.replace(DEFAULT_SETTINGS, **values)  # type: ignore[arg-type]

    def as_dict(self) -> dict[str, object]:
        """The settings as a JSON object."""
        return dataclasses.asdict(self)


DEFAULT_SETTINGS = WardSettings()
