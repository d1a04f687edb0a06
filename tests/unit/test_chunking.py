from __future__ import annotations

from pathlib import Path

from embeddings.ingest.chunking import ChunkingParams, chunk_article, chunk_corpus, split_sentences
from embeddings.ingest.corpus import Span, load_corpus
from tests.conftest import SEEDS


def test_chunks_and_sentences_point_exactly_into_the_article() -> None:
    corpus = load_corpus(SEEDS)
    articles = corpus.by_id()
    chunks = chunk_corpus(corpus.articles, ChunkingParams())
    assert chunks
    for chunk in chunks:
        text = articles[chunk.article_id].text
        assert text[chunk.start : chunk.end] == chunk.text
        for sentence in chunk.sentences:
            assert text[sentence.start : sentence.end] == sentence.text
            assert sentence.text.strip() == sentence.text


def test_every_sentence_lands_in_exactly_one_chunk() -> None:
    corpus = load_corpus(SEEDS)
    for article in corpus.articles:
        chunks = chunk_article(article, ChunkingParams())
        covered = [(s.start, s.end) for c in chunks for s in c.sentences]
        assert covered == sorted(set(covered))
        expected = [(s.start, s.end) for p in article.paragraphs for s in split_sentences(article.text, p)]
        assert covered == expected


def test_chunks_respect_the_size_limit_unless_one_sentence_is_longer() -> None:
    params = ChunkingParams(max_chars=300, min_chars=50)
    for chunk in chunk_corpus(load_corpus(SEEDS).articles, params):
        assert len(chunk.text) <= params.max_chars or len(chunk.sentences) == 1


def test_abbreviations_initials_and_parentheses_do_not_end_sentences() -> None:
    text = (
        "После распада Союза (Советского Союза. - Прим. ред.) всё изменилось. "
        "Касым-Жомарт К. Токаев приехал в 2026 г. в Минск! Потом он уехал."
    )
    sentences = [text[s.start : s.end] for s in split_sentences(text, Span(0, len(text)))]
    assert sentences == [
        "После распада Союза (Советского Союза. - Прим. ред.) всё изменилось.",
        "Касым-Жомарт К. Токаев приехал в 2026 г. в Минск!",
        "Потом он уехал.",
    ]


def test_short_paragraphs_merge_with_the_next(tiny_seeds: Path) -> None:
    article = load_corpus(tiny_seeds).by_id()["002_culture"]
    chunks = chunk_article(article, ChunkingParams(max_chars=600, min_chars=160))
    assert len(chunks) == 1
    assert "Гродно" in chunks[0].text
