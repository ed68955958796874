"""E-mail texts in the reader's language from the pages' own catalogs (the sender runs without Flask)."""

from __future__ import annotations

from functools import cache

from babel.support import NullTranslations, Translations


@cache
def catalog(directory: str, lang: str) -> NullTranslations:
    """The compiled catalog of `lang` (English is the msgid itself)."""
    if lang not in ("kk", "ru"):
        return NullTranslations()
    return Translations.load(directory, [lang])
