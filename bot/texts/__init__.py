"""Everything a user reads, in Russian (the default), English and Kazakh: one module per language.

Each language module holds a `TEXTS` dict with the same keys (a test checks
that none is missing); quotes from the articles are never translated.
"""

from __future__ import annotations

from typing import Literal

from bot.texts import en, kk, ru
from embeddings.text import language_of

Lang = Literal["ru", "en", "kk"]
LANGS: tuple[Lang, ...] = ("ru", "en", "kk")

# Users whose Telegram is set to one of these read Russian; Kazakh readers read Kazakh; everyone else English.
_RUSSIAN_READERS = frozenset({"ru", "be", "uk", "ky", "uz", "tg", "hy", "az"})

TEXTS: dict[Lang, dict[str, str]] = {"ru": ru.TEXTS, "en": en.TEXTS, "kk": kk.TEXTS}


def text(key: str, lang: Lang, **values: object) -> str:
    """The user-facing string `key` in `lang`, with `values` filled in."""
    template = TEXTS[lang][key]
    return template.format(**values) if values else template


def in_every_language(key: str) -> frozenset[str]:
    """The string `key` as every language has it (to recognise a button's text whatever the reader's language)."""
    return frozenset(TEXTS[lang][key] for lang in LANGS)


def lang_of_user(language_code: str | None) -> Lang:
    """The UI language for a Telegram `language_code` (Russian by default)."""
    if not language_code:
        return "ru"
    code = language_code.split("-")[0].lower()
    if code == "kk":
        return "kk"
    return "ru" if code in _RUSSIAN_READERS else "en"


def lang_of_text(question: str) -> Lang:
    """The UI language for a question with no user settings: Kazakh by its words, English for Latin script."""
    return language_of(question)
