"""Who "он" / "она" is: the nearest person before, in nominative, of the pronoun's gender, in the same article."""

from __future__ import annotations

from embeddings.annotate.phrases import phrases
from embeddings.annotate.reference import References, referents, unwritten
from embeddings.annotate.spans import Kind, Span
from embeddings.ingest.chunking import Sentence


def _sentences(article: str, *texts: str) -> list[Sentence]:
    at, found = 0, []
    for text in texts:
        found.append(Sentence(article, at, at + len(text), text))
        at += len(text) + 1
    return found


def _person(text: str, name: str) -> tuple[Span, ...]:
    at = text.index(name)
    return (Span(Kind.PER, at, at + len(name), name),)


def test_a_pronoun_stands_for_the_last_subject_of_its_gender() -> None:
    texts = (
        "Губернатор Сергей Тихонов открыл мост.",
        "Ему помогала мэр Анна Лебедева.",
        "Фото Ивана Петрова",
        "В пятницу он осмотрел набережную.",
        "Она поблагодарила строителей.",
    )
    sentences = _sentences("a", *texts)
    annotations = [
        _person(texts[0], "Сергей Тихонов"),
        _person(texts[1], "Анна Лебедева"),
        _person(texts[2], "Ивана Петрова"),  # no subject: a photo credit
        (),
        (),
    ]
    references = References(sentences, annotations)
    assert references.referent(3) == "Сергей Тихонов"  # "он": not the woman, not the photographer
    assert references.referent(4) == "Анна Лебедева"
    assert references.referent(0) == ""  # no pronoun


def test_a_name_the_tagger_missed_in_one_sentence_is_known_from_another() -> None:
    texts = ("Председатель Олег Марков посетил завод.", "Там он встретился с рабочими.", "Олег Марков уехал.")
    sentences = _sentences("a", *texts)
    references = References(sentences, [(), (), _person(texts[2], "Олег Марков")])
    assert references.referent(1) == "Олег Марков"


def test_a_pronoun_does_not_reach_into_another_article() -> None:
    sentences = [*_sentences("a", "Сергей Тихонов открыл мост."), *_sentences("b", "Он выступил.")]
    references = References(sentences, [_person("Сергей Тихонов открыл мост.", "Сергей Тихонов"), ()])
    assert references.referent(1) == ""


def test_a_pronoun_not_in_nominative_is_left_alone() -> None:
    texts = ("Министр Иван Петров приехал на завод.", "Его построили в 1990 году.")
    sentences = _sentences("a", *texts)
    references = References(sentences, [_person(texts[0], "Иван Петров"), ()])
    assert references.referent(1) == ""  # "его" is the plant here, as often as a person


def test_every_sentence_gets_the_name_its_pronoun_means() -> None:
    texts = (
        "Губернатор Сергей Тихонов открыл мост.",
        "В пятницу он осмотрел набережную.",
        "Набережную открыли весной.",
    )
    annotations = [_person(texts[0], "Сергей Тихонов"), (), ()]
    assert referents(_sentences("a", *texts), annotations) == ["", "Сергей Тихонов", ""]


def test_a_sentence_means_its_pronouns_name_and_the_noun_its_number_writes_as_a_symbol() -> None:
    texts = ("Губернатор Сергей Тихонов открыл мост.", "Он сказал, что движение выросло на 18%.")
    annotations = [_person(texts[0], "Сергей Тихонов"), tuple(phrases(texts[1]))]
    assert unwritten(_sentences("a", *texts), annotations) == ["", "Сергей Тихонов процент"]
