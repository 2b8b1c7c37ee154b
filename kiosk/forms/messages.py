"""Texts for validation findings: a per-code catalogue (ja, en) usable as gettext msgids.

``MESSAGES[code]["en"]`` is the gettext msgid; other languages are added by the app through its
gettext catalogues (``translate`` hook) or by extending ``MESSAGES``. Placeholders use
``str.format`` names from ``Finding.params``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from kiosk.forms.messages_extra import EXTRA_MESSAGES
from kiosk.forms.rules_card import CARD_MESSAGES
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


#: texts of the version-2 rules (kiosk.forms.rules), merged into ``MESSAGES`` below: the UI
#: catalogues translate them all (``kiosk.i18n.extract.finding_msgids`` reads ``MESSAGES``)
RULE_MESSAGES: dict[str, dict[str, str]] = {
    "move_out_route.not_applicable": {
        "ja": "転出の方法は転入のときだけ記入します。",
        "en": "How you left the old municipality is only asked when moving in.",
    },
    "planned_move_out_on.not_applicable": {
        "ja": "転出予定日は転入のときだけ記入します。",
        "en": "The planned move-out date is only asked when moving in.",
    },
    "move_out_route.not_abroad": {
        "ja": "国外からの転入では、転出の方法は「国外転出」です。",
        "en": "When moving in from abroad, the way you left is 'abroad'.",
    },
    "move_out_route.abroad_is_move_in_from_abroad": {
        "ja": "国外から引っ越してきた場合は「国外からの転入」を選んでください。",
        "en": "If you are coming from abroad, choose 'moving in from abroad'.",
    },
    "move_out_route.missing": {
        "ja": "前の市区町村をどの方法で転出したか（転出証明書・マイナンバーカード・オンライン）"
        "を窓口でお聞きします。",
        "en": "The counter will ask how you moved out of your previous municipality "
        "(moving-out certificate (転出証明書), My Number card or online).",
    },
    "move_in.bring_certificate": {
        "ja": "前の市区町村で受け取った転出証明書（原本）をお持ちください。",
        "en": "Please bring the original moving-out certificate (転出証明書) from your previous "
        "municipality.",
    },
    "planned_move_out_on.missing": {
        "ja": "前の市区町村に届けた転出予定日を入力してください。",
        "en": "Enter the planned move-out date you gave your previous municipality.",
    },
    "special_move_in.expired": {
        "ja": "マイナンバーカードによる転入（特例転入）の期限（{last_day}）を過ぎています。"
        "カードは失効します。前の市区町村で転出証明書を受け取ってお持ちください。",
        "en": "The deadline for moving in with the My Number card (特例転入) ({last_day}) has "
        "passed. The card lapses: get a moving-out certificate (転出証明書) from your previous "
        "municipality.",
    },
    "special_move_in.bring_card_and_pin": {
        "ja": "マイナンバーカードで転入できます（{last_day}まで）。"
        "全員のカードと住民基本台帳用の暗証番号（数字4桁）が必要です。",
        "en": "Moving in with your My Number cards is possible until {last_day}. Bring every "
        "card and its 4-digit resident-registry PIN.",
    },
    "special_move_in.online_child_card": {
        "ja": "オンライン転出は15歳未満の方のカードではできません。窓口で確認します。",
        "en": "Online move-out is not possible with the card of a child under 15. The counter "
        "will check.",
    },
    "move_in_from_abroad.documents": {
        "ja": "全員のパスポートをお持ちください。日本人は戸籍謄本と戸籍の附票、外国人は在留カードも"
        "必要です。",
        "en": "Bring everyone's passport; Japanese nationals also their family register and its "
        "supplement, foreign nationals their residence card.",
    },
    "move_out.abroad_card": {
        "ja": "国外転出後もマイナンバーカードを使うには、{by}までに"
        "国外継続利用の手続きが必要です。",
        "en": "To keep using your My Number card abroad, apply for continued use abroad by {by}.",
    },
    "move_out.abroad_card_lapses": {
        "ja": "国外継続利用の期限（{by}）を過ぎています。転出予定日にカードは失効します。",
        "en": "The deadline for continued use abroad ({by}) has passed. The card lapses on the "
        "move-out date.",
    },
    "address.old_in_ward": {
        "ja": "前の住所がこの区の中です。区内の引っ越しは「転居」です。",
        "en": "Your previous address is in this ward: a move within the ward is a 'move within'.",
    },
    "address.old_outside_ward": {
        "ja": "前の住所がこの区の外です。区外からの引っ越しは「転入」です。",
        "en": "Your previous address is outside this ward: that move is 'moving in'.",
    },
    "household_change.address_change": {
        "ja": "世帯の変更では住所は変わりません。引っ越した場合は転居・転入の届出です。",
        "en": "A household change keeps the address. If you moved, file a move instead (within "
        "the ward, or moving in).",
    },
    "household.previous_head_missing": {
        "ja": "前の世帯主の氏名を入力してください。",
        "en": "Enter the name of the previous head of household.",
    },
    "household.merge_needs_existing_head": {
        "ja": "世帯合併では、入る世帯の世帯主を入力してください。",
        "en": "For a household merger, enter the head of the household you join.",
    },
    "household.merge_old_head_not_member": {
        "ja": "前の世帯主も合併する人に含めてください。",
        "en": "Include the previous head among the persons joining.",
    },
    "household.origin.not_applicable": {
        "ja": "残る世帯はこの届出では記入しません。",
        "en": "The remaining household is not part of this kind of filing.",
    },
    "household.origin.remaining_head_missing": {
        "ja": "世帯主が引っ越し、2人以上が残ります。残る世帯の新しい世帯主を選んでください。",
        "en": "The head of household moves and two or more people stay. Choose the new head of "
        "the household that stays.",
    },
    "household.origin.remaining_head_moves": {
        "ja": "残る世帯の世帯主は、引っ越さない人から選んでください。",
        "en": "The head of the remaining household must be someone who stays.",
    },
    "household.origin.staying_unknown": {
        "ja": "世帯主が引っ越します。残る人の人数と新しい世帯主を窓口でお聞きします。",
        "en": "The head of household moves. The counter will ask who stays and who becomes head.",
    },
    "member.furigana.repeated": {
        "ja": "フリガナが氏名の2回分になっています。読みを1回だけ入力してください。",
        "en": "The reading repeats the name twice. Enter the reading once.",
    },
    "household.head_change.previous_head_not_listed": {
        "ja": "前の世帯主も一覧に入れて、新しい世帯主との続柄を選んでください。",
        "en": "List the previous head too, with the relationship to the new head.",
    },
    "member.foreign.alias.not_kanji_kana": {
        "ja": "通称は漢字・かなで記入します。",
        "en": "A registered alias (tsūshō) is written in kanji or kana.",
    },
    "member.honseki.foreign": {
        "ja": "本籍は日本国籍の方だけ記入します。",
        "en": "A registered domicile (honseki) applies to Japanese nationals only.",
    },
    "member.foreign.nationality.missing": {
        "ja": "国籍・地域を入力してください。",
        "en": "Enter the nationality or region.",
    },
    "member.foreign.residence_card_number.missing": {
        "ja": "在留カード（特別永住者証明書）の番号を窓口で確認します。カードをお持ちください。",
        "en": "The counter will check the residence card number. Please bring the card.",
    },
    "member.foreign.residence_card_number.format": {
        "ja": "在留カード番号は英字2文字・数字8桁・英字2文字です（例: AB12345678CD）。",
        "en": "A residence card number is 2 letters, 8 digits and 2 letters (e.g. AB12345678CD).",
    },
    "member.foreign.status.missing": {
        "ja": "在留資格を入力してください。",
        "en": "Enter the status of residence.",
    },
    "member.foreign.period_ends_on.missing": {
        "ja": "在留期間の満了日を入力してください。",
        "en": "Enter the date the period of stay ends.",
    },
    "member.foreign.period_expired": {
        "ja": "在留期間の満了日を過ぎています。申請中の方はその証明をお持ちください。",
        "en": "The period of stay has ended. If you have applied for an extension, bring proof.",
    },
    "member.foreign.bring_card": {
        "ja": "在留カード（特別永住者証明書）をお持ちください。裏面に新しい住所を記載します。",
        "en": "Bring the residence card: the new address is written on its back.",
    },
    "member.honseki.missing": {
        "ja": "本籍・筆頭者がわかれば入力してください（わからなければ窓口で確認します）。",
        "en": "Enter the registered domicile and its head if you know them (else the counter "
        "checks).",
    },
    "member.honseki.address.empty": {
        "ja": "本籍を入力してください。",
        "en": "Enter the registered domicile.",
    },
    "member.honseki.bring_koseki": {
        "ja": "本籍がこの区以外のため、戸籍謄本と戸籍の附票をお持ちください。",
        "en": "Your registered domicile is elsewhere: bring a copy of the family register and "
        "its supplement.",
    },
    "member.relationship.foreign_proof": {
        "ja": "世帯主が外国籍のため、続柄を証明する書類（出生証明書・婚姻証明書など）と日本語訳が"
        "必要です。ない場合は「同居人」または「縁故者」になります。",
        "en": "The head of household is a foreign national: bring a document proving the "
        "relationship (birth or marriage certificate) with a Japanese translation. Without it "
        "the record says 'cohabitant' or 'other relative'.",
    },
    "member.relationship.head_consent": {
        "ja": "今の世帯主の同意書が必要です。",
        "en": "The current head of household must consent in writing.",
    },
    "card.continued_use_deadline": {
        "ja": "マイナンバーカードの継続利用の手続きを{by}までに窓口で行ってください。"
        "過ぎるとカードは失効します。",
        "en": "Have your My Number card continued at the counter by {by}, or it lapses.",
    },
    "card.signature_certificate_lapses": {
        "ja": "住所が変わると署名用電子証明書は失効します。必要な方は窓口で再発行してください。",
        "en": "The signature certificate lapses with the address change. It can be re-issued at "
        "the counter.",
    },
    "filer.under_15": {
        "ja": "{age}歳未満の方は届出人になれません。法定代理人か同じ世帯の大人が届け出てください。",
        "en": "People under {age} cannot file. A legal representative or an adult of the "
        "household files instead.",
    },
    "filer.self_not_member": {
        "ja": "「本人」は引っ越す人の中から選んでください。",
        "en": "'Self' must be one of the persons moving.",
    },
    "filer.proxy.power_of_attorney": {
        "ja": "代理人の方は委任状（原本）と本人確認書類をお持ちください。",
        "en": "A proxy must bring the original letter of attorney and their own ID.",
    },
    "filer.proxy.card_not_same_day": {
        "ja": "代理人の場合、マイナンバーカードの手続きは当日にはできません"
        "（後日の照会になります）。",
        "en": "With a proxy, the My Number card procedures cannot be done the same day.",
    },
    "filer.legal_representative.documents": {
        "ja": "法定代理人の方は、資格がわかる書類（戸籍謄本・登記事項証明書など）を"
        "お持ちください。",
        "en": "A legal representative must bring proof (family register or certificate of "
        "registered matters).",
    },
    "filer.phone.missing": {
        "ja": "代理人の連絡先電話番号を入力してください。",
        "en": "Enter a phone number for the representative.",
    },
    "related.seal_registration.too_young": {
        "ja": "印鑑登録は{age}歳以上の方だけできます。",
        "en": "Seal registration is only possible from age {age}.",
    },
    "related.school_enrolment.no_pupil": {
        "ja": "今年度、小学生・中学生になるお子さんがいません。就学の手続きは不要です。",
        "en": "No child is of primary or junior-high school age this school year.",
    },
}


MESSAGES.update(RULE_MESSAGES)
MESSAGES.update(CARD_MESSAGES)  # the card procedures (kiosk.forms.rules_card)
MESSAGES.update(EXTRA_MESSAGES)  # more 住民異動届 rules (kiosk.forms.rules_extra)


def _texts(code: str) -> Mapping[str, str]:
    return MESSAGES.get(code) or RULE_MESSAGES.get(code, {})


class _Params(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def msgid(code: str) -> str:
    """The gettext msgid (the English text) of a finding code; the code itself if unknown."""
    return _texts(code).get(FALLBACK_LANGUAGE, code)


def message(
    finding: Finding,
    lang: str = "ja",
    *,
    translate: Callable[[str, str], str | None] | None = None,
) -> str:
    """The text of a finding in ``lang`` (``translate(msgid, lang)`` first, then ja/en texts)."""
    texts: Mapping[str, str] = _texts(finding.code)
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
