"""UI languages and gettext catalogs (``.po`` sources compiled in memory at load time)."""
