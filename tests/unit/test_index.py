from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from embeddings.config import EngineSettings
from embeddings.errors import IndexFolderError, StaleIndexError
from embeddings.index.build import build_index
from embeddings.index.load import load_index
from embeddings.index.manifest import IndexParams
from embeddings.ingest.corpus import load_corpus
from embeddings.pipeline import Pipeline
from tests.support.fakes import FakeEncoder, RecordingProgress


def test_build_writes_a_folder_with_a_manifest_and_loads_back(tiny_settings: EngineSettings) -> None:
    corpus = load_corpus(tiny_settings.seeds_dir)
    manifest = build_index(corpus, FakeEncoder(), tiny_settings.index_dir)
    on_disk = json.loads((tiny_settings.index_dir / "manifest.json").read_text())
    assert on_disk == json.loads(json.dumps(manifest))
    assert manifest["encoder"] == {"backend": "fake", "model": "fake-bow", "version": "1", "dim": 64}
    assert manifest["index"] == {"type": "flat"}
    assert manifest["chunking"]["max_chars"] == 600
    assert manifest["counts"]["articles"] == 2
    loaded = load_index(tiny_settings.index_dir)
    assert loaded.chunk_index.ntotal == manifest["counts"]["chunks"]
    assert loaded.window_vectors.shape == (manifest["counts"]["windows"], 64)
    assert loaded.articles["001_trade"].outlet == "Test Gazette"


def test_progress_counts_every_text_encoded_stage_by_stage(tiny_settings: EngineSettings) -> None:
    seen = RecordingProgress()
    manifest = build_index(
        load_corpus(tiny_settings.seeds_dir), FakeEncoder(), tiny_settings.index_dir, batch_size=2, progress=seen
    )
    counts = manifest["counts"]
    assert seen.total == sum(seen.steps)
    assert seen.total > counts["chunks"] + counts["windows"]  # and the articles' words
    assert seen.stages == [
        f"encoding {counts['chunks']} passages",
        f"encoding {counts['sentences']} sentences of {counts['windows']} evidence windows",
        f"encoding {seen.total - counts['chunks'] - counts['windows']} words of the articles",
    ]
    assert seen.stage_count == len(seen.stages)
    assert seen.finished == 1


def test_hnsw_is_a_parameter_recorded_in_the_manifest(tiny_settings: EngineSettings) -> None:
    manifest = build_index(
        load_corpus(tiny_settings.seeds_dir), FakeEncoder(), tiny_settings.index_dir, params=IndexParams(type="hnsw")
    )
    assert manifest["index"]["type"] == "hnsw"
    assert manifest["index"]["m"] == 32
    assert load_index(tiny_settings.index_dir).chunk_index.ntotal == manifest["counts"]["chunks"]


def test_ivf_sq8_is_built_streamed_and_searches_like_flat(tiny_settings: EngineSettings) -> None:
    corpus = load_corpus(tiny_settings.seeds_dir)
    manifest = build_index(corpus, FakeEncoder(), tiny_settings.index_dir, params=IndexParams(type="ivf"))
    assert manifest["index"] == {"type": "ivf", "factory": "IVF1,SQ8", "nlist": 1, "nprobe": 32}
    ivf_pipeline = Pipeline.open(tiny_settings.model_copy(update={"index_type": "ivf"}), encoder=FakeEncoder())
    assert not (tiny_settings.index_dir / "chunk_vectors.tmp.npy").exists()
    flat_dir = tiny_settings.index_dir.with_name("flat")
    build_index(corpus, FakeEncoder(), flat_dir, params=IndexParams(type="flat"))
    flat = Pipeline(load_index(flat_dir), FakeEncoder())
    for question in ("Сколько зрителей собрал фестиваль?", "Где откроют заводы по выпуску тракторов?"):
        ivf_ids = [p.chunk_id for p in ivf_pipeline.ask(question).passages]
        assert ivf_ids == [p.chunk_id for p in flat.ask(question).passages]


def test_auto_picks_flat_then_hnsw_then_ivf_by_size() -> None:
    assert IndexParams().resolve(100).type == "flat"
    assert IndexParams().resolve(100_000).type == "hnsw"
    large = IndexParams().resolve(1_000_000)
    assert (large.type, large.ivf_nlist) == ("ivf", 1_000)
    assert large.as_dict()["factory"] == "IVF1000,SQ8"
    assert IndexParams(type="ivf", ivf_nlist=256).resolve(10**6).ivf_nlist == 256


def test_window_vectors_are_memory_mapped(tiny_settings: EngineSettings) -> None:
    build_index(load_corpus(tiny_settings.seeds_dir), FakeEncoder(), tiny_settings.index_dir)
    assert isinstance(load_index(tiny_settings.index_dir).window_vectors, np.memmap)


def test_changed_seeds_are_detected_and_rebuilt(tiny_settings: EngineSettings) -> None:
    encoder = FakeEncoder()
    first = Pipeline.open(tiny_settings, encoder=encoder)
    (tiny_settings.seeds_dir / "003_new.txt").write_text(" date 2026-03-03 Новость\n\nНовый текст.", encoding="utf-8")
    second = Pipeline.open(tiny_settings, encoder=encoder)
    assert second.index.version != first.index.version
    assert "003_new" in second.index.articles


def test_another_encoder_is_detected(tiny_settings: EngineSettings) -> None:
    Pipeline.open(tiny_settings, encoder=FakeEncoder())
    strict = tiny_settings.model_copy(update={"auto_rebuild": False})
    with pytest.raises(StaleIndexError, match=r"encoder.*python -m embeddings build"):
        Pipeline.open(strict, encoder=FakeEncoder(name="other-model"))


def test_missing_index_without_rebuild_names_the_command(tiny_settings: EngineSettings) -> None:
    strict = tiny_settings.model_copy(update={"auto_rebuild": False})
    with pytest.raises(StaleIndexError, match="make index"):
        Pipeline.open(strict, encoder=FakeEncoder())


VICTIMS = [
    "chunks.faiss",
    "windows.npy",
    "passages/chunk_sentences.npy",
    "passages/articles.jsonl",
    "bm25/rows.npy",
    "manifest.json",
]


@pytest.mark.parametrize("victim", VICTIMS)
def test_corrupted_index_files_give_a_clear_error(tiny_settings: EngineSettings, victim: str) -> None:
    build_index(load_corpus(tiny_settings.seeds_dir), FakeEncoder(), tiny_settings.index_dir)
    (tiny_settings.index_dir / victim).write_bytes(b"\x00garbage")
    with pytest.raises(IndexFolderError, match=r"corrupted|inconsistent"):
        load_index(tiny_settings.index_dir)


def test_corrupted_index_is_rebuilt_when_allowed(tiny_settings: EngineSettings) -> None:
    build_index(load_corpus(tiny_settings.seeds_dir), FakeEncoder(), tiny_settings.index_dir)
    (tiny_settings.index_dir / "chunks.faiss").write_bytes(b"broken")
    pipeline = Pipeline.open(tiny_settings, encoder=FakeEncoder())
    assert pipeline.ask("товарооборот").found


class _FailingEncoder(FakeEncoder):
    def encode_passages(self, texts: list[str]) -> object:  # type: ignore[override]
        if self.calls >= 1:
            raise RuntimeError("power cut")
        return super().encode_passages(texts)


def test_an_interrupted_build_leaves_the_old_index_in_place(tiny_settings: EngineSettings) -> None:
    corpus = load_corpus(tiny_settings.seeds_dir)
    build_index(corpus, FakeEncoder(), tiny_settings.index_dir)
    before = (tiny_settings.index_dir / "manifest.json").read_text()
    with pytest.raises(RuntimeError, match="power cut"):
        build_index(corpus, _FailingEncoder(), tiny_settings.index_dir, batch_size=1)
    assert (tiny_settings.index_dir / "manifest.json").read_text() == before
    load_index(tiny_settings.index_dir)
    leftovers = [p.name for p in Path(tiny_settings.index_dir).parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_an_index_of_another_tokenizer_is_stale(tiny_settings: EngineSettings) -> None:
    Pipeline.open(tiny_settings, encoder=FakeEncoder())
    manifest_file = tiny_settings.index_dir / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["tokenizer"] = "stop words of an older release"
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    strict = tiny_settings.model_copy(update={"auto_rebuild": False})
    with pytest.raises(StaleIndexError, match="tokenizer"):
        Pipeline.open(strict, encoder=FakeEncoder())


def test_a_pair_windows_vector_joins_its_sentences(tiny_settings: EngineSettings) -> None:
    index = Pipeline.open(tiny_settings, encoder=FakeEncoder()).index
    single = {w.first: i for i, w in enumerate(index.windows) if w.first == w.last}
    pairs = [(i, w) for i, w in enumerate(index.windows) if w.first != w.last]
    assert pairs
    for i, window in pairs:
        total = index.window_vectors[single[window.first]] + index.window_vectors[single[window.last]]
        assert index.window_vectors[i] == pytest.approx(total / np.linalg.norm(total), abs=1e-6)
