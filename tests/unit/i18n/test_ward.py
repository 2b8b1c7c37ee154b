"""The ward's word for itself: a setting, filled in by the catalog layer and on printed labels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.config import KioskConfigError, load_config
from kiosk.forms.model import FilingKind
from kiosk.forms.render.labels import Labels
from kiosk.i18n import ward as ward_module
from kiosk.i18n.catalog import translations
from kiosk.i18n.ruby import plain_text
from kiosk.i18n.ward import LABEL_TAGS, UnknownWardError, fill, label_templates, set_ward

MOVE_WITHIN = "Moving within this city (転居)"


@pytest.fixture
def restore_ward() -> Iterator[None]:
    yield
    set_ward("区")


def test_the_setting_defaults_to_ku_and_reads_toml_and_env(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml", environ={}).ward == "区"
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[kiosk]\nward = "市"\n', encoding="utf-8")
    assert load_config(toml, environ={}).ward == "市"
    assert load_config(toml, environ={"KIOSK_UI_WARD": "町"}).ward == "町"


def test_an_unknown_ward_word_is_a_clear_config_error(tmp_path: Path) -> None:
    with pytest.raises(KioskConfigError) as err:
        load_config(tmp_path / "none.toml", environ={"KIOSK_UI_WARD": "city"})
    assert err.value.key == "ward"
    with pytest.raises(UnknownWardError):
        set_ward("県")


def test_fill_keeps_the_screens_placeholders() -> None:
    assert fill("{ward}内 {counter}番 {ward_office}", "町", "ja") == "町内 {counter}番 町役場"
    assert fill("this {ward}", "村", "en") == "this village"


@pytest.mark.usefixtures("restore_ward")
def test_catalogs_follow_the_ward_setting() -> None:
    shown = {code: plain_text(translations(code).gettext(MOVE_WITHIN)) for code in ("en", "ja")}
    assert shown == {"en": "Moving within this ward (転居)", "ja": "区内で引っ越した（転居）"}
    set_ward("市")
    assert translations("en").gettext(MOVE_WITHIN) == "Moving within this city (転居)"
    assert translations("vi").gettext(MOVE_WITHIN) == "Chuyển nhà trong thành phố này (転居)"
    assert plain_text(translations("ja_easy").gettext("Central link")) == "市役所との 接続"
    # the ruby of the ward word itself is drawn like any other group
    assert "\ufff9市\ufffaし\ufffb" in translations("ja_easy").gettext(MOVE_WITHIN)


def test_the_ward_word_is_read_from_the_settings_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, restore_ward: None
) -> None:
    toml = tmp_path / "kiosk.toml"
    toml.write_text('[kiosk]\nward = "村"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(toml))
    monkeypatch.setattr(ward_module, "_state", {})
    assert translations("fil").gettext(MOVE_WITHIN) == "Lumipat sa loob ng nayon na ito (転居)"


@pytest.mark.usefixtures("restore_ward")
def test_printed_labels_follow_the_ward_setting() -> None:
    set_ward("区")
    assert Labels("en").other(FilingKind.MOVE_WITHIN) == "Moving within the ward"
    assert Labels("ne").other(FilingKind.MOVE_WITHIN) == "वडा (区) भित्र सराइ"
    set_ward("町")
    assert Labels("vi").other(FilingKind.MOVE_WITHIN) == "Chuyển chỗ ở trong thị trấn"
    assert (
        Labels("ja-x-easy").other(FilingKind.MOVE_WITHIN) == "おなじ 町（まち）の なかで ひっこした"
    )


@pytest.mark.parametrize("tag", sorted(LABEL_TAGS))
def test_shipped_labels_are_their_templates_filled_for_ku(tag: str) -> None:
    labels, templates = label_templates(tag)
    assert templates, tag
    for key, template in templates.items():
        assert labels[key] == fill(template, "区", LABEL_TAGS[tag]), (tag, key)
    assert not any("{" in text for text in labels.values()), tag
    assert not any("まち" in text or "しやくしょ" in text for text in labels.values()), tag
