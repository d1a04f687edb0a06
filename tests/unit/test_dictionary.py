"""English words reach the articles' Russian words through Mueller's dictionary, the encoder choosing the sense."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from embeddings.encode.encoders import Vectors
from embeddings.params import Bridge
from embeddings.retrieve.bridge import WordBridge
from embeddings.retrieve.dictionary import russian_for
from tests.support.fakes import FakeEncoder


def test_an_english_word_and_its_forms_have_russian_translations_commonest_sense_first() -> None:
    assert russian_for("factory")[:2] == ("завод", "фабрика")
    assert russian_for("factories") == russian_for("factory")  # by the stem's shortest headword
    assert "благодарить" in russian_for("thanked")
    assert russian_for("zelensky") == ()


class _ScatteredEncoder(FakeEncoder):
    """Every text a fixed random direction: cosines spread around zero, as a real encoder's do between unrelated
    words."""

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).standard_normal(self.spec.dim) for t in texts]
        matrix = np.asarray(rows, dtype=np.float32)
        normed: Vectors = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
        return normed

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        return self.encode_queries(texts)


def _bridge(forms: list[str], params: Bridge) -> WordBridge:
    encoder = _ScatteredEncoder()
    return WordBridge(forms, encoder.encode_passages(forms), encoder, params)


def test_a_translation_the_articles_use_is_a_match_and_the_encoder_picks_among_them() -> None:
    forms = ["стул", "председатель", "погода", "мост", "река", "город", "поезд", "вагон"]
    anything = replace(Bridge(), sense=-np.inf)  # every translation the articles use is plausible here
    hit = _bridge(forms, anything).map(["chair"])["chair"]
    assert hit.stem in {"стул", "председател"}  # both translate "chair"; no other article word does
    assert hit.strength >= Bridge().translated


def test_a_word_the_dictionary_lacks_is_left_to_the_encoder() -> None:
    forms = ["стул", "председатель", "погода", "мост", "река", "город", "поезд", "вагон"]
    assert "zzyzx" not in _bridge(forms, Bridge()).map(["zzyzx"])  # no translation, and no close word
