from __future__ import annotations

from embeddings.answer.evidence import _runs
from embeddings.params import Params
from embeddings.pipeline import MAX_QUESTION_CHARS, Pipeline, clean_question
from tests.conftest import ANSWER_ALL, REFUSE_ALL


def with_params(pipeline: Pipeline, params: Params) -> Pipeline:
    """The same index and encoder behind other parameters."""
    return Pipeline(pipeline.index, pipeline.encoder, params=params, top_k=pipeline.top_k)


def test_answer_quotes_article_text_verbatim_with_citations(tiny_pipeline: Pipeline) -> None:
    tiny_pipeline = with_params(tiny_pipeline, ANSWER_ALL)
    answer = tiny_pipeline.ask("Сколько зрителей собрал фестиваль?")
    assert answer.found
    assert 1 <= len(answer.evidence) <= 3
    numbers = {c.number for c in answer.citations}
    for item in answer.evidence:
        article = tiny_pipeline.index.articles[item.article_id]
        assert article.text[item.start : item.end] == item.text
        assert item.citation in numbers
    assert "десять тысяч зрителей" in " ".join(e.text for e in answer.evidence)
    assert answer.citations[0].article.id == "002_culture"


def test_below_the_threshold_the_answer_is_not_found(tiny_pipeline: Pipeline) -> None:
    tiny_pipeline = with_params(tiny_pipeline, REFUSE_ALL)
    answer = tiny_pipeline.ask("Сколько зрителей собрал фестиваль?")
    assert not answer.found
    assert answer.evidence == ()
    assert answer.citations == ()
    assert answer.passages  # the passages are still reported


def test_empty_and_invisible_questions_are_not_searched(tiny_pipeline: Pipeline) -> None:
    for question in ["", "   ", "\u200b\u200d\u202e", "\x00\x01"]:
        answer = tiny_pipeline.ask(question)
        assert not answer.found
        assert answer.passages == ()


def test_clean_question_trims_long_input_at_a_word() -> None:
    cleaned, trimmed = clean_question("слово " * 400)
    assert trimmed
    assert len(cleaned) <= MAX_QUESTION_CHARS
    assert cleaned.endswith("слово")
    assert clean_question("  a\u200bb\tc  ") == ("ab c", False)


def test_a_long_message_is_cut_around_its_question() -> None:
    preamble = "Я живу в Караганде и давно слежу за новостями о наших соседях. " * 30
    cleaned, trimmed = clean_question(preamble + "Где депутаты возложили цветы? Спасибо заранее")
    assert trimmed
    assert len(cleaned) <= MAX_QUESTION_CHARS
    assert cleaned.endswith("Где депутаты возложили цветы?")
    assert cleaned.startswith("Я живу")  # whole sentences only
    cleaned, _ = clean_question("Кто такой Кошанов? " + preamble)  # asked first, then the background
    assert cleaned.startswith("Кто такой Кошанов?")
    cleaned, _ = clean_question(preamble + "Что сказал Токаев? Ссылка: https://example.org/news?id=5")
    assert cleaned.endswith("Что сказал Токаев?")  # a link's "?" asks nothing


def test_long_question_says_it_was_trimmed(tiny_pipeline: Pipeline) -> None:
    answer = tiny_pipeline.ask("фестиваль " * 300)
    assert answer.question_trimmed


def test_sources_count_passages_per_article(tiny_pipeline: Pipeline) -> None:
    sources = tiny_pipeline.sources()
    assert [s.article.id for s in sources] == ["002_culture", "001_trade"]  # newest first
    assert sum(s.passages for s in sources) == len(tiny_pipeline.index.chunks)


def test_passages_are_reranked_by_their_best_evidence(tiny_pipeline: Pipeline) -> None:
    tiny_pipeline.top_k = 2
    tiny_pipeline = with_params(tiny_pipeline, ANSWER_ALL)
    answer = tiny_pipeline.ask("Сколько зрителей собрал фестиваль?")
    assert len(answer.passages) == 2
    scores = [p.score for p in answer.passages]
    assert scores == sorted(scores, reverse=True)
    first = answer.passages[0].chunk
    assert any(first.start <= e.start and e.end <= first.end for e in answer.evidence)


def test_quotes_lead_with_the_best_evidence_and_keep_adjacent_sentences_in_order(tiny_pipeline: Pipeline) -> None:
    sentences = tiny_pipeline.index.sentences
    ids = {a: [i for i, s in enumerate(sentences) if s.article_id == a] for a in ("001_trade", "002_culture")}
    first, second, third = ids["002_culture"][:3]
    index = tiny_pipeline.index

    def order(rank_of: dict[int, int]) -> list[int]:
        return [i for run in _runs(rank_of, index) for i in run]

    # A runner-up from earlier in the article comes after the sentence that answers best...
    assert order({third: 0, first: 1}) == [third, first]
    # ...but sentences next to each other read as the article has them.
    assert order({second: 0, first: 1}) == [first, second]
    assert order({third: 0, first: 1, second: 2}) == [first, second, third]
    # Neighbouring ids in two articles are not one passage.
    last_trade, first_culture = ids["001_trade"][-1], ids["002_culture"][0]
    assert last_trade + 1 == first_culture
    assert order({first_culture: 0, last_trade: 1}) == [first_culture, last_trade]
