"""Clerk wording shared by the export, the 受付票 and the daily summary (no I/O).

Language names in Japanese (to arrange a 通訳), the PIN each card task needs, the section each
related procedure is handed to, and Japan-time stamps for files a ward PC opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from kiosk.forms.model import Answer, CardTask, RelatedProcedure

JST = timezone(timedelta(hours=9), "JST")
JST_FORMAT = "%Y-%m-%dT%H:%M:%S+09:00"

#: the kiosk's visit languages (BCP 47) as a clerk names them when booking an interpreter
LANGUAGE_JA: dict[str, str] = {
    "ja": "日本語",
    "ja_easy": "やさしい日本語",
    "ja-easy": "やさしい日本語",
    "en": "英語",
    "zh": "中国語",
    "ko": "韓国語",
    "vi": "ベトナム語",
    "ne": "ネパール語",
    "fil": "フィリピノ語",
    "tl": "タガログ語",
    "pt": "ポルトガル語",
    "es": "スペイン語",
}
#: languages that need no interpreter at a Japanese counter
NO_INTERPRETER = frozenset({"ja", "ja_easy", "ja-easy"})

#: card task → the PIN (暗証番号) the holder needs for it at the counter
PIN_JUKI = "住民基本台帳用暗証番号（数字4桁）"
PIN_SIGNATURE = "署名用電子証明書の暗証番号（英数字6〜16桁・新しく設定）"
PIN_FOR_TASK: dict[CardTask, str] = {
    CardTask.CONTINUED_USE: PIN_JUKI,
    CardTask.SURFACE_UPDATE: PIN_JUKI,
    CardTask.SIGNATURE_CERTIFICATE: PIN_SIGNATURE,
}
TASK_ORDER = (CardTask.CONTINUED_USE, CardTask.SURFACE_UPDATE, CardTask.SIGNATURE_CERTIFICATE)

#: related procedure → the section (係) the filing is handed on to
SECTION_OF: dict[RelatedProcedure, str] = {
    RelatedProcedure.NATIONAL_HEALTH_INSURANCE: "国保",
    RelatedProcedure.LATE_ELDERLY_MEDICAL: "国保",
    RelatedProcedure.NATIONAL_PENSION: "年金",
    RelatedProcedure.LONG_TERM_CARE: "介護保険",
    RelatedProcedure.CHILD_ALLOWANCE: "児童手当",
    RelatedProcedure.SCHOOL_ENROLMENT: "就学",
    RelatedProcedure.SEAL_REGISTRATION: "印鑑登録",
}
SECTION_ORDER = ("国保", "年金", "介護保険", "児童手当", "就学", "印鑑登録")
ANSWER_JA: dict[Answer, str] = {
    Answer.YES: "はい",
    Answer.NO: "いいえ",
    Answer.UNSURE: "窓口で確認",
}
LIST_SEPARATOR = "・"


def language_ja(tag: str) -> str:
    """``vi`` → ``ベトナム語``; an unknown tag is shown as given."""
    return LANGUAGE_JA.get(tag, LANGUAGE_JA.get(tag.split("-")[0], tag))


def interpreter_language(tag: str) -> str:
    """The language to book an interpreter for, or "" when the visit was in Japanese."""
    return "" if tag in NO_INTERPRETER else language_ja(tag)


def task_labels(tasks: frozenset[CardTask]) -> list[str]:
    """One member's card tasks in a fixed order, in Japanese."""
    return [t.label_ja for t in TASK_ORDER if t in tasks]


def pins_needed(tasks: frozenset[CardTask]) -> list[str]:
    """The PINs one member needs for their card tasks (each once, in a fixed order)."""
    needed = {PIN_FOR_TASK[t] for t in tasks}
    return [p for p in (PIN_JUKI, PIN_SIGNATURE) if p in needed]


def parse_utc(stamp: str) -> datetime | None:
    """A stored RFC 3339 stamp as an aware time (None if it does not parse)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo is not None else None


def jst_stamp(stamp: str | None) -> str:
    """A stored UTC stamp as RFC 3339 Japan time, seconds: ``2026-11-27T19:00:00+09:00``."""
    if not stamp:
        return ""
    moment = parse_utc(stamp)
    if moment is None:
        return stamp
    try:
        return moment.astimezone(JST).strftime(JST_FORMAT)
    except (OverflowError, ValueError):
        return stamp
