"""The shipped catalogs: every UI string translated in every language, fonts cover them."""

from __future__ import annotations

import gettext
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from kiosk.app import DEVANAGARI_FILES
from kiosk.forms.fonts import FontRole, font_path
from kiosk.i18n.catalog import po_path, translations
from kiosk.i18n.extract import msgids, problems
from kiosk.i18n.languages import LANGUAGES, SOURCE_LANGUAGE, Script
from kiosk.i18n.po import compile_mo, parse_po, read_po
from kiosk.i18n.ruby import has_notation, has_ruby, parse, plain_text
from kiosk.screens.markup import widget_text

TRANSLATED = [lang for lang in LANGUAGES if lang.code != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"\{\w+\}")
#: a ruby reading: hiragana or katakana (with the prolonged sound mark), nothing else
READING = re.compile(r"[\u3041-\u3096\u30a1-\u30fa\u30fc]+")
RUBY_LANGUAGES = [lang for lang in TRANSLATED if lang.ruby]
#: filled by the catalog layer (kiosk.i18n.ward), never by the screens
CATALOG_PLACEHOLDERS = {"{ward}", "{ward_office}"}


def _cmap(path: Path, index: int = 0) -> set[int]:
    font = TTCollection(str(path)).fonts[index] if path.suffix == ".ttc" else TTFont(str(path))
    return set(font.getBestCmap())


def test_sources_have_msgids() -> None:
    ids = msgids()
    assert len(ids) > 100
    assert "Place your My Number card on the reader" in ids  # from a kv file
    assert "wife" in ids  # from an N_() constant


@pytest.mark.parametrize("lang", TRANSLATED, ids=lambda lang: lang.code)
def test_catalog_has_no_untranslated_string(lang) -> None:  # type: ignore[no-untyped-def]
    assert problems(lang.code, msgids()) == []


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_translations_keep_placeholders(lang) -> None:  # type: ignore[no-untyped-def]
    """The screens' placeholders survive; {ward}/{ward_office} are the catalog layer's own."""
    for entry in read_po(po_path(lang.code)):
        if entry.msgid:
            assert (
                set(PLACEHOLDER.findall(entry.msgid))
                == set(PLACEHOLDER.findall(entry.msgstr)) - CATALOG_PLACEHOLDERS
            ), entry.msgid


@pytest.mark.parametrize("lang", LANGUAGES, ids=lambda lang: lang.code)
def test_catalog_layer_fills_the_ward_word(lang) -> None:  # type: ignore[no-untyped-def]
    catalog = translations(lang.code)
    for msgid in msgids():
        shown = catalog.gettext(msgid)
        assert not CATALOG_PLACEHOLDERS & set(PLACEHOLDER.findall(shown)), (lang.code, msgid)


def test_english_corrections_only_name_real_msgids() -> None:
    wanted = set(msgids())
    written = read_po(po_path(SOURCE_LANGUAGE))
    stale = [e.msgid for e in written if e.msgid and e.msgid not in wanted]
    assert stale == []


@pytest.mark.parametrize("lang", TRANSLATED, ids=lambda lang: lang.code)
def test_ui_font_covers_every_translation(lang) -> None:  # type: ignore[no-untyped-def]
    path, index = font_path(FontRole.TEXT)
    cjk = _cmap(Path(path), index)
    deva = _cmap(Path(DEVANAGARI_FILES[0]))
    missing = set()
    for entry in read_po(po_path(lang.code)):
        if lang.script is Script.DEVANAGARI:
            # what the Devanagari font lacks is wrapped in the CJK font (kiosk.screens.markup)
            marked = widget_text(entry.msgstr, devanagari=True, other_font="CJK")
            for run in re.split(r"\[font=CJK\](.*?)\[/font\]", marked)[0::2]:
                missing |= {ch for ch in run if not ch.isspace() and ord(ch) not in deva}
            for run in re.findall(r"\[font=CJK\](.*?)\[/font\]", marked):
                missing |= {ch for ch in run if ord(ch) not in cjk}
        else:
            missing |= {ch for ch in entry.msgstr if not ch.isspace() and ord(ch) not in cjk}
    assert missing == set(), "".join(sorted(missing))


def test_mo_compiler_round_trips_through_gettext() -> None:
    entries = parse_po(
        'msgid "a"\nmsgstr "あ"\n\n#, fuzzy\nmsgid "b"\nmsgstr "び"\n\nmsgid "c"\nmsgstr ""\n'
    )
    catalog = gettext.GNUTranslations(io.BytesIO(compile_mo(entries)))
    assert catalog.gettext("a") == "あ"
    assert catalog.gettext("b") == "b"  # fuzzy entries are not used
    assert catalog.gettext("c") == "c"


def test_runtime_translation_uses_the_po_sources() -> None:
    assert translations("ja").gettext("Stop") == "やめる"
    assert translations("ne").gettext("Stop") == "रोक्नुहोस्"
    assert translations("en").gettext("Stop") == "Stop"


@pytest.mark.parametrize("lang", TRANSLATED, ids=lambda lang: lang.code)
def test_every_finding_message_is_translated(lang) -> None:  # type: ignore[no-untyped-def]
    from kiosk.forms.messages import MESSAGES, msgid

    catalog = translations(lang.code)
    untranslated = [code for code in MESSAGES if catalog.gettext(msgid(code)) == msgid(code)]
    assert untranslated == []


def test_finding_shown_in_the_residents_language_with_its_values() -> None:
    from kiosk.forms.messages import message
    from kiosk.forms.validation import Finding, Severity

    finding = Finding("moved_on", "moved_on.late", Severity.WARNING, {"days": 20, "limit": 14})

    def in_language(code: str) -> Callable[[str, str], str | None]:
        return lambda msgid, _lang: translations(code).gettext(msgid)

    shown = {code: message(finding, translate=in_language(code)) for code in ("zh", "ne", "vi")}
    assert shown["zh"] == "搬家后已过20天（期限为14天）。窗口会询问原因。"
    assert "20" in shown["ne"] and "14" in shown["ne"] and "{" not in shown["ne"]
    assert shown["vi"].startswith("Đã 20 ngày")


def test_only_easy_japanese_writes_ruby() -> None:
    assert [lang.code for lang in RUBY_LANGUAGES] == ["ja_easy"]
    for lang in TRANSLATED:
        if not lang.ruby:
            notation = [e.msgid for e in read_po(po_path(lang.code)) if has_notation(e.msgstr)]
            assert notation == [], lang.code


@pytest.mark.parametrize("lang", RUBY_LANGUAGES, ids=lambda lang: lang.code)
def test_ruby_groups_are_well_formed_with_kana_readings(lang) -> None:  # type: ignore[no-untyped-def]
    groups = 0
    for entry in read_po(po_path(lang.code)):
        if not entry.msgid:
            continue
        for seg in parse(entry.msgstr):  # raises on unbalanced brackets or empty parts
            if seg.reading is not None:
                groups += 1
                assert READING.fullmatch(seg.reading), (entry.msgid, seg.reading)
                assert not PLACEHOLDER.search(seg.text), entry.msgid
                assert any("\u4e00" <= ch <= "\u9fff" for ch in seg.text), (entry.msgid, seg)
    assert groups > 200  # the key words are written in kanji with furigana


def test_easy_japanese_key_words_carry_furigana_at_runtime() -> None:
    catalog = translations("ja_easy")
    for msgid, base in [
        ("Choose your address", "住所"),
        ("Moving in from another city (転入)", "転入"),
        ("Head of household", "世帯主"),
        ("Print the form", "印刷"),
    ]:
        shown = catalog.gettext(msgid)
        assert has_ruby(shown) and base in plain_text(shown), msgid
    # the screens format the translation afterwards: placeholders still work
    shown = catalog.gettext("Please go to counter {counter}.").format(counter=3)
    assert plain_text(shown).startswith("3番")
