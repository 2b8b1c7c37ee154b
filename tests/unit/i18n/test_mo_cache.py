"""Compiled catalogs cached on disk: the same texts, never a stale one, never required.

The app compiles the language it shows at start from the ``.po`` (parse, ward word, ruby); the
cache (``kiosk.i18n.mo_cache``) keeps the result for the next start under a key made of every
input. These tests use real catalogs and a real cache folder.
"""

from __future__ import annotations

import gettext
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.i18n import catalog, mo_cache
from kiosk.i18n.glossary import GLOSSARY_PATH
from kiosk.i18n.languages import LANGUAGES
from kiosk.i18n.ward import current_ward, use_ward


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "catalogs"
    monkeypatch.setenv(mo_cache.CACHE_ENV, str(folder))
    ward = current_ward()
    catalog._compiled.cache_clear()
    yield folder
    catalog._compiled.cache_clear()
    use_ward(ward)


def _texts(code: str) -> dict[str, str]:
    """Every msgid of a language's catalog with its translation, compiled without any cache."""
    compiled = catalog._compile(catalog.po_path(code), code, current_ward())
    table = gettext.GNUTranslations(io.BytesIO(compiled))
    return dict(table._catalog)  # type: ignore[attr-defined]


@pytest.mark.parametrize("code", [lang.code for lang in LANGUAGES])
def test_a_cached_catalog_translates_exactly_as_a_fresh_compile(cache: Path, code: str) -> None:
    expected = _texts(code)
    first = catalog.translations(code)  # compiled, then stored
    assert len(list(cache.glob(f"{code}-*.mo"))) == (1 if catalog.po_path(code).exists() else 0)
    catalog._compiled.cache_clear()
    second = catalog.translations(code)  # read back from the file
    for msgid, text in expected.items():
        if isinstance(msgid, str) and msgid:
            assert first.gettext(msgid) == text
            assert second.gettext(msgid) == text


def test_an_edited_catalog_or_glossary_or_ward_is_compiled_again(
    cache: Path, tmp_path: Path
) -> None:
    po = tmp_path / "kiosk.po"
    shutil.copy(catalog.po_path("ja"), po)
    glossary = tmp_path / "glossary.toml"
    shutil.copy(GLOSSARY_PATH, glossary)
    calls: list[bytes] = []

    def compile_(data: bytes) -> bytes:
        calls.append(data)
        return data

    def load(ward: str, data: bytes) -> bytes:
        return mo_cache.cached_mo("ja", ward, (po, glossary), lambda: compile_(data))

    assert load("区", b"one") == b"one"
    assert load("区", b"two") == b"one"  # cached: not compiled again
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load("区", b"three") == b"three"  # the catalog changed
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert load("区", b"four") == b"four"  # the glossary changed
    assert load("市", b"five") == b"five"  # another ward word
    assert calls == [b"one", b"three", b"four", b"five"]
    # one file per language: older compilations of it are removed
    assert len(list(cache.glob("ja-*.mo"))) == 1


def test_ward_word_in_a_cached_catalog_follows_the_setting(cache: Path) -> None:
    use_ward("区")
    ward_text = catalog.translations("ja").gettext("Welcome")
    use_ward("市")
    assert catalog.translations("ja").gettext("Welcome") == ward_text  # no ward word in it
    texts = _texts("ja")
    assert any("市" in str(t) for t in texts.values())
    for msgid, text in texts.items():
        if isinstance(msgid, str) and msgid:
            assert catalog.translations("ja").gettext(msgid) == text


def test_an_unwritable_cache_folder_still_gives_the_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(mo_cache.CACHE_ENV, str(blocker / "catalogs"))
    compiled = mo_cache.cached_mo("ja", "区", (catalog.po_path("ja"),), lambda: b"compiled")
    assert compiled == b"compiled"
    assert blocker.read_text(encoding="utf-8").startswith("a file")
