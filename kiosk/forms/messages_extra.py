"""Texts of the findings of :mod:`kiosk.forms.rules_extra` (ja, en = the gettext msgid).

Merged into ``kiosk.forms.messages.MESSAGES``; the other languages are in the ``.po`` catalogues.
"""

from __future__ import annotations

EXTRA_MESSAGES: dict[str, dict[str, str]] = {
    "special_move_in.online_window": {
        "ja": "このオンライン（マイナポータル）の転出届は、"
        "{first_day}から出せるものです。転出予定日を確認してください。",
        "en": "An online notice of moving out "
        "(マイナポータル) for this planned date can "
        "only be sent from {first_day}. "
        "Please check the planned date of "
        "moving out.",
    },
    "abroad_for_one_year_or_more.not_applicable": {
        "ja": "「1年以上海外に住むか」は、海外への転出のときだけ答えます。",
        "en": "Whether you will live abroad for one year or more is only asked when "
        "moving out to another country.",
    },
    "move_out.abroad_duration_unknown": {
        "ja": "海外に1年以上住む予定かどうか、窓口でお聞きします。"
        "1年未満の場合は転出届を出しません。",
        "en": "The counter will ask whether you will live abroad for one year or "
        "more. For a shorter stay there is no notice of moving out.",
    },
    "move_out.abroad_under_one_year": {
        "ja": "海外に住むのが1年未満の場合は、転出届は出しません。住民票はそのままです。",
        "en": "If you will live abroad for less than one year, do not file a notice "
        "of moving out: your residence record stays as it is.",
    },
    "move_out.abroad_new_head_consent": {
        "ja": "世帯主だけが海外に転出する場合、"
        "新しい世帯主の同意書が必要なことがあります。窓口でご確認ください。",
        "en": "When only the head of household is moving out abroad, a consent form "
        "from the new head of household may be needed. Please ask at the "
        "counter.",
    },
    "household.origin.automatic_head": {
        "ja": "残る世帯員のうち大人は1人なので、その人が自動的に世帯主になります。"
        "世帯主変更の届出はいりません。",
        "en": "Only one adult stays in the household, so that person becomes head of "
        "household automatically. No notice of a change of head is needed.",
    },
    "household.head_change.not_needed": {
        "ja": "残ったのが1人、または大人1人と{age}歳未満の子だけのときは、"
        "その大人が自動的に世帯主になります。世帯主変更届はいりません。",
        "en": "When one person remains, or one adult with children under {age}, that "
        "adult becomes head of household automatically. No notice of a change "
        "of head of household is needed.",
    },
    "member.relationship.not_relative_to_head": {
        "ja": "続柄「{relationship}」は今の世帯主に合いません。"
        "続柄はすべて新しい世帯主から見て選んでください。",
        "en": "The relationship “{relationship}” does not fit the head of household. "
        "Choose every relationship as seen from the new head of household.",
    },
    "filer.power_of_attorney_dated.not_applicable": {
        "ja": "委任状の日付は、代理人が届け出るときだけ入力します。",
        "en": "The date of a letter of attorney (委任状) is only entered when a proxy files.",
    },
    "filer.proxy.power_of_attorney_future": {
        "ja": "委任状の日付が届出日より後になっています。日付を確認してください。",
        "en": "The letter of attorney (委任状) is "
        "dated after the notification date. "
        "Please check the date.",
    },
    "filer.proxy.power_of_attorney_old": {
        "ja": "{months}か月より前に書かれた委任状は受け付けられないことがあります。"
        "新しい委任状をお持ちください。",
        "en": "A letter of attorney (委任状) written "
        "more than {months} months ago may "
        "not be accepted. Please bring a "
        "recent one.",
    },
    "member.foreign.period_grace": {
        "ja": "在留期間の満了日を過ぎています。満了日より前に更新などを申請した方は、"
        "申請中の印がある在留カードをお持ちください（{by}まで）。",
        "en": "The period of stay has ended. If "
        "you applied for an extension before "
        "it ended, bring your residence card "
        "with the 申請中 (application pending) "
        "stamp (until {by}).",
    },
    "member.foreign.permit_period_missing": {
        "ja": "上陸期間・仮滞在期間の終わりの日を入力してください。",
        "en": "Enter the last day of the permitted period (上陸期間 or 仮滞在期間).",
    },
    "member.foreign.permit_expired": {
        "ja": "許可の期間（上陸期間・仮滞在期間）が過ぎています。窓口でご相談ください。",
        "en": "The permitted period (上陸期間 or "
        "仮滞在期間) has ended. Please talk to "
        "the counter.",
    },
    "member.foreign.bring_permit": {
        "ja": "一時庇護許可書または仮滞在許可書をお持ちください。",
        "en": "Please bring your temporary refuge "
        "permit (一時庇護許可書) or provisional "
        "stay permit (仮滞在許可書).",
    },
    "related.national_health_insurance.deadline": {
        "ja": "国民健康保険の加入は、"
        "{by}までに窓口で手続きしてください（引っ越しから{days}日以内）。",
        "en": "National Health Insurance: please apply at the counter by {by} "
        "(within {days} days of moving).",
    },
    "related.long_term_care.deadline": {
        "ja": "介護保険の手続きは、{by}までに窓口でしてください（引っ越しから{days}日以内）。",
        "en": "Long-term care insurance: please notify the counter by {by} (within "
        "{days} days of moving).",
    },
    "related.late_elderly_medical.deadline": {
        "ja": "後期高齢者医療の手続きは、"
        "{by}までに窓口でしてください（引っ越しから{days}日以内）。"
        "前の住所で受け取った負担区分等証明書をお持ちください。",
        "en": "Medical care for the elderly "
        "(後期高齢者医療): please apply at the "
        "counter by {by} (within {days} days "
        "of moving) and bring the "
        "certificate (負担区分等証明書) from your "
        "previous address.",
    },
    "related.child_allowance.deadline": {
        "ja": "児童手当は{by}までに申請してください（転出予定日の翌日から{days}日以内）。"
        "遅れると、もらえない月があります。",
        "en": "Child allowance: please apply by {by} (within {days} days from the "
        "day after your planned date of moving out). If you apply late, some "
        "months are not paid.",
    },
    "filer.not_same_household": {
        "ja": "別の世帯の家族が届け出る場合は任意代理人です。委任状をお持ちください。",
        "en": "Family members from another "
        "household file as a proxy (任意代理人) "
        "and bring a letter of attorney "
        "(委任状).",
    },
}
