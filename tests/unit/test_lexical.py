from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from embeddings.index.bm25 import BM25, Documents
from embeddings.text import tokenize

WORDS = ["торговля", "торговли", "музыка", "фестиваль", "Минск", "Астана", "trade", "trades", "и", "в", "2026"]


def test_russian_and_english_words_are_stemmed_and_stopwords_dropped() -> None:
    assert tokenize("Какие заводы? Заводом, заводов!") == ["завод", "завод", "завод"]
    assert tokenize("The factories and a factory") == ["factori", "factori"]
    assert tokenize("Ёлка и елка") == ["елк", "елк"]


def test_bm25_ranks_by_rare_shared_terms() -> None:
    bm25 = BM25.build(["торговля выросла вдвое", "фестиваль музыки в столице", "торговля и музыка"])
    ranked = [doc for doc, _ in bm25.top("музыкальный фестиваль", 3)]
    assert ranked[0] == 1
    assert bm25.top("совсем другое", 3) == []
    assert bm25.idf("фестивал") > bm25.idf("торговл") > 0
    assert bm25.idf("несуществ") == 0.0


def test_bm25_of_an_empty_corpus_scores_nothing() -> None:
    assert BM25.build([]).top("что-нибудь", 5) == []


def naive_bm25(documents: list[str], query: str, k1: float = 1.2, b: float = 0.75) -> list[float]:
    """Okapi BM25 computed term by term, document by document: the reference."""
    tokenized = [tokenize(d) for d in documents]
    average = sum(map(len, tokenized)) / len(tokenized) or 1.0
    scores = []
    for tokens in tokenized:
        score = 0.0
        for term in set(tokenize(query)):
            df = sum(term in t for t in tokenized)
            tf = tokens.count(term)
            if df and tf:
                idf = math.log(1 + (len(tokenized) - df + 0.5) / (df + 0.5))
                score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(tokens) / average))
        scores.append(score)
    return scores


@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join), min_size=1, max_size=12),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
)
def test_bm25_scores_equal_the_textbook_formula(documents: list[str], query: str) -> None:
    expected = naive_bm25(documents, query)
    assert BM25.build(documents).scores(query).tolist() == pytest.approx(expected, rel=1e-5, abs=1e-6)


def test_bm25_accepts_a_stream_of_documents() -> None:
    bm25 = BM25.build(doc for doc in ["торговля выросла", "музыка"])
    assert bm25.size == 2
    assert bm25.postings == 3


def test_a_document_is_found_by_the_words_it_means_without_writing_them() -> None:
    documents = Documents(None)
    documents.add("В пятницу он осмотрел набережную.", "Сергей Тихонов")  # "он" is Tikhonov
    documents.add("Губернатор Сергей Тихонов открыл мост.", "Сергей Тихонов")
    documents.add("Губернатор Сергей Тихонов открыл мост.")
    documents.add("Мэр открыла сквер.")
    bm25 = documents.finish()
    assert {doc for doc, _ in bm25.top("Тихонов", 4)} == {0, 1, 2}
    scores = bm25.scores(["тихон"]).tolist()
    assert scores[1] == pytest.approx(scores[2])  # a name the text writes gains no weight from being meant too
    assert dict(bm25.words.items())["тихонов"] == 2  # the words as written: the meant name is not counted
