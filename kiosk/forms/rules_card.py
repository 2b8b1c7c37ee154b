"""The rules of the two card procedures (印鑑登録証としての利用, 本籍地利用登録), with their texts.

Both are a request of ONE card holder, carry no address and no household, and must be signed with
the card's 利用者証明用 key: the filing names the certificate the card signs with
(``card_certificate``); a filing without it was not signed by the card (``check`` says so). The
印鑑登録 rules follow domain-procedures §6.3 (age ≥ 15, a seal registered in this ward), the
本籍地利用登録 rules §6.2 (Japanese nationals, 本籍 needed). ``validate`` runs these instead of the
rules of a 住民異動届.
"""

from __future__ import annotations

from datetime import date

from kiosk.forms.findings import Finding, err, warn
from kiosk.forms.model import NO_ADDRESS, Filing, FilingKind
from kiosk.forms.settings import WardSettings

#: finding codes (stable: the intake and the console show them)
SIGNATURE_MISSING = "card_procedure.signature_missing"
CERTIFICATE_EXPIRED = "card_procedure.certificate_expired"
ONE_HOLDER = "card_procedure.one_holder"
ADDRESS_NOT_APPLICABLE = "card_procedure.address_not_applicable"
HOLDER_NAME_EMPTY = "card_procedure.holder_name_empty"
SEAL_NOT_REGISTERED = "seal_card.seal_not_registered"
SEAL_TOO_YOUNG = "seal_card.too_young"
SEAL_CLERK_CONFIRMS = "seal_card.clerk_confirms"
SEAL_NOT_APPLICABLE = "seal_card.not_applicable"
HONSEKI_NOT_JAPANESE = "honseki_registration.not_japanese"
HONSEKI_MISSING = "honseki_registration.honseki_missing"
HONSEKI_PROCESSING = "honseki_registration.processing_time"


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def card_rules(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    """Every finding of a card procedure (errors first where the order matters to the screen)."""
    out: list[Finding] = []
    if f.notified_on > today:
        out.append(err("notified_on", "notified_on.future"))
    if len(f.members) != 1:
        return [*out, err("members", ONE_HOLDER)]
    holder = f.members[0]
    if not holder.name.strip():
        out.append(err("members[0].name", HOLDER_NAME_EMPTY))
    if f.new_address != NO_ADDRESS:
        out.append(err("new_address", ADDRESS_NOT_APPLICABLE))
    cert = f.card_certificate
    if cert is None:
        out.append(err("card_certificate", SIGNATURE_MISSING))
    elif cert.not_after < today:
        out.append(err("card_certificate.not_after", CERTIFICATE_EXPIRED))
    if f.kind is FilingKind.SEAL_CARD_BINDING:
        out += _seal(f, today, settings)
    elif f.seal_card is not None:
        out.append(err("seal_card", SEAL_NOT_APPLICABLE))
    if f.kind is FilingKind.HONSEKI_CONVENIENCE_REGISTRATION:
        out += _honseki(f)
    return out


def _seal(f: Filing, today: date, settings: WardSettings) -> list[Finding]:
    out: list[Finding] = []
    holder = f.members[0]
    if f.seal_card is None or not f.seal_card.seal_registered:
        out.append(err("seal_card", SEAL_NOT_REGISTERED))
    minimum = settings.seal_registration_min_age
    if _age(holder.birth_date, today) < minimum:
        out.append(err("members[0].birth_date", SEAL_TOO_YOUNG, age=minimum))
    out.append(warn("seal_card", SEAL_CLERK_CONFIRMS))
    return out


def _honseki(f: Filing) -> list[Finding]:
    holder = f.members[0]
    if holder.foreign is not None:
        return [err("members[0].foreign", HONSEKI_NOT_JAPANESE)]
    if holder.honseki is None or not holder.honseki.address.strip():
        return [err("members[0].honseki", HONSEKI_MISSING)]
    return [warn("members[0].honseki", HONSEKI_PROCESSING)]


#: texts (ja, en; the English text is the gettext msgid of the other languages)
CARD_MESSAGES: dict[str, dict[str, str]] = {
    SIGNATURE_MISSING: {
        "ja": "この申請はマイナンバーカードの利用者証明用電子証明書で署名する必要があります。",
        "en": "This request must be signed with the My Number card (user authentication "
        "certificate, 利用者証明用).",
    },
    CERTIFICATE_EXPIRED: {
        "ja": "カードの利用者証明用電子証明書の有効期限が切れています。窓口で更新してください。",
        "en": "The card's user authentication certificate has expired. Please renew it at the "
        "counter.",
    },
    ONE_HOLDER: {
        "ja": "この申請はカードの持ち主1人だけの申請です。",
        "en": "This request is for the card holder alone.",
    },
    ADDRESS_NOT_APPLICABLE: {
        "ja": "この申請には住所を書きません。",
        "en": "This request carries no address.",
    },
    HOLDER_NAME_EMPTY: {
        "ja": "カードの持ち主の氏名が読み取れていません。",
        "en": "The card holder's name was not read.",
    },
    SEAL_NOT_REGISTERED: {
        "ja": "印鑑登録がまだの方は、先に窓口で印鑑登録をしてください。",
        "en": "If your seal is not registered yet, please register it at the counter first.",
    },
    SEAL_TOO_YOUNG: {
        "ja": "マイナンバーカードを印鑑登録証として使えるのは{age}歳以上の方だけです。",
        "en": "Only people aged {age} or older can use the My Number card as their seal "
        "registration card.",
    },
    SEAL_CLERK_CONFIRMS: {
        "ja": "職員が印鑑登録を確認してから使えるようになります。",
        "en": "You can use it once staff have checked your seal registration.",
    },
    SEAL_NOT_APPLICABLE: {
        "ja": "印鑑登録の申告はこの申請にはありません。",
        "en": "This request carries no seal registration statement.",
    },
    HONSEKI_NOT_JAPANESE: {
        "ja": "本籍地利用登録は日本国籍の方だけの手続きです。",
        "en": "Registration at your registered domicile (本籍地利用登録) is only for Japanese "
        "nationals.",
    },
    HONSEKI_MISSING: {
        "ja": "本籍を入力してください。",
        "en": "Enter your registered domicile (本籍).",
    },
    HONSEKI_PROCESSING: {
        "ja": "本籍地での手続きが終わってから、コンビニで戸籍証明書を取れるようになります"
        "（数日かかります）。",
        "en": "You can get family register certificates at a convenience store once your "
        "registered domicile has processed the request (a few days).",
    },
}
