"""English words reach the articles' Russian words through Mueller's dictionary, the encoder choosing the sense."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from embeddings.encode.encoders import Vectors
from embeddings.params import Bridge
from embeddings.retrieve.bridge import WordBridge
from embeddings.retrieve.dictionary import names_an_action, russian_for
from embeddings.retrieve.words import is_english_word
from embeddings.text import stem
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


FORMS = ["стул", "председатель", "погода", "мост", "река", "город", "поезд", "вагон"]


def test_a_translation_the_articles_use_is_a_match_when_the_encoder_finds_it_plausible() -> None:
    anything = replace(Bridge(), sense=-np.inf)  # every translation the articles use is plausible here
    hit = _bridge(FORMS, anything).map(["chair"])["chair"]
    assert hit.stem in {"стул", "председател"}  # both translate "chair"; no other article word does
    assert hit.strength >= Bridge().translated


def test_a_translation_meets_the_articles_verb_of_the_other_aspect() -> None:
    anything = replace(Bridge(), sense=-np.inf)
    hit = _bridge([*FORMS, "договорились"], anything).map(["agree"])["agree"]  # "договариваться" in the dictionary
    assert hit.stem == stem("договорились")


def test_an_implausible_translation_is_left_to_the_encoder() -> None:
    never = replace(Bridge(), sense=np.inf, z_low=-100.0, z_high=-99.0)  # every encoder match counts
    encoder_only = _bridge(FORMS, never)
    encoder_only._translations = lambda word: []  # type: ignore[method-assign]
    expected = encoder_only.map(["chair"])["chair"].stem
    assert expected not in {"стул", "председател"}  # so taking a translation here would show
    hit = _bridge(FORMS, never).map(["chair"])["chair"]
    assert hit.stem == expected  # the encoder's own nearest word, whatever the dictionary says


def test_a_latin_word_meets_an_article_name_only_when_spelled_like_it() -> None:
    every_match = replace(Bridge(), z_low=-100.0, z_high=-99.0)  # the encoder's nearest word always counts
    bridge = _bridge(["казахстан", "казахстане"], every_match)
    assert bridge.map(["canada"]) == {}  # near in meaning, but a name is only itself: no "Казахстан" for Canada
    assert bridge.map(["kazakh"])["kazakh"].stem.startswith("казахстан")  # the name written in Latin letters
    assert _bridge(["мост", "река"], every_match).map(["canada"])  # a common word stays the encoder's choice


def test_a_word_first_translated_by_a_verb_names_an_action() -> None:
    assert names_an_action("adopted")  # "about laws adopted": no topic the articles must name
    assert not names_an_action("football")
    assert not names_an_action("zzzz")  # a word the dictionary lacks


def test_an_inflected_word_is_looked_up_with_its_lemmas() -> None:
    assert russian_for("negotiations")[0] == "переговоры"  # not the stem's "negotiant"
    assert "открывать" in russian_for("opened")  # the verb's sense, not only the adjective's
    assert "закон" in russian_for("laws")


def test_a_british_spelling_is_looked_up_as_the_american_one() -> None:
    assert russian_for("organisation")[0] == "организация"
    assert russian_for("programme")[0] == "программа"
    assert is_english_word("organisation")  # an English word, not a name the articles lack


def test_an_inflected_english_word_is_known_by_its_lemma() -> None:
    assert is_english_word("planned")  # the doubled consonant: lemminflect's "plan"
    assert not is_english_word("koshanov")
