from __future__ import annotations

from embeddings.lexical import BM25, tokenize


def test_russian_and_english_words_are_stemmed_and_stopwords_dropped() -> None:
    assert tokenize("Какие заводы? Заводом, заводов!") == ["завод", "завод", "завод"]
    assert tokenize("The factories and a factory") == ["factori", "factori"]
    assert tokenize("Ёлка и елка") == ["елк", "елк"]


def test_bm25_ranks_by_rare_shared_terms() -> None:
    bm25 = BM25(["торговля выросла вдвое", "фестиваль музыки в столице", "торговля и музыка"])
    ranked = [doc for doc, _ in bm25.top("музыкальный фестиваль", 3)]
    assert ranked[0] == 1
    assert bm25.top("совсем другое", 3) == []
    assert bm25.idf("фестивал") > bm25.idf("торговл") > 0
    assert bm25.idf("несуществ") == 0.0


def test_bm25_of_an_empty_corpus_scores_nothing() -> None:
    assert BM25([]).top("что-нибудь", 5) == []
