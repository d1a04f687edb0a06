"""The form of a question from its words' parts of speech and its language's function words."""

from __future__ import annotations

import pytest

from embeddings.retrieve.analysis import Function, function
from embeddings.retrieve.forms import Form, form_of, topic_words
from embeddings.text import WORD, fold


def _form(question: str, language: str = "ru") -> tuple[Form, str | None]:
    return form_of(WORD.findall(fold(question)), language, asks=question.endswith("?"))


@pytest.mark.parametrize(
    ("question", "language", "form", "subject"),
    [
        ("Кто такой Иван Петров?", "ru", Form.WHO_IS, "иван петров"),
        ("Петров — кто он?", "ru", Form.WHO_IS, "петров"),
        ("Кем является Петрова?", "ru", Form.WHO_IS, "петрова"),
        ("who is Ivan Petrov", "en", Form.WHO_IS, "ivan petrov"),
        ("Петров кім?", "kk", Form.WHO_IS, "петров"),
        ("Что такое фестиваль?", "ru", Form.LOOKUP, "фестиваль"),
        ("что значит пленарное заседание", "ru", Form.LOOKUP, "пленарное заседание"),
        ("Расскажи мне про мост", "ru", Form.LOOKUP, "мост"),
        ("Что пишут о фестивале?", "ru", Form.LOOKUP, "фестивале"),
        ("tell me about the bridge", "en", Form.LOOKUP, "bridge"),
        ("what is the festival", "en", Form.LOOKUP, "festival"),
        ("Фестиваль туралы", "kk", Form.LOOKUP, "фестиваль"),
        ("Гродно", "ru", Form.LOOKUP, "гродно"),
    ],
)
def test_who_is_and_lookups_name_their_subject(question: str, language: str, form: Form, subject: str) -> None:
    assert _form(question, language) == (form, subject)


@pytest.mark.parametrize(
    ("question", "language", "form"),
    [
        ("Кто открыл фестиваль?", "ru", Form.QUESTION),  # a verb: who did something, not who someone is
        ("Что подписали министры?", "ru", Form.QUESTION),
        ("Что было на фестивале?", "ru", Form.QUESTION),  # "было" links no definition
        ("who opened the bridge", "en", Form.QUESTION),
        ("Выступали ли оркестры на фестивале?", "ru", Form.YES_NO),
        ("Разве мост открыли?", "ru", Form.YES_NO),
        ("Did orchestras play at the festival?", "en", Form.YES_NO),
        ("Фестиваль Гроднода өте ме?", "kk", Form.YES_NO),
        ("Мост открыли в срок?", "ru", Form.YES_NO),  # a statement asked
        ("Когда пройдёт фестиваль?", "ru", Form.QUESTION),
    ],
)
def test_other_forms(question: str, language: str, form: Form) -> None:
    assert _form(question, language)[0] is form


def test_the_topic_is_what_follows_about_or_comes_before_turaly() -> None:
    words = WORD.findall(fold("А что говорили о хоккее и футболе?"))
    assert topic_words(words, "ru", 3) == {"хоккее", "футболе"}
    assert topic_words(WORD.findall("о чём договорились"), "ru", 3) == frozenset()  # a question word, no topic
    assert topic_words(WORD.findall(fold("хоккей туралы айтты ма")), "kk", 3) == {"хоккей"}


@pytest.mark.parametrize("word", ["вообще", "короче", "ну", "блин", "кстати"])
def test_a_filler_says_nothing_of_the_content(word: str) -> None:
    assert function(word) is Function.FILLER


@pytest.mark.parametrize("word", ["мост", "встречался", "вчера", "лукашенко"])
def test_content_words_are_no_fillers(word: str) -> None:
    assert function(word) is not Function.FILLER


@pytest.mark.parametrize("word", ["подскажите", "назовите", "скажите"])
def test_a_request_to_the_reader_is_a_function_word(word: str) -> None:
    assert function(word) is Function.TELL  # "подскажите, будут ли рейсы": what is asked follows


def test_a_verb_not_in_the_imperative_is_no_request() -> None:
    assert function("подсказал") is None


@pytest.mark.parametrize("word", ["бидай", "бидайды"])
def test_a_word_the_dictionary_only_guesses_an_imperative_is_no_request(word: str) -> None:
    assert function(word) is None  # Kazakh "wheat": pymorphy guesses an imperative of a verb it lacks
