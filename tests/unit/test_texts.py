"""Every language has every string, with the same fields; Kazakh readers read Kazakh."""

from __future__ import annotations

import string

import pytest

from bot.render import human_date
from bot.texts import LANGS, TEXTS, lang_of_text, lang_of_user, text

# Strings that are the same words in Kazakh as in Russian.
SAME_IN_KAZAKH = frozenset({"context_button"})


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_key() -> None:
    keys = {lang: set(TEXTS[lang]) for lang in LANGS}
    for lang in LANGS:
        assert keys[lang] == keys["ru"], f"{lang}: missing {keys['ru'] - keys[lang]}, extra {keys[lang] - keys['ru']}"


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_fills_the_same_fields(lang: str) -> None:
    for key, template in TEXTS["ru"].items():
        assert fields(TEXTS[lang][key]) == fields(template), key


def test_no_kazakh_string_is_left_in_russian() -> None:
    untranslated = {k for k, v in TEXTS["kk"].items() if v == TEXTS["ru"][k] and k not in SAME_IN_KAZAKH}
    assert untranslated == set()
    kazakh_letters = set("әғқңөұүһі")
    prose = [k for k, v in TEXTS["kk"].items() if len(v) > 30]
    assert all(kazakh_letters & set(TEXTS["kk"][k].lower()) for k in prose)


def test_kazakh_readers_get_kazakh() -> None:
    assert lang_of_user("kk") == "kk"
    assert lang_of_user("kk-KZ") == "kk"
    assert lang_of_user("ru") == "ru"
    assert lang_of_user("uz") == "ru"
    assert lang_of_user("de") == "en"
    assert lang_of_user(None) == "ru"
    assert lang_of_text("Қошанов Минскіде кіммен кездесті?") == "kk"
    assert lang_of_text("С кем встречался Кошанов?") == "ru"
    assert lang_of_text("Whom did Koshanov meet?") == "en"
    assert text("page_of", "kk", page=2, pages=5) == "5 беттің 2-беті"


def test_dates_read_naturally_in_each_language() -> None:
    assert human_date("2026-02-05", "ru") == "5 февраля 2026"
    assert human_date("2026-02-05", "en") == "5 February 2026"
    assert human_date("2026-02-05", "kk") == "2026 жылғы 5 ақпан"
