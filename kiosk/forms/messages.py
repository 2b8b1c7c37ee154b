"""Texts for validation findings: a per-code catalogue (ja, en) usable as gettext msgids.

``MESSAGES[code]["en"]`` is the gettext msgid; other languages are added by the app through its
gettext catalogues (``translate`` hook) or by extending ``MESSAGES``. Placeholders use
``str.format`` names from ``Finding.params``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kiosk.forms.validation import Finding

FALLBACK_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    "members.empty": {
        "ja": "異動する人を1人以上入力してください。",
        "en": "Add at least one person who is moving.",
    },
    "household.no_head": {
        "ja": "世帯主を1人選んでください。",
        "en": "Choose one head of household (世帯主).",
    },
    "household.multiple_heads": {
        "ja": "世帯主は1世帯に1人だけです。",
        "en": "A household has exactly one head of household.",
    },
    "household.head_in_join": {
        "ja": "既存の世帯に入る場合、世帯主はその世帯の世帯主です。続柄を選び直してください。",
        "en": "When joining an existing household, its head stays the head. Choose another "
        "relationship.",
    },
    "household.existing_head_missing": {
        "ja": "入る世帯の世帯主の氏名を入力してください。",
        "en": "Enter the name of the head of the household you are joining.",
    },
    "household.remaining_head_missing": {
        "ja": "世帯分離では、元の世帯に残る世帯主の氏名を入力してください。",
        "en": "For a household split, enter the name of the head of the household that remains.",
    },
    "household.remaining_head_leaves": {
        "ja": "元の世帯の世帯主は世帯分離で抜けることはできません。"
        "元の世帯の世帯主変更も届け出てください。",
        "en": "The head of the remaining household cannot leave in a split. Please also notify "
        "a change of head for that household.",
    },
    "household.head_unchanged": {
        "ja": "世帯主変更では、新しい世帯主は今の世帯主と別の人です。",
        "en": "For a change of head of household, the new head must be another person.",
    },
    "household.multiple_spouses": {
        "ja": "世帯主の夫・妻は1人だけ選べます。",
        "en": "Only one person can be the spouse of the head of household.",
    },
    "notified_on.future": {
        "ja": "届出日を未来の日付にすることはできません。",
        "en": "The notification date cannot be in the future.",
    },
    "moved_on.future": {
        "ja": "転入・転居の日は、届出日より後にできません。引っ越してから届け出てください。",
        "en": "The moving date cannot be after the notification date. Please notify after moving.",
    },
    "moved_on.late": {
        "ja": "引っ越しから{days}日が過ぎています（期限は{limit}日以内）。"
        "窓口で理由をお聞きします。",
        "en": "{days} days have passed since the move (the limit is {limit} days). The counter "
        "will ask for the reason.",
    },
    "moved_on.card_move_in_expired": {
        "ja": "引っ越しから14日を過ぎたため、マイナンバーカードによる転入（特例転入）はできません。"
        "前の住所の市区町村で発行された転出証明書をお持ちください。",
        "en": "More than 14 days have passed since the move, so the card-based move-in is not "
        "possible. Please bring the moving-out certificate (転出証明書) from your previous "
        "municipality.",
    },
    "moved_on.too_early": {
        "ja": "転出予定日が{days}日後です。もう少し近くなってから届け出てください。",
        "en": "The planned move-out date is {days} days away. Please notify closer to the date.",
    },
    "member.name.empty": {"ja": "氏名を入力してください。", "en": "Enter the name."},
    "member.name.too_long": {
        "ja": "氏名は{max}文字以内で入力してください。",
        "en": "The name can have at most {max} characters.",
    },
    "member.name.outside_jis": {
        "ja": "氏名に特別な文字（{chars}）があります。窓口で字形を確認します。",
        "en": "The name contains special characters ({chars}); the counter will check their shape.",
    },
    "member.furigana.missing": {
        "ja": "フリガナを入力してください。",
        "en": "Enter the reading of the name in katakana.",
    },
    "member.furigana.not_katakana": {
        "ja": "フリガナはカタカナで入力してください。",
        "en": "Enter the reading in katakana only.",
    },
    "member.birth_date.future": {
        "ja": "生年月日が未来の日付です。",
        "en": "The date of birth is in the future.",
    },
    "member.birth_date.implausible": {
        "ja": "生年月日を確認してください。",
        "en": "Please check the date of birth.",
    },
    "member.birth_date.after_move": {
        "ja": "引っ越しの日より後に生まれた方は、出生届で届け出ます。",
        "en": "A child born after the moving date is registered with a birth notification.",
    },
    "member.duplicate": {
        "ja": "同じ人が2回入力されています（{same_as}番目の人と同じ）。",
        "en": "This person was entered twice (same as person {same_as}).",
    },
    "member.relationship.sex_mismatch": {
        "ja": "続柄「{relationship}」と性別が合っていません。確認してください。",
        "en": "The relationship “{relationship}” does not match the sex. Please check.",
    },
    "member.relationship.child_not_younger": {
        "ja": "「子」の生年月日が世帯主より前です。確認してください。",
        "en": "This child is not younger than the head of household. Please check.",
    },
    "address.unresolved": {
        "ja": "新しい住所が住所の一覧にありません（{reason}）。",
        "en": "The new address is not in the address list ({reason}).",
    },
    "address.not_in_ward": {
        "ja": "新しい住所はこの区の住所を選んでください。",
        "en": "Choose a new address in this ward.",
    },
    "address.free_text_not_allowed": {
        "ja": "新しい住所は一覧から選んでください。",
        "en": "Choose the new address from the list.",
    },
    "address.missing": {"ja": "住所を入力してください。", "en": "Enter the address."},
    "address.same_as_old": {
        "ja": "新しい住所が今の住所と同じです。",
        "en": "The new address is the same as the current address.",
    },
    "address.katagaki.too_long": {
        "ja": "方書（建物名・部屋番号）は{max}文字以内で入力してください。",
        "en": "The building name and room can have at most {max} characters.",
    },
    "address.katagaki.unlisted": {
        "ja": "建物名が一覧にありません。窓口で確認します。",
        "en": "The building is not in the list; the counter will check it.",
    },
    "filer.name.empty": {
        "ja": "届出人の氏名を入力してください。",
        "en": "Enter the name of the person filing.",
    },
    "filer.member_index.invalid": {
        "ja": "届出人を選び直してください。",
        "en": "Choose the person filing again.",
    },
    "filer.standing_mismatch": {
        "ja": "届出人の資格が「世帯主」ですが、世帯主として入力されていません。",
        "en": "The person filing is marked as head of household but is not the head.",
    },
    "phone.invalid": {
        "ja": "電話番号を確認してください（例: 03-1234-5678）。",
        "en": "Please check the phone number (e.g. 03-1234-5678).",
    },
}


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def msgid(code: str) -> str:
    """The gettext msgid (the English text) of a finding code; the code itself if unknown."""
    return MESSAGES.get(code, {}).get(FALLBACK_LANGUAGE, code)


def message(
    finding: Finding,
    lang: str = "ja",
    *,
    translate: Callable[[str, str], str | None] | None = None,
) -> str:
    """The text of a finding in ``lang`` (``translate(msgid, lang)`` first, then ja/en texts)."""
    texts: Mapping[str, str] = MESSAGES.get(finding.code, {})
    template = translate(msgid(finding.code), lang) if translate else None
    if template is None:
        base = lang.split("-")[0]
        template = texts.get(lang) or texts.get(base) or texts.get(FALLBACK_LANGUAGE)
    if template is None:
        return finding.code
    shown = {
        k: (v + 1 if k == "same_as" and isinstance(v, int) else v)
        for k, v in finding.params.items()
    }
    return template.format_map(_Params(shown))
