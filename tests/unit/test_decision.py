"""The decision on its own: absent terms, absent parts, and the fitted support model's threshold."""

from __future__ import annotations

from embeddings.annotate.spans import Kind, Span
from embeddings.answer.decision import Status, decide, support_features
from embeddings.answer.evidence import Candidate
from embeddings.params import Decision
from embeddings.retrieve.analysis import Analysis, Asks
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import Reading, Term

FEATURES = {"latent": 0.4, "dense": 0.9, "terms": 0.9}
BEST = Candidate(0, 10.0, FEATURES)
MODEL = Decision()


def _reading(analysis: Analysis, *terms: Term) -> Reading:
    question = " ".join(t.surface for t in terms)
    return Reading(question, question, "ru", Form.QUESTION, analysis, terms)


def _term(word: str, *, found: bool = True, key: bool = False) -> Term:
    return Term(word, word.lower(), word.lower()[:5] if found else None, 2.0, key, False)


def test_a_name_the_articles_never_mention_is_not_found_and_named() -> None:
    reading = _reading(Analysis(), _term("мост"), _term("Зеленский", found=False, key=True))
    verdict = decide(reading, [BEST], [], 0.9, {}, MODEL)
    assert (verdict.status, verdict.reason, verdict.missing) == (Status.NOT_FOUND, "absent_term", "Зеленский")


def test_a_strict_kind_missing_from_the_quote_is_a_partial_answer() -> None:
    reading = _reading(Analysis(Asks.DATE), _term("открыли"), _term("мост"))
    quoted = [("Мост открыли для всех.", ())]
    verdict = decide(reading, [BEST], quoted, 0.9, {}, MODEL)
    assert (verdict.status, verdict.missing) == (Status.PARTIAL, "date")
    said = "Мост открыли в понедельник."
    day = said.index("понедельник")
    dated = [(said, (Span(Kind.DATE, day, day + len("понедельник"), "понедельник", "понедельник"),))]
    assert decide(reading, [BEST], dated, 0.9, {}, MODEL).status is Status.ANSWER


def test_weak_support_is_not_found_and_strong_support_answers() -> None:
    reading = _reading(Analysis(), _term("мост"), _term("открыли"))
    weak = Candidate(0, 1.0, {"latent": 0.0, "dense": 0.1, "terms": 0.0})
    assert decide(reading, [weak], [], 0.0, {}, MODEL).reason == "weak_support"
    strong = decide(reading, [BEST], [], 0.9, {}, MODEL)
    assert strong.status is Status.ANSWER
    assert strong.support >= MODEL.threshold


def test_who_someone_is_is_answered_by_what_the_articles_say_of_them_when_they_give_no_role() -> None:
    name = Term("Ахмедов", "ахмедов", "ахмед", 2.0, True, False)
    reading = Reading(
        "Кто такой Ахмедов?", "Кто такой Ахмедов?", "ru", Form.WHO_IS, Analysis(Asks.ROLE), (name,), (name,)
    )
    told = [("Отделение хирургии возглавил Тимур Ахмедов.", ())]  # his post, said with a verb
    assert decide(reading, [BEST], told, 0.9, {}, MODEL).status is Status.ANSWER
    other = [("Отделение хирургии открыли в мае.", ())]  # a quote that is not about him
    assert decide(reading, [BEST], other, 0.9, {}, MODEL).status is Status.PARTIAL


def test_an_english_acronym_asked_about_is_no_absent_topic() -> None:
    laws = Term("laws", "laws", "закон", 2.0, False, True)
    acronym = Term("AI", "ai", None, 2.0, False, False, topic=True)  # "ИИ" in the articles, perhaps
    reading = Reading("laws about AI", "laws about AI", "en", Form.QUESTION, Analysis(), (laws, acronym))
    assert decide(reading, [BEST], [], 0.9, {}, MODEL).reason != "absent_topic"
    hockey = Term("hockey", "hockey", None, 2.0, False, True, topic=True)
    reading = Reading("laws about hockey", "laws about hockey", "en", Form.QUESTION, Analysis(), (laws, hockey))
    assert decide(reading, [BEST], [], 0.9, {}, MODEL).reason == "absent_topic"  # a word, not an acronym


def test_a_word_no_resource_knows_is_no_evidence_that_the_articles_lack_the_subject() -> None:
    asked = (_term("товарооборот"), _term("беларусью"))
    plain = support_features(_reading(Analysis(), *asked), BEST, 0.9, {})
    typed = support_features(_reading(Analysis(), _term("плз", found=False), *asked), BEST, 0.9, {})
    assert typed == plain  # "плз": no dictionary, no navec, no article word
    other = support_features(_reading(Analysis(), _term("погода", found=False), *asked), BEST, 0.9, {})
    assert other["found"] < plain["found"]  # a word of the language the articles never use is
    assert other["unexplained"] == 1.0
    informal = support_features(_reading(Analysis(), _term("щас", found=False), *asked), BEST, 0.9, {})
    assert informal == plain  # "щас": pymorphy knows it as an informal "сейчас"
    earlier = support_features(_reading(Analysis(), _term("раньше", found=False), *asked), BEST, 0.9, {})
    assert earlier == plain  # a comparative: the articles say "ранее"
    also = support_features(_reading(Analysis(), _term("also", found=False), *asked), BEST, 0.9, {})
    assert also == plain  # an English word that is an adverb only
