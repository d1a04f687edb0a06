"""The pull of the words the best evidence lacks: which words, how it is measured, and when it is measured."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from embeddings.answer.decision import Status, decide
from embeddings.answer.evidence import Candidate
from embeddings.answer.pull import PULL_MOST, pull, without
from embeddings.params import Decision
from embeddings.retrieve.analysis import Analysis
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import Reading, Term
from tests.support.fakes import FakeEncoder


def _term(word: str, found: bool = True, weight: float = 2.0) -> Term:
    return Term(word, word.lower(), word.lower()[:5] if found else None, weight, False, False)


def test_the_words_left_out_go_and_the_punctuation_stays() -> None:
    assert without("Где родился Игорь Сергеенко?", {"родился"}) == "Где Игорь Сергеенко?"
    assert without("Сколько человек собралось на церемонию?", {"собралось", "церемонию"}) == "Сколько человек на ?"
    assert without("Где Игорь?", set()) == "Где Игорь?"


def test_a_lacking_word_that_the_window_says_pulls_and_one_it_does_not_pushes() -> None:
    encoder = FakeEncoder()
    window = encoder.encode_passages(["Сергеенко родился в Бресте"])[0]
    question = "где родился Сергеенко"
    query = encoder.encode_queries([question])[0]
    said = pull(encoder.encode_queries, question, query, window, [_term("родился")])
    assert said > 0  # the window holds the word: without it the question is further from the window
    other = encoder.encode_passages(["Сергеенко выступил в Минске"])[0]
    unsaid = pull(encoder.encode_queries, question, query, other, [_term("родился")])
    assert unsaid < 0  # what is left of the question is closer to a window that says something else
    assert pull(encoder.encode_queries, question, query, window, []) == 0.0
    both = np.stack([other, window])  # the strongest pull of the windows counts
    assert pull(encoder.encode_queries, question, query, both, [_term("родился")]) == said
    assert abs(said) <= PULL_MOST
    assert abs(unsaid) <= PULL_MOST


def test_the_pull_is_measured_only_when_it_may_turn_the_outcome() -> None:
    reading = Reading(
        "мост открыли", "мост открыли", "ru", Form.QUESTION, Analysis(), (_term("мост"), _term("открыли"))
    )
    model = replace(Decision(), pull=0.5)
    calls: list[float] = []

    def measured(value: float) -> float:
        calls.append(value)
        return value

    sure = Candidate(0, 10.0, {"latent": 0.9, "dense": 0.95, "terms": 1.0})
    assert decide(reading, [sure], [], 1.0, {}, model, pull=lambda: measured(-PULL_MOST)).status is Status.ANSWER
    assert calls == []  # far above the threshold: no pull could turn it
    # a window just at the threshold: the pull decides, either way
    at = model.threshold
    close = Candidate(0, 1.0, {"latent": 0.3, "dense": 0.8, "terms": 0.5})
    features = {"coverage": 0.5, "latent": 0.3, "dense": 0.8, "terms": 0.5, "found": 1.0}
    shifted = replace(model, intercept=model.intercept - model.logit(features) + float(np.log(at / (1 - at))))
    assert decide(reading, [close], [], 0.5, {}, shifted, pull=lambda: measured(-1.0)).status is Status.NOT_FOUND
    assert decide(reading, [close], [], 0.5, {}, shifted, pull=lambda: measured(1.0)).status is Status.ANSWER
    assert calls == [-1.0, 1.0]


def test_a_support_model_without_the_pull_never_measures_it() -> None:
    assert not replace(Decision(), pull=0.0).may_turn({}, 0.0)
    assert replace(Decision(), pull=0.5, threshold=0.0).may_turn({}, 2.5)  # supports collected whole


def test_the_lacking_words_are_the_question_s_own_that_the_window_does_not_say(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    pipeline = tiny_pipeline
    reading, _ = pipeline.read("Сколько зрителей собрал фестиваль на стадионе?")
    assert reading is not None
    bridged = pipeline.bridged(reading)
    ranked = pipeline.answerer.ranker.rank(reading, pipeline.search(reading, bridged, 5), bridged)
    window = next(
        c.window_id
        for c in ranked
        if "десять тысяч" in pipeline.index.sentences[pipeline.index.windows[c.window_id].first].text
    )
    lacking = [term.word for term in pipeline.answerer.ranker.lacking(reading, bridged, None, window)]
    assert "зрителей" not in lacking
    assert "фестиваль" not in lacking
    assert "стадионе" in lacking
