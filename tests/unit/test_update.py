"""An incremental update gives the index a full build gives, encodes only the new article, and swaps atomically."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from embeddings.errors import CorpusError, IndexFolderError, StaleIndexError
from embeddings.index.build import build_index
from embeddings.index.load import load_index
from embeddings.index.update import encode_article, update_index
from embeddings.index.versions import KEEP, current, versions_dir
from embeddings.ingest.chunking import ChunkingParams
from embeddings.ingest.corpus import load_corpus, parse_article
from embeddings.pipeline import Pipeline
from tests.conftest import ANSWER_ALL
from tests.support.fakes import FakeSparseEncoder

HOCKEY = (
    " date 2026-03-03 В Караганде прошёл хоккейный турнир ЦСКА\n\n"
    "Хоккейный турнир юниоров собрал восемь команд. Победила сборная Караганды.\n\n"
    "Центральный спортивный клуб армии приехал в Караганду впервые. Турнир судили судьи из Астаны.\n"
)
QUESTIONS = (
    "Кто победил в хоккейном турнире?",
    "Сколько зрителей собрал фестиваль?",
    "Где откроют заводы по выпуску тракторов?",
    "Откуда были судьи?",
)
EXACT = (
    "chunks.faiss",
    "chunk_vectors.npy",
    "windows.npy",
    "centroid.npy",
    "brief.json",
    "annotations.json",
    "people.jsonl",
    "words/forms.txt",
    "words/vectors.npy",
    "sparse_chunks",
    "sparse_windows",
    "passages",
    "bm25/words.npy",
    "bm25/word_ids.npy",
    "bm25/terms.npy",
    "brief/candidate.npy",
    "brief/initials.txt",
    "brief/titles.txt",
    "brief/title_offsets.npy",
)


def files(folder: Path, name: str) -> dict[str, bytes]:
    path = folder / name
    paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return {str(p.relative_to(folder)): p.read_bytes() for p in paths}


def assert_same_index(updated: Path, built: Path) -> None:
    """Byte for byte where ids do not depend on the order words were met; by what they mean elsewhere."""
    for name in EXACT:
        assert files(updated, name) == files(built, name), name
    keys = (
        "corpus_hash",
        "article_hashes",
        "chunks_hash",
        "counts",
        "brief",
        "annotations",
        "index",
        "encoder",
        "sparse",
    )
    first, second = (json.loads((f / "manifest.json").read_text()) for f in (updated, built))
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys}
    a, b = load_index(updated), load_index(built)
    assert dict(a.bm25.vocabulary.items()).keys() == dict(b.bm25.vocabulary.items()).keys()
    for query in ("турнир Караганды", "фестиваль музыки столица", "торговля заводы тракторов", "ничего"):
        assert a.bm25.scores(query).tolist() == b.bm25.scores(query).tolist()
    assert [a.bm25.idf(t) for t in ("турнир", "фестивал")] == [b.bm25.idf(t) for t in ("турнир", "фестивал")]


def answers(index_dir: Path, encoder: FakeSparseEncoder) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    pipeline = Pipeline(load_index(index_dir), encoder, params=ANSWER_ALL)
    asked = [pipeline.ask(q) for q in QUESTIONS]
    return [
        (a.status.value, tuple(e.text for e in a.evidence), tuple(c.article.id for c in a.citations)) for a in asked
    ]


@pytest.fixture
def encoder() -> FakeSparseEncoder:
    return FakeSparseEncoder()


@pytest.fixture
def index_dir(tiny_seeds: Path, tmp_path: Path, encoder: FakeSparseEncoder) -> Path:
    folder = tmp_path / "index"
    build_index(load_corpus(tiny_seeds), encoder, folder)
    return folder


def hockey(seeds: Path, name: str = "003_hockey") -> Path:
    path = seeds / f"{name}.txt"
    path.write_text(HOCKEY, encoding="utf-8")
    return path


def test_adding_an_article_gives_the_index_a_full_build_gives(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder, tmp_path: Path
) -> None:
    new = encode_article(parse_article(hockey(tiny_seeds), {}), encoder, ChunkingParams())
    manifest = update_index(index_dir, encoder, ChunkingParams(), add=[new])
    assert manifest["updated"]["added"] == ["003_hockey"]
    built = tmp_path / "built"
    build_index(load_corpus(tiny_seeds), encoder, built)
    assert_same_index(current(index_dir), current(built))
    assert answers(index_dir, encoder) == answers(built, encoder)
    assert "Победила сборная Караганды" in answers(index_dir, encoder)[0][1][0]


def test_an_article_in_the_middle_and_a_removal_keep_the_order_of_a_full_build(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder, tmp_path: Path
) -> None:
    new = encode_article(parse_article(hockey(tiny_seeds, "001a_hockey"), {}), encoder, ChunkingParams())
    update_index(index_dir, encoder, ChunkingParams(), add=[new])
    assert list(load_index(index_dir).articles) == ["001_trade", "001a_hockey", "002_culture"]
    update_index(index_dir, encoder, ChunkingParams(), remove=["001_trade"])
    (tiny_seeds / "001_trade.txt").unlink()
    built = tmp_path / "built"
    build_index(load_corpus(tiny_seeds), encoder, built)
    assert_same_index(current(index_dir), current(built))
    assert answers(index_dir, encoder) == answers(built, encoder)


def test_an_update_reuses_the_version_its_caller_has_loaded_only_while_it_is_current(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder, tmp_path: Path
) -> None:
    loaded = load_index(index_dir)  # what a running bot answers from
    first = encode_article(parse_article(hockey(tiny_seeds, "003_hockey"), {}), encoder, ChunkingParams())
    update_index(index_dir, encoder, ChunkingParams(), add=[first], loaded=loaded)
    second = encode_article(parse_article(hockey(tiny_seeds, "004_hockey"), {}), encoder, ChunkingParams())
    update_index(index_dir, encoder, ChunkingParams(), add=[second], loaded=loaded)  # stale now: not used
    assert {"003_hockey", "004_hockey"} <= set(load_index(index_dir).articles)
    built = tmp_path / "built"
    build_index(load_corpus(tiny_seeds), encoder, built)
    assert_same_index(current(index_dir), current(built))


FACTORY = (
    " date 2026-03-01 На заводе в Караганде обсудили планы\n\n"
    "Сергей Иванов встретился с рабочими цеха в понедельник утром. Встреча длилась два часа.\n\n"
    "«Мы откроем новый цех уже весной», — сказал директор завода.\n"
)
DIRECTOR = (
    " date 2026-03-02 Директор завода рассказал о планах\n\n"
    "Директор завода Сергей Иванов рассказал журналистам о новом цехе. Цех откроют весной.\n"
)


def quoted_by(index_dir: Path) -> str | None:
    index = load_index(index_dir)
    speaker = next(s for t, s in zip(index.sentences, index.speakers, strict=True) if t.text.startswith("«Мы откроем"))
    return speaker.name if speaker else None


def test_an_article_that_names_whose_role_it_is_changes_who_speaks_in_another(
    tmp_path: Path, encoder: FakeSparseEncoder
) -> None:
    seeds, index_dir = tmp_path / "story", tmp_path / "story-index"
    seeds.mkdir()
    (seeds / "001_factory.txt").write_text(FACTORY, encoding="utf-8")
    build_index(load_corpus(seeds), encoder, index_dir)
    assert quoted_by(index_dir) == ""  # "директор завода": no one the article names is one
    (seeds / "002_director.txt").write_text(DIRECTOR, encoding="utf-8")
    new = encode_article(parse_article(seeds / "002_director.txt", {}), encoder, ChunkingParams())
    update_index(index_dir, encoder, ChunkingParams(), add=[new])
    assert quoted_by(index_dir) == "Сергей Иванов"  # the other article says he is the director
    build_index(load_corpus(seeds), encoder, tmp_path / "built")
    assert_same_index(current(index_dir), current(tmp_path / "built"))
    update_index(index_dir, encoder, ChunkingParams(), remove=["002_director"])
    assert quoted_by(index_dir) == ""


def test_replacing_an_article_updates_its_rows(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder, tmp_path: Path
) -> None:
    path = tiny_seeds / "002_culture.md"
    path.write_text(path.read_text(encoding="utf-8").replace("десять тысяч", "двадцать тысяч"), encoding="utf-8")
    new = encode_article(parse_article(path, {}), encoder, ChunkingParams())
    update_index(index_dir, encoder, ChunkingParams(), add=[new])
    built = tmp_path / "built"
    build_index(load_corpus(tiny_seeds), encoder, built)
    assert_same_index(current(index_dir), current(built))


def test_only_the_new_articles_passages_windows_and_new_words_are_encoded(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder
) -> None:
    encoded: list[str] = []
    for method in ("encode_passages", "encode_queries"):
        original = getattr(encoder, method)

        def spy(texts: list[str], original=original) -> object:  # type: ignore[no-untyped-def]
            encoded.extend(texts)
            return original(texts)

        setattr(encoder, method, spy)
    new = encode_article(parse_article(hockey(tiny_seeds), {}), encoder, ChunkingParams())
    passages = len(encoded)
    assert passages == len(new.chunks) + sum(len(chunk.sentences) for chunk in new.chunks)  # pairs join sentences
    before = set(load_index(index_dir).word_forms)
    update_index(index_dir, encoder, ChunkingParams(), add=[new])
    words = encoded[passages:]
    assert sorted(words) == sorted(set(load_index(index_dir).word_forms) - before)
    assert "хоккейный" in words


def test_a_crash_mid_update_leaves_the_current_version_whole(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder
) -> None:
    before = current(index_dir)
    manifest = (before / "manifest.json").read_text()
    new = encode_article(parse_article(hockey(tiny_seeds), {}), encoder, ChunkingParams())

    def power_cut(texts: list[str]) -> object:
        raise RuntimeError("power cut")

    encoder.encode_queries = power_cut  # type: ignore[method-assign]  # the new words are encoded last
    with pytest.raises(RuntimeError, match="power cut"):
        update_index(index_dir, encoder, ChunkingParams(), add=[new])
    assert current(index_dir) == before
    assert (before / "manifest.json").read_text() == manifest
    assert "003_hockey" not in load_index(index_dir).articles
    assert [p.name for p in versions_dir(index_dir).iterdir()] == [before.name]


def test_versions_are_links_swapped_in_and_only_the_last_few_are_kept(
    tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder
) -> None:
    assert index_dir.is_symlink()
    first = load_index(index_dir)  # a question in flight keeps this one
    for n in range(KEEP + 1):
        new = encode_article(parse_article(hockey(tiny_seeds, f"00{n}_hockey"), {}), encoder, ChunkingParams())
        update_index(index_dir, encoder, ChunkingParams(), add=[new])
    for thread in threading.enumerate():
        if thread.name == "prune-versions":  # old versions are deleted off the update's way
            thread.join()
    kept = sorted(p.name for p in versions_dir(index_dir).iterdir())
    assert len(kept) == KEEP
    assert current(index_dir).name == kept[-1]
    assert first.folder is not None
    assert not first.folder.exists()
    assert first.store.article_at(0).text.startswith("Торговля")  # memory-mapped: still readable


def test_a_plain_index_folder_of_the_older_layout_becomes_a_version(
    tiny_seeds: Path, tmp_path: Path, encoder: FakeSparseEncoder
) -> None:
    built = tmp_path / "built"
    build_index(load_corpus(tiny_seeds), encoder, built)
    plain = tmp_path / "plain"
    os.rename(current(built), plain)
    new = encode_article(parse_article(hockey(tiny_seeds), {}), encoder, ChunkingParams())
    update_index(plain, encoder, ChunkingParams(), add=[new])
    assert plain.is_symlink()
    assert len(list(versions_dir(plain).iterdir())) == 2
    assert "003_hockey" in load_index(plain).articles


def test_what_cannot_be_updated_says_why(tiny_seeds: Path, index_dir: Path, encoder: FakeSparseEncoder) -> None:
    with pytest.raises(CorpusError, match="no article 009_missing"):
        update_index(index_dir, encoder, ChunkingParams(), remove=["009_missing"])
    with pytest.raises(IndexFolderError, match="at least one article"):
        update_index(index_dir, encoder, ChunkingParams(), remove=["001_trade", "002_culture"])
    new = encode_article(parse_article(hockey(tiny_seeds), {}), encoder, ChunkingParams(max_chars=300))
    with pytest.raises(StaleIndexError, match="chunking"):
        update_index(index_dir, encoder, ChunkingParams(max_chars=300), add=[new])
    assert np.load(current(index_dir) / "chunk_vectors.npy").shape[0] == load_index(index_dir).chunk_index.ntotal
