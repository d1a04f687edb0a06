"""What a speaker said: the sentence that holds the asked topic, with the speaker's next sentence when it goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.render import partial_note
from embeddings.pipeline import Pipeline
from embeddings.retrieve.bridge import Bridged
from embeddings.text import stem
from tests.conftest import ANSWER_ALL
from tests.support.stories import one_article_pipeline

RIVER = (
    " date 2026-05-10 В Заречье открыли новый мост\n\n"
    "Главный инженер треста Олег Марков рассказал журналистам о весенних паводках. "
    "Он подчеркнул, что конструкция выдержит любую большую воду. "
    "Погода в день открытия была солнечной и тёплой.\n\n"
    "Олег Марков поблагодарил строителей за быструю работу.\n\n"
    "На открытии был и губернатор области Сергей Тихонов.\n"
)


@pytest.fixture
def river(tmp_path: Path) -> Pipeline:
    return one_article_pipeline(tmp_path, "001_river.txt", RIVER, ANSWER_ALL)


def test_a_speakers_answer_takes_in_the_sentence_in_which_they_go_on(river: Pipeline) -> None:
    answer = river.ask("Что говорил Марков о паводках?")
    assert answer.reason == "speaker"
    assert [e.text for e in answer.evidence] == [
        "Главный инженер треста Олег Марков рассказал журналистам о весенних паводках. "
        "Он подчеркнул, что конструкция выдержит любую большую воду."
    ]
    assert answer.evidence[0].speaker == "Олег Марков"


@pytest.mark.parametrize("question", ["За что Марков поблагодарил строителей?", "За что Марков благодарил строителей?"])
def test_what_someone_thanked_for_is_searched_not_taken_from_their_words(river: Pipeline, question: str) -> None:
    answer = river.ask(question)
    assert answer.reason != "speaker"
    assert "за быструю работу" in answer.evidence[0].text  # "благодарил" is "поблагодарил" without its prefix


def test_a_person_the_articles_never_quote_gets_a_partial_answer_that_names_them(river: Pipeline) -> None:
    answer = river.ask("Что сказал Тихонов на открытии?")
    assert (answer.status.value, answer.reason, answer.missing) == ("partial", "unquoted", "Сергей Тихонов")
    assert [e.text for e in answer.evidence] == ["На открытии был и губернатор области Сергей Тихонов."]
    note = partial_note(answer, "ru")
    assert note.startswith("Сергей Тихонов в статьях не цитируется")


def test_what_a_speaker_said_of_a_topic_must_speak_of_it(river: Pipeline) -> None:
    # "инженер" names him in his own sentence; it is the weather the question asks him about
    answer = river.ask("Что главный инженер Марков сказал о погоде?")
    assert answer.reason != "speaker"  # none of his words: his own sentences are no answer as his words
    assert river.ask("Что главный инженер Марков сказал о паводках?").reason == "speaker"


@pytest.mark.parametrize("question", ["Олег Марков деген кім?", "Кто такой Олег Марков?", "Что за инженер Марков?"])
def test_who_someone_is_is_no_question_of_their_words(river: Pipeline, question: str) -> None:
    # Kazakh "деген" also means "said"; "за" after "что" asks what kind, no stance
    assert river.ask(question).reason not in ("speaker", "speaker_silent")


@pytest.mark.parametrize(
    "question",
    ["Марков көпір туралы не үшін алғыс айтты?", "Марков строителям спасибо за что сказал, за скорость?"],
)
def test_a_word_the_speakers_sentences_cannot_be_chosen_by_leaves_it_to_the_search(
    river: Pipeline, question: str
) -> None:
    reading, _ = river.read(question)
    assert reading is not None
    assert any(not t.found for t in reading.terms)  # "алғыс" (thanks), "скорость": words no article uses
    assert river.ask(question).reason != "speaker"


def test_a_speakers_name_typed_wrong_is_read_as_corrected(river: Pipeline) -> None:
    answer = river.ask("что говорил марклв о паводках")
    assert (answer.reason, answer.evidence[0].speaker) == ("speaker", "Олег Марков")


def test_an_english_topic_is_read_as_the_article_word_it_surely_stands_for(river: Pipeline) -> None:
    reading, _ = river.read("what did Markov say about floods")
    assert reading is not None
    assert river.speech.answer(reading, {}) is None  # "floods": no article word, so no topic to choose by
    sure = river.params.bridge.search
    answer = river.speech.answer(reading, {"floods": Bridged("floods", stem("паводках"), sure, sure)})
    assert answer is not None
    assert answer.reason == "speaker"
    assert "паводках" in answer.evidence[0].text
    unsure = {"floods": Bridged("floods", stem("паводках"), sure, sure / 2)}
    assert river.speech.answer(reading, unsure) is None
