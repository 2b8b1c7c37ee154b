"""The municipality's word for itself (区 / 市 / 町 / 村) in the catalogs and on printed labels.

Catalog strings say ``{ward}`` ("this ward" → "this city" …) and ``{ward_office}`` (区役所 →
市役所 / 町役場 …); the catalog layer fills them in when it loads a catalog, so the screens never
see the placeholders. The renderings per language live in ``glossary.toml`` (``[ward.<kind>]``).

The word comes from the kiosk settings (``ward = "市"`` in the ``[kiosk]`` table of kiosk.toml, or
``KIOSK_UI_WARD``), read the first time a catalog is loaded; 区 when unset. The app calls
:func:`use_ward` with its own config instead (catalogs only: it renders no paper itself).

Printed labels: each ``kiosk/forms/data/labels_<tag>.json`` keeps its labels rendered for 区 and,
under ``"ward_templates"``, the same labels with the placeholders; :func:`install_labels` registers
the tables filled for the configured word with ``kiosk.forms.render.labels``.
"""

from __future__ import annotations

import json
import logging

from kiosk.config import WARD_WORDS, KioskConfigError, load_config

log = logging.getLogger(__name__)

DEFAULT_WARD = "区"
PLACEHOLDERS = ("ward", "ward_office")
#: label tables (BCP 47 tag) → the glossary column that renders their ward word
LABEL_TAGS = {
    "en": "en", "zh-hans": "zh", "ko": "ko", "vi": "vi", "ne": "ne", "fil": "fil",
    "ja-x-easy": "ja_easy_kana",
}  # fmt: skip
LABEL_FILE = "labels_{tag}.json"
TEMPLATES_KEY = "ward_templates"

_state: dict[str, str] = {}


class UnknownWardError(KioskConfigError):
    """A ward word the catalogs cannot render (not one of 区, 市, 町, 村)."""

    code = "unknown_ward"

    def __init__(self, word: str) -> None:
        super().__init__("ward", f"{word!r} is not one of " + ", ".join(WARD_WORDS))
        self.word = word


def words(ward: str, lang: str) -> dict[str, str]:
    """``{"ward": …, "ward_office": …}`` in one language (Japanese where a language lacks it)."""
    # imported when a catalog is compiled, not at start-up (compiled catalogs are cached)
    from kiosk.i18n.glossary import glossary

    table = glossary().wards.get(ward)
    if table is None:
        raise UnknownWardError(ward)
    return {name: table[name].get(lang) or table[name]["ja"] for name in PLACEHOLDERS}


def fill(text: str, ward: str, lang: str) -> str:
    """``text`` with ``{ward}`` / ``{ward_office}`` replaced; other placeholders stay for the
    screens' own ``str.format``."""
    if "{ward" not in text:
        return text
    for name, value in words(ward, lang).items():
        text = text.replace("{" + name + "}", value)
    return text


def _configured() -> str:
    try:
        return load_config().ward
    except KioskConfigError as err:  # a bad kiosk.toml must not blank the screens
        log.warning("ward setting unreadable (%s); using %s", err.problem, DEFAULT_WARD)
        return DEFAULT_WARD


def current_ward() -> str:
    """The ward word in use: :func:`set_ward`'s, else the kiosk settings' (read once)."""
    ward = _state.get("ward")
    if ward is None:
        ward = _configured()
        set_ward(ward)
    return ward


def set_ward(ward: str) -> None:
    """Use ``ward`` (区/市/町/村) for the catalogs from now on and for the printed labels."""
    use_ward(ward)
    install_labels(ward)


def use_ward(ward: str) -> None:
    """Use ``ward`` for the catalogs only: the app's process, which renders no paper (the render
    child calls :func:`set_ward` itself), so the label tables stay off its start-up path."""
    if ward not in WARD_WORDS:
        raise UnknownWardError(ward)
    _state["ward"] = ward


def label_templates(tag: str) -> tuple[dict[str, str], dict[str, str]]:
    """(labels as shipped, ward templates) of one printed label table."""
    from importlib import resources

    path = resources.files("kiosk.forms.data").joinpath(LABEL_FILE.format(tag=tag))
    if not path.is_file():
        return {}, {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    labels = {str(k): str(v) for k, v in raw.get("labels", {}).items()}
    return labels, {str(k): str(v) for k, v in raw.get(TEMPLATES_KEY, {}).items()}


def label_table(tag: str, ward: str) -> dict[str, str]:
    """The ward-dependent labels of one table, filled for ``ward``."""
    _labels, templates = label_templates(tag)
    return {key: fill(text, ward, LABEL_TAGS[tag]) for key, text in templates.items()}


def install_labels(ward: str) -> None:
    """Register the label tables filled for ``ward`` with the form renderer."""
    from kiosk.forms.render import labels as form_labels

    for tag in LABEL_TAGS:
        filled = label_table(tag, ward)
        if not filled:
            continue
        base = form_labels.EN if tag == "en" else label_templates(tag)[0]
        form_labels.register_language(tag, {**base, **filled})
