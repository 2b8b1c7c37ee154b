"""UI languages and gettext catalogs (``.po`` sources compiled in memory at load time)."""

from pathlib import Path

#: the glossary of fixed terms (``kiosk.i18n.glossary`` reads it; a compiled catalog depends on it)
GLOSSARY_PATH = Path(__file__).resolve().parent / "glossary.toml"
