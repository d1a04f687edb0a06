"""The passage store gives back exactly the chunks, sentences and windows that were written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from embeddings.index.store import PassageStore, StoreWriter, Window
from embeddings.ingest.chunking import Chunk, ChunkingParams, chunk_corpus
from embeddings.ingest.corpus import load_corpus
from tests.conftest import SEEDS


def reference_windows(chunks: list[Chunk]) -> list[Window]:
    """Every sentence, then the pair it starts, chunk by chunk, numbered across the corpus."""
    windows, sentence = [], 0
    for chunk_id, chunk in enumerate(chunks):
        for offset in range(len(chunk.sentences)):
            windows.append(Window(chunk_id, sentence + offset, sentence + offset))
            if offset + 1 < len(chunk.sentences):
                windows.append(Window(chunk_id, sentence + offset, sentence + offset + 1))
        sentence += len(chunk.sentences)
    return windows


def write(folder: Path | None, params: ChunkingParams) -> tuple[PassageStore, list[Chunk]]:
    corpus = load_corpus(SEEDS)
    chunks = chunk_corpus(corpus.articles, params)
    writer = StoreWriter(folder)
    for article in corpus.articles:
        writer.add_article(article)
        for chunk in (c for c in chunks if c.article_id == article.id):
            writer.add_chunk(chunk)
    return writer.close(), chunks


@pytest.mark.parametrize("on_disk", [True, False])
@pytest.mark.parametrize("max_chars", [120, 600])
def test_the_store_gives_back_the_written_chunks_sentences_and_windows(
    tmp_path: Path, on_disk: bool, max_chars: int
) -> None:
    params = ChunkingParams(max_chars=max_chars, min_chars=max_chars // 4)
    written, chunks = write(tmp_path / "passages" if on_disk else None, params)
    store = PassageStore.load(tmp_path / "passages") if on_disk else written
    assert list(store.chunks) == chunks
    assert list(store.sentences) == [s for c in chunks for s in c.sentences]
    windows = reference_windows(chunks)
    assert list(store.windows) == windows
    for chunk_id in range(len(chunks)):
        assert [w.chunk_id for w in (windows[i] for i in store.windows_of_chunk[chunk_id])] == [chunk_id] * len(
            store.windows_of_chunk[chunk_id]
        )
        assert [store.sentences[i] for i in store.sentence_of_chunk[chunk_id]] == list(chunks[chunk_id].sentences)
    assert store.chunks[-1] == chunks[-1]
    assert store.chunks[1:3] == chunks[1:3]
    with pytest.raises(IndexError):
        store.chunks[len(chunks)]
    corpus = load_corpus(SEEDS)
    assert dict(store.articles) == {a.id: a for a in corpus.articles}
    assert store.article_counts() == {a.id: sum(c.article_id == a.id for c in chunks) for a in corpus.articles}


def test_arrays_that_do_not_fit_together_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "passages", ChunkingParams())
    np.save(tmp_path / "passages" / "sentence_end.npy", np.zeros(3, np.int32))
    with pytest.raises(ValueError, match="different lengths"):
        PassageStore.load(tmp_path / "passages")
