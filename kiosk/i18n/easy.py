"""やさしい日本語 checks over the catalog's ruby notation (《base｜reading》).

What the guidelines for やさしい日本語 ask (出入国在留管理庁・文化庁「在留支援のためのやさしい日本語
ガイドライン」, 2020) that a machine can check:

* say 暗証番号 where the PIN is meant, never a bare 番号 (the card has several numbers);
* counters and dates read right: 《1人｜ひとり》 not 1《人｜にん》, 《14日｜じゅうよっか》, and
  the date parts 年/月/日 read ねん/がつ/にち, not とし/つき/ひ;
* short sentences;
* 分かち書き: words separated by spaces, at least after を, and in every longer sentence.
"""

from __future__ import annotations

import re

from kiosk.i18n.checks import Problem
from kiosk.i18n.ruby import parse

LANG = "ja_easy"
#: the longest sentence allowed (characters of the plain text, spaces included)
MAX_SENTENCE = 45
#: a sentence at least this long must be written with 分かち書き (contain a space)
SPACED_FROM = 10
#: msgids that speak about the PIN (an English word boundary)
PIN_MSGID = re.compile(r"\bPIN\b")
#: numeral + counter whose reading is not the regular on-reading: write them as one ruby group
IRREGULAR = {
    ("1", "人"): "ひとり", ("2", "人"): "ふたり", ("4", "人"): "よにん",
    ("1", "日"): "ついたち", ("2", "日"): "ふつか", ("3", "日"): "みっか", ("4", "日"): "よっか",
    ("5", "日"): "いつか", ("6", "日"): "むいか", ("7", "日"): "なのか", ("8", "日"): "ようか",
    ("9", "日"): "ここのか", ("10", "日"): "とおか", ("14", "日"): "じゅうよっか",
    ("20", "日"): "はつか", ("24", "日"): "にじゅうよっか",
}  # fmt: skip
#: after a number (or a {placeholder}) the date parts read like this
DATE_READINGS = {"年": "ねん", "月": "がつ", "日": "にち", "人": "にん", "回": "かい"}
DATE_LABELS = {"Year": "年", "Month": "月", "Day": "日"}
_NUMBER_BEFORE = re.compile(r"(\d+|\})\s*$")
_INSIDE = re.compile(r"^(\d+)(人|日)$")
_SENTENCE_END = re.compile(r"(?<=[。？！])")


def check_pin_word(msgid: str, text: str) -> list[Problem]:
    """Where the English says PIN, the easy Japanese says 暗証番号 and never a bare 番号."""
    if not PIN_MSGID.search(msgid):
        return []
    out = []
    segments = parse(text)
    if not any(seg.text == "暗証番号" for seg in segments):
        out.append(Problem(LANG, msgid, "pin word", "say 《暗証番号｜あんしょうばんごう》"))
    if any(seg.text == "番号" for seg in segments):
        out.append(Problem(LANG, msgid, "pin word", "bare 番号 where 暗証番号 is meant"))
    return out


def check_readings(msgid: str, text: str) -> list[Problem]:
    """Counters and date parts after a number read right; 1人 etc. are one group."""
    out = []
    segments = parse(text)
    before = ""
    for seg in segments:
        if seg.reading is not None:
            inside = _INSIDE.match(seg.text)
            if inside:
                wanted = IRREGULAR.get((inside[1], inside[2]))
                if wanted and seg.reading != wanted:
                    fix = f"《{seg.text}｜{wanted}》, not {seg.reading}"
                    out.append(Problem(LANG, msgid, "reading", fix))
            number = _NUMBER_BEFORE.search(before)
            if number and seg.text in DATE_READINGS:
                irregular = IRREGULAR.get((number[1], seg.text))
                if irregular:
                    fix = f"《{number[1]}{seg.text}｜{irregular}》"
                    out.append(Problem(LANG, msgid, "reading", f"write {fix}"))
                elif seg.reading != DATE_READINGS[seg.text]:
                    wanted = DATE_READINGS[seg.text]
                    out.append(
                        Problem(LANG, msgid, "reading", f"{seg.text} after a number is {wanted}")
                    )
        before = seg.text if seg.reading is None else ""
    label = DATE_LABELS.get(msgid)
    first = segments[0] if segments else None
    if label and first and first.text == label and first.reading != DATE_READINGS[label]:
        wanted = DATE_READINGS[label]
        out.append(Problem(LANG, msgid, "reading", f"the date part {label} reads {wanted}"))
    return out


def sentences(text: str) -> list[str]:
    """The sentences of a catalog string as shown (plain text, no ruby)."""
    shown = "".join(seg.text for seg in parse(text))
    return [s.strip() for s in _SENTENCE_END.split(shown) if s.strip()]


def check_sentences(msgid: str, text: str) -> list[Problem]:
    """Short sentences, written with 分かち書き."""
    out = []
    for sentence in sentences(text):
        if len(sentence) > MAX_SENTENCE:
            detail = f"{len(sentence)} > {MAX_SENTENCE}: {sentence}"
            out.append(Problem(LANG, msgid, "long sentence", detail))
        if len(sentence) >= SPACED_FROM and " " not in sentence:
            out.append(Problem(LANG, msgid, "分かち書き", f"no space in: {sentence}"))
        for match in re.finditer(r"を(?=[^\s。、」）？！])", sentence):
            out.append(Problem(LANG, msgid, "分かち書き", f"space after を at {match.start()}"))
    return out


def check_easy_japanese(texts: dict[str, str]) -> list[Problem]:
    """All やさしい日本語 checks over msgid → text (ruby notation)."""
    out: list[Problem] = []
    for msgid, text in texts.items():
        out += check_pin_word(msgid, text)
        out += check_readings(msgid, text)
        out += check_sentences(msgid, text)
    return out
