"""Typed answer candidates: annotations of sentences, what a question asks, and whether evidence holds it.

Every text here is written by the test; none comes from the articles.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from bot.render import partial_note
from embeddings.annotate.annotator import annotate_article
from embeddings.annotate.entities import _missed_mentions
from embeddings.annotate.nouns import measure_nouns, noun_classes, noun_spans
from embeddings.annotate.people import role_before
from embeddings.annotate.phrases import phrases, symbol_nouns
from embeddings.annotate.spans import Kind, Span
from embeddings.answer.candidates import Focus, closeness, focus_of, same_word
from embeddings.answer.evidence import Candidate, EvidenceRanker, typed_first
from embeddings.answer.record import Status
from embeddings.index.load import window_text
from embeddings.ingest.chunking import Sentence
from embeddings.retrieve.analysis import Analysis, Asks, analyse
from embeddings.retrieve.bridge import Bridged
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import Reading, Term
from embeddings.text import stem

TEXT = (
    "Мэр Новоозёрска Пётр Иванов открыл новый мост через реку Быструю. "
    "Строительство обошлось в 2 млрд рублей и заняло полтора года. "
    "На стройке работали двенадцать бригад из трёх областей. "
    "Мост построили, чтобы разгрузить центр города. "
    "Район получил 3 млрд рублей инвестиций."
)


def _sentences(text: str) -> list[Sentence]:
    found, start = [], 0
    for part in text.split(". "):
        part = part if part.endswith(".") else part + "."
        begin = text.index(part[:-1], start)
        found.append(Sentence("a", begin, begin + len(part), part))
        start = begin + len(part)
    return found


@pytest.fixture(scope="module")
def annotated() -> list[tuple[str, tuple[Span, ...]]]:
    sentences = _sentences(TEXT)
    return [(s.text, spans) for s, spans in zip(sentences, annotate_article(TEXT, sentences), strict=True)]


def _kinds(spans: tuple[Span, ...]) -> set[Kind]:
    return {s.kind for s in spans}


def test_sentences_carry_names_money_numbers_durations_roles_and_reasons(annotated) -> None:  # type: ignore[no-untyped-def]
    first, second, third, fourth, _ = (spans for _, spans in annotated)
    assert {Kind.PER, Kind.ROLE, Kind.LOC} <= _kinds(first)
    assert any(s.kind is Kind.PER and "Иванов" in s.text for s in first)
    assert any(s.kind is Kind.MONEY for s in second)
    assert not any(s.kind is Kind.NUMBER and s.text.startswith("2") for s in second)  # inside the money
    number = next(s for s in third if s.kind is Kind.NUMBER and s.text == "двенадцать")
    assert number.value == "бригада"
    assert Kind.REASON in _kinds(fourth)


def test_a_number_of_a_unit_of_time_is_a_duration() -> None:
    spans = phrases("Работы заняли три месяца.")
    assert [(s.kind, s.value) for s in spans if s.kind in (Kind.DURATION, Kind.NUMBER)] == [(Kind.DURATION, "месяц")]


def test_a_number_joined_to_an_adjective_counts_the_noun_it_is_made_of() -> None:
    spans = phrases("На открытии была 67-летняя пенсионерка из 5-этажного дома.")
    counted = [(s.kind, s.text, s.value) for s in spans if s.kind in (Kind.DURATION, Kind.NUMBER)]
    assert counted == [(Kind.DURATION, "67", "год"), (Kind.NUMBER, "5", "этаж")]  # an age; floors, not a house


def test_a_percentage_counts_percent_of_what_follows() -> None:
    said = "Сейчас в области перерабатывается около 40% молока, а половина сыра уходит в соседние регионы."
    spans = phrases(said)
    assert [(s.text, s.value) for s in spans if s.kind is Kind.NUMBER] == [("40%", "процент"), ("половина", "сыр")]
    sentence = (said, tuple(spans))
    milk = "Сколько процентов молока перерабатывают в области?"
    assert analyse(milk).noun == ("процент",)
    assert analyse(milk).of == "молоко"
    assert closeness([sentence], _focus(milk, "процент молок перерабатыва област")) > 0.5
    cheese = "Сколько процентов сыра перерабатывают в области?"
    assert closeness([sentence], _focus(cheese, "процент перерабатыва област")) == 0.0  # half is no percentage


def test_an_adjective_opening_with_a_numeral_counts_the_noun_it_is_made_of() -> None:
    spans = phrases("Парламент пока двухпалатный, а в трёхэтажном здании работает временный штаб.")
    counted = [(s.text, s.value) for s in spans if s.kind is Kind.NUMBER]
    assert counted == [("двухпалатный", "палата"), ("трёхэтажном", "этаж")]  # "временный" opens with no numeral
    said = "Кошанов - спикер пока еще двухпалатного парламента."
    sentence = (said, tuple(phrases(said)))
    assert closeness([sentence], _focus("Сколько палат в парламенте?", "палат парламент")) > 0.5


@pytest.mark.parametrize(
    ("question", "noun"),
    [("Сколько тысяч человек пришло?", ("человек",)), ("На сколько тысяч выросло?", ())],
)
def test_a_number_of_thousands_counts_the_noun_after_them(question: str, noun: tuple[str, ...]) -> None:
    assert analyse(question).noun == noun


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Кто открыл мост?", Asks.PERSON),
        ("Где построили мост?", Asks.PLACE),
        ("В каком городе построили мост?", Asks.PLACE),
        ("Когда открыли мост?", Asks.DATE),
        ("Сколько стоил мост?", Asks.MONEY),
        ("Сколько бригад работало?", Asks.NUMBER),
        ("Сколько месяцев строили мост?", Asks.DURATION),
        ("Сколько лет мэру?", Asks.AGE),
        ("Зачем построили мост?", Asks.REASON),
        ("Какой бюджет у стройки?", Asks.VALUE),
        ("Что сказал мэр, когда открыл мост?", Asks.OPEN),  # the first question word asks
        ("Я живу у реки. Сколько бригад работало?", Asks.NUMBER),  # the introduction asks nothing
        ("How many teams worked there?", Asks.NUMBER),
        ("Which city got the bridge?", Asks.PLACE),
        ("Мост қашан ашылды?", Asks.DATE),
        ("Мост қай жылы ашылды?", Asks.DATE),  # a Kazakh noun of a kind, its endings taken off
        ("Мост қай қалада салынды?", Asks.PLACE),
        ("Сколько денег выделили на мост?", Asks.MONEY),  # counting money is an amount of money
        ("Во сколько обошёлся мост?", Asks.MONEY),
        ("скок вложили в мост", Asks.MONEY),  # as people type
        ("када откроют мост", Asks.DATE),
        ("How much money was invested in the bridge?", Asks.MONEY),
        ("Сколько бетона ушло на мост?", Asks.AMOUNT),  # a thing not counted: how much of it
        ("скок бетон ушел на мост", Asks.AMOUNT),
        ("Сколько человек строили мост?", Asks.NUMBER),  # people are counted, whatever the form
        ("Какой объём перевозок по мосту?", Asks.AMOUNT),  # a noun of quantity asks an amount
        ("What is the volume of traffic on the bridge?", Asks.AMOUNT),
        ("how big is the traffic", Asks.AMOUNT),
        ("What job does the engineer have?", Asks.ROLE),
        ("In which countries was the bridge built?", Asks.PLACE),  # an English category noun by its lemma
        ("Как называется мост?", Asks.NAME),  # a thing's name
        ("мост как называется", Asks.NAME),
        ("What is the name of the bridge?", Asks.NAME),
        ("Как зовут инженера?", Asks.PERSON),  # a person's name
        ("What is the name of the engineer?", Asks.PERSON),
        ("Кем работал инженер раньше?", Asks.ROLE),  # as what: a post
        ("кем стал Петров", Asks.ROLE),
        ("С кем работал инженер?", Asks.PERSON),  # with whom
        ("Кем был построен мост?", Asks.PERSON),  # by whom
    ],
)
def test_what_a_question_asks_for(question: str, asks: Asks) -> None:
    assert analyse(question).asks is asks


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("What is the bridge traffic between the towns?", "traffic"),  # the last noun of the phrase
        ("Which construction company built the bridge?", "company"),
        ("What steel bridge Zarechye opened?", "bridge"),  # a name the dictionary lacks ends the phrase
        ("What did the mayor say?", None),  # an auxiliary: no noun asked of
    ],
)
def test_an_english_question_word_asks_of_the_head_of_its_noun_phrase(question: str, noun: str | None) -> None:
    assert analyse(question).noun == ((noun,) if noun else ())


def test_a_noun_the_articles_give_in_numbers_is_a_measure(annotated) -> None:  # type: ignore[no-untyped-def]
    texts = [text for text, _ in annotated]
    measures = measure_nouns(texts, tuple(spans for _, spans in annotated))
    assert "инвестиция" in measures
    assert "бригада" not in measures  # what a number counts is no measure
    assert Analysis(Asks.VALUE, ("инвестиция",)).typed(measures, {}).asks is Asks.AMOUNT
    assert Analysis(Asks.VALUE, ("статус",)).typed(measures, {}).asks is Asks.VALUE


NOUNS_TEXT = (
    "Мост построила компания «Мостострой». "
    "Новый мост соединил город Заречье с трассой. "
    "Средняя зарплата строителей составила 70 тысяч рублей. "
    "Компания закупила 24 самосвала. "
    "Объём торговли между регионами достиг 300 млн рублей."
)


@pytest.fixture(scope="module")
def nouns_annotated() -> tuple[tuple[Span, ...], ...]:
    return tuple(annotate_article(NOUNS_TEXT, _sentences(NOUNS_TEXT)))


def test_the_parse_tells_a_noun_that_classes_a_name_and_a_noun_given_an_amount(nouns_annotated) -> None:  # type: ignore[no-untyped-def]
    classes = noun_classes(nouns_annotated)
    assert classes.get("компания") is Kind.ORG
    assert classes.get("город") is Kind.LOC
    assert "мост" not in classes
    measured = measure_nouns([s.text for s in _sentences(NOUNS_TEXT)], nouns_annotated)
    assert "зарплата" in measured
    assert "компания" not in measured  # it bought things it counts: no amount of the company
    assert {"объём", "торговля"} <= measured  # the measure, and what it is the measure of
    assert "регион" not in measured  # "между регионами" says between whom


def test_which_noun_asks_for_a_name_of_its_kind_or_an_amount() -> None:
    classes = {"компания": Kind.ORG, "город": Kind.LOC, "инженер": Kind.PER}
    measures = frozenset({"зарплата"})
    assert Analysis(Asks.VALUE, ("компания",)).typed(measures, classes).asks is Asks.ORGANISATION
    assert Analysis(Asks.VALUE, ("фирма",)).typed(measures, classes).asks is Asks.ORGANISATION  # alike, by navec
    assert Analysis(Asks.VALUE, ("город",)).typed(measures, classes).asks is Asks.PLACE
    engineer = Analysis(Asks.VALUE, ("инженер",)).typed(measures, classes)
    assert (engineer.asks, engineer.post) == (Asks.PERSON, ("инженер",))
    assert Analysis(Asks.VALUE, ("зарплата",)).typed(measures, classes).asks is Asks.AMOUNT
    assert Analysis(Asks.VALUE, ("цвет",)).typed(measures, classes).asks is Asks.VALUE
    assert Analysis(Asks.DATE).typed(measures, classes).asks is Asks.DATE
    english = Analysis(Asks.VALUE, ("factory",))
    assert english.typed(measures, classes).asks is Asks.VALUE
    assert english.typed(measures, classes, ("фабрика", "компания")).asks is Asks.ORGANISATION  # by its translation


def test_the_name_of_a_thing_is_a_name_of_its_kind_or_none_the_articles_give() -> None:
    classes = {"компания": Kind.ORG, "город": Kind.LOC}
    measures = frozenset({"зарплата"})
    assert Analysis(Asks.NAME, ("компания",)).typed(measures, classes).asks is Asks.ORGANISATION
    assert Analysis(Asks.NAME, ("фирма",)).typed(measures, classes).asks is Asks.ORGANISATION  # alike, by navec
    unnamed = Analysis(Asks.NAME, ("мост",)).typed(measures, classes)
    assert (unnamed.asks, unnamed.strict, unnamed.kinds) == (Asks.NAME, True, frozenset())  # none answers
    assert Analysis(Asks.NAME, ("зарплата",)).typed(measures, classes).asks is Asks.NAME  # a name is no amount


def test_the_name_of_a_thing_the_articles_never_name_is_a_partial_answer(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    answer = tiny_pipeline.ask("Как называется фестиваль в столице?")
    assert (answer.status, answer.missing) == (Status.PARTIAL, "name")
    assert partial_note(answer, "en").startswith("The articles do not say what it is called.")
    assert tiny_pipeline.ask("Сколько зрителей собрал фестиваль?").status is Status.ANSWER


@pytest.mark.parametrize(
    ("question", "post"),
    [
        ("Кто архитектор моста?", ("архитектор", "мост")),
        ("кто сейчас директор завода", ("директор", "завод")),  # the post, then what it is of
        ("Кто директор завода «Заря» в Ольховке?", ("директор", "завод", "заря")),
        ("Кто губернатор Петров?", ("губернатор",)),  # a person's name is no part of the post
        ("Как зовут директора компании?", ("директор", "компания")),
        ("Кто руководит заводом «Заря»?", ("руководитель", "завод", "заря")),  # the verb's "-тель" noun
        ("Кто открыл мост?", ("", "мост")),  # a verb with no such noun: the reader looks for a post of its root
        ("С кем губернатор Петров открыл мост?", ()),  # "с кем" asks who else, not who holds a post
        ("Память чьих героев почтили?", ()),  # whose, not who holds a post
        ("С кем встречался мэр?", ()),
        ("кто возглавлят стройку", ()),  # a misspelt verb pymorphy guesses to be a noun
    ],
)
def test_who_with_a_role_noun_asks_who_holds_that_post(question: str, post: tuple[str, ...]) -> None:
    assert analyse(question).post == post


def test_an_organisation_question_wants_an_organisation_the_question_does_not_name(nouns_annotated) -> None:  # type: ignore[no-untyped-def]
    sentences = [s.text for s in _sentences(NOUNS_TEXT)]
    analysis = Analysis(Asks.ORGANISATION)
    focus = Focus.of(analysis, "Какая компания построила мост?", [stem("построила"), stem("мост")])
    assert closeness([(sentences[0], nouns_annotated[0])], focus) > 0.5
    assert closeness([(sentences[1], nouns_annotated[1])], focus) == 0.0  # a place is no organisation
    named = Focus.of(analysis, "Какая компания, кроме «Мостострой», строила?", [stem("строила")])
    assert closeness([(sentences[0], nouns_annotated[0])], named) == 0.0


def test_a_place_the_question_names_is_no_answer_in_any_language_or_form() -> None:
    text = "В Заречье мост строят на берегу реки."
    spans = phrases(text)
    assert {s.kind for s in spans} >= {Kind.SITE}
    where = Analysis(Asks.PLACE)
    here = Focus.of(where, "Где в Заречье строят мост?", [stem("строят"), stem("мост")])
    assert closeness([(text, [s for s in spans if "Заречье" in s.text])], here) == 0.0  # "в Заречье" is asked
    assert closeness([(text, spans)], here) > 0.0  # "на берегу" is not
    english = Focus.of(where, "where in zarechye is the bridge built", [stem("мост")], read_as=[stem("заречье")])
    assert closeness([(text, [s for s in spans if "Заречье" in s.text])], english) == 0.0  # the name read in Russian


def _focus(question: str, focus: str) -> Focus:
    return Focus.of(analyse(question), question, [stem(w) for w in focus.split()])


def test_a_window_answers_with_a_candidate_the_question_does_not_hold(annotated) -> None:  # type: ignore[no-untyped-def]
    first, second, _third, _, _ = annotated
    who = _focus("Кто открыл мост?", "открыл мост")
    assert closeness([first], who) > 0.5
    assert closeness([second], who) == 0.0  # no person there
    named = _focus("Кто такой Пётр Иванов, открывший мост?", "открывш мост")
    assert named.analysis.asks is Asks.PERSON
    assert closeness([first], named) > 0.0  # the mayor's role is an answer; his name, asked already, is not
    only_name = (first[0], tuple(s for s in first[1] if s.kind is Kind.PER))
    assert closeness([only_name], named) == 0.0


def test_a_number_must_count_what_is_asked(annotated) -> None:  # type: ignore[no-untyped-def]
    third = annotated[2]
    assert closeness([third], _focus("Сколько бригад работало на стройке?", "бригад стройк")) > 0.0
    assert closeness([third], _focus("Сколько грузовиков работало на стройке?", "стройк")) == 0.0


def test_a_candidate_beside_the_focus_beats_a_far_one() -> None:
    said = "Оборот составил 5 млн рублей в прошлом году."
    near = (said, tuple(phrases(said)))
    sentence = "Оборот рос все эти годы, а в соседней области открыли 5 новых цехов."
    far = (sentence, tuple(phrases(sentence)))
    focus = Focus.of(Analysis(Asks.AMOUNT, ("оборот",)), "Какой оборот?", [stem("оборот")])
    assert closeness([near], focus) > closeness([far], focus) > 0.0


def test_the_focus_is_found_in_the_other_aspect_of_its_verb() -> None:
    text = "В субботу строители встретились с мэром Петром Ивановым."
    (sentence,) = _sentences(text)
    (spans,) = annotate_article(text, [sentence])
    met = _focus("С кем встречались строители?", "встреча")  # "встречались" asked, "встретились" written
    assert closeness([(sentence.text, spans)], met) > 0.5  # beside the focus, not only somewhere in the window


def test_a_close_runner_up_holding_what_is_asked_leads_and_a_distant_one_does_not() -> None:
    def window(window_id: int, score: float, part: float) -> Candidate:
        return Candidate(window_id, score, {"part": part})

    words_only, typed, far_typed = window(1, 21.4, -1.0), window(2, 20.5, 0.95), window(3, 15.0, 0.9)
    assert typed_first([words_only, typed, far_typed], margin=1.0, lead=0.5) == [typed, words_only, far_typed]
    # partial, as it should be
    assert typed_first([words_only, far_typed], margin=1.0, lead=0.5) == [words_only, far_typed]
    assert typed_first([typed, words_only], margin=1.0, lead=0.5) == [typed, words_only]
    assert typed_first([], margin=1.0, lead=0.5) == []


def test_a_runner_up_holding_the_asked_part_clearly_closer_to_the_focus_leads() -> None:
    def window(window_id: int, score: float, part: float) -> Candidate:
        return Candidate(window_id, score, {"part": part})

    far, beside, near = window(1, 21.4, 0.1), window(2, 20.5, 0.9), window(3, 21.0, 0.4)
    assert typed_first([far, near, beside], margin=1.0, lead=0.5) == [beside, far, near]
    assert typed_first([near, beside], margin=1.0, lead=0.5) == [near, beside]  # not clearly closer: the best stays


@pytest.mark.parametrize(
    ("asked", "written", "same"),
    [
        ("благодар", "поблагодар", True),  # the verb with a prefix
        ("поблагодар", "благодар", True),
        ("встреч", "встрет", True),  # most of the beginning shared
        ("каз", "показ", False),  # too short a root to tell
        ("благодар", "неблагодар", False),  # "не" makes another word, not another aspect
        ("говор", "договор", False),  # a short stem with a prefix is too often another word
        ("ставк", "поставк", False),
    ],
)
def test_a_word_matches_its_prefixed_verb_and_shared_beginnings(asked: str, written: str, same: bool) -> None:
    assert same_word(asked, written) is same


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("Первые вагоны выйдут на линию в конце апреля.", "апреля"),
        ("Мост откроют к осени.", "осени"),
        ("В следующем году построят второй мост.", "следующем году"),
        ("В понедельник утром открылось движение.", "понедельник"),
    ],
)
def test_months_seasons_weekdays_and_placed_units_of_time_are_dates(sentence: str, date: str) -> None:
    assert [s.text for s in phrases(sentence) if s.kind is Kind.DATE] == [date]


def test_a_number_of_units_must_measure_what_the_question_measures() -> None:
    said = "Завод перерабатывает 400 тонн сырого молока в сутки."
    sentence = (said, tuple(phrases(said)))
    milk = "Сколько тонн молока перерабатывает завод?"
    cheese = "Сколько тонн сыра перерабатывает завод?"
    assert closeness([sentence], _focus(milk, "тонн молок перерабатыва завод")) > 0.5
    assert closeness([sentence], _focus(cheese, "тонн перерабатыва завод")) == 0.0  # milk is no cheese


@pytest.mark.parametrize(
    ("question", "cases"),
    [
        ("С кем встречался губернатор?", {"ablt"}),
        ("Кому вручили награду?", {"datv"}),
        ("Кто открыл мост?", set()),  # the nominative: the answer may stand in any case ("по словам мэра")
        ("Когда открыли мост?", set()),
    ],
)
def test_an_oblique_question_word_gives_the_case_of_its_answer(question: str, cases: set[str]) -> None:
    assert analyse(question).cases == cases


MEETINGS = (
    "На встрече с мэром Анной Лебедевой губернатор Сергей Тихонов передал привет от министра Олега Маркова. "
    "В Заречье губернатор встретился с мэром Анной Лебедевой и директором завода Иваном Орловым."
)


def test_with_whom_else_wants_another_participant_in_the_asked_case() -> None:
    sentences = _sentences(MEETINGS)
    greeting, meeting = zip((s.text for s in sentences), annotate_article(MEETINGS, sentences), strict=True)
    question = "С кем встречался Тихонов, кроме Лебедевой?"
    # what "кроме" sets aside is known to be one of them: the others stand beside it
    focus = _focus(question, "встреч тихон лебедев")
    assert focus.analysis.cases == {"ablt"}
    # the set-aside mayor's and the asker's governor's roles are no answer; the minister stands in another case
    assert closeness([greeting], focus) <= 0.5
    assert closeness([meeting], focus) > 0.5  # "с ... директором завода Иваном Орловым"


@pytest.mark.parametrize(
    ("question", "priced"),
    [
        ("Сколько стоит билет на автобус?", "билет"),  # nominative or accusative alike
        ("Сколько будет стоить литр молока?", "молоко"),  # a unit: what it measures
        ("Сколько стоил новый мост?", "мост"),
        ("Во сколько обошлось строительство?", ""),  # said otherwise: nothing to check
        ("Сколько денег вложили в мост?", ""),
    ],
)
def test_how_much_something_costs_reads_what_is_priced(question: str, priced: str) -> None:
    analysis = analyse(question)
    assert (analysis.asks, analysis.of) == (Asks.MONEY, priced)


def test_a_sum_answers_what_it_costs_only_in_a_sentence_about_the_thing_priced() -> None:
    text = "Мост построили за 2 млрд рублей. На празднике выступил оркестр. Вклад города составил 85 млн рублей."
    sentences = _sentences(text)
    bridge, concert, share = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    ticket = Focus.of(Analysis(Asks.MONEY, of="билет"), "Сколько стоит билет на концерт?", ["билет", "концерт"])
    assert closeness([concert, share], ticket) == 0.0  # a sum in the window, but of no ticket
    cost = Focus.of(Analysis(Asks.MONEY, of="мост"), "Сколько стоит мост?", ["мост"])
    assert closeness([bridge], cost) > 0.0


def test_a_sum_answers_what_the_sentence_before_it_names() -> None:
    text = (
        "Вчера открыли новый мост. Сооружение обошлось в 2 млрд рублей. "
        "Мостовую площадку завод построил сам. Вклад завода составил 85 млн рублей."
    )
    sentences = _sentences(text)
    opened, price, pad, share = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    cost = Focus.of(Analysis(Asks.MONEY, of="мост"), "Сколько стоит мост?", ["мост"])
    assert closeness([opened, price], cost) > 0.0  # the window names the bridge the next sentence prices
    assert closeness([pad, share], cost) == 0.0  # "мостовая" names no bridge: an adjective of it


def test_a_post_of_something_wants_a_role_of_that_thing() -> None:
    text = (
        "«Центр хорошо знают», — рассказала первый заместитель акима области Асель Нурпеисова. "
        "Гости посетили завод «Заря». Директор предприятия Сергей Кравец показал цех."
    )
    sentences = _sentences(text)
    deputy, visit, director = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    centre = Focus.of(Analysis(Asks.PERSON, post=("директор", "центр")), "Кто директор центра?", ["директор", "центр"])
    # a deputy's head is close to a director's in meaning, but her role is of another thing
    assert closeness([deputy], centre) == 0.0
    plant = Focus.of(Analysis(Asks.PERSON, post=("директор", "заря")), "Кто директор «Зари»?", ["директор", "зар"])
    assert closeness([visit, director], plant) > 0.0  # "директор предприятия" of the plant just named
    assert closeness([director], plant) == 0.0  # alone, the sentence does not say of which


def test_who_holds_a_post_wants_the_one_the_articles_call_so() -> None:
    text = "Губернатор Сергей Тихонов поблагодарил строителей. Мэр Новоозёрска Пётр Иванов открыл мост."
    sentences = _sentences(text)
    thanks, opening = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    focus = Focus.of(Analysis(Asks.PERSON, post=("мэр", "новоозёрск")), "Кто мэр Новоозёрска?", ["мэр", "новоозёрск"])
    assert closeness([opening], focus) > 0.5
    assert closeness([thanks], focus) == 0.0  # a person, but not the mayor


@pytest.mark.parametrize(
    ("sentence", "duration"),
    [
        ("Строители налаживали связи не один год.", "один год"),
        ("Они дружат много лет.", "много лет"),
        ("Ремонт занял несколько месяцев.", "несколько месяцев"),
        ("В первый год всё шло хорошо.", None),  # which year, not how long
    ],
)
def test_a_duration_may_be_said_without_a_figure(sentence: str, duration: str | None) -> None:
    found = [s.text for s in phrases(sentence) if s.kind is Kind.DURATION]
    assert found == ([duration] if duration else [])


def test_an_english_question_is_focused_by_the_article_words_its_words_are_bridged_to() -> None:
    text = "Дорогу отремонтировали за 300 млн рублей. Мост построили за 2 млрд рублей."
    sentences = _sentences(text)
    road, bridge = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    question = "How much did the bridge cost?"
    terms = tuple(Term(w, w, None, 1.0, False, True) for w in ("bridge", "cost"))
    reading = Reading(question, question, "en", Form.QUESTION, Analysis(Asks.MONEY), terms)
    bridged = {"bridge": Bridged("bridge", stem("мост"), 7.0, 1.0), "cost": Bridged("cost", "стоим", 2.0, 0.0)}
    focus = focus_of(reading, bridged)
    assert focus.focus_stems == {stem("мост")}  # a word bridged to nothing is no focus
    assert closeness([bridge], focus) > closeness([road], focus)
    assert closeness([bridge], focus_of(reading)) == closeness([road], focus_of(reading))  # unbridged: no focus


def test_a_russian_word_matched_by_meaning_anchors_only_when_of_the_same_root() -> None:
    question = "Кто пригласил мэра и сколько стоит мост?"
    terms = tuple(Term(w, w, None, 1.0, False, False) for w in ("пригласил", "стоит"))
    reading = Reading(question, question, "ru", Form.QUESTION, Analysis(Asks.PERSON), terms)
    bridged = {
        "пригласил": Bridged("пригласил", "приглашен", 0.49, 0.25),  # "по приглашению": its root
        "стоит": Bridged("стоит", "доллар", 0.40, 0.09),  # near in navec only, and the answer's own unit
    }
    assert focus_of(reading, bridged).focus_stems == {"приглашен"}


@pytest.mark.parametrize(
    ("question", "several"),
    [
        ("Какие продукты выпускает завод?", True),
        ("С кем встречался мэр?", True),  # everyone met
        ("Какой завод посетили гости?", False),
        ("Кто открыл мост?", False),
    ],
)
def test_a_plural_question_word_asks_for_several(question: str, several: bool) -> None:
    assert analyse(question).several is several


def _first_windows_of_two_articles(index) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    first_of: dict[str, int] = {}
    for window_id, window in enumerate(index.windows):
        first_of.setdefault(index.chunks[window.chunk_id].article_id, window_id)
    best_id, other_id = list(first_of.values())[:2]
    return best_id, other_id


def test_a_question_asking_for_several_quotes_runners_up_that_hold_a_candidate(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    index, ranker = tiny_pipeline.index, tiny_pipeline.answerer.ranker
    best_id, other_id = _first_windows_of_two_articles(index)
    best = Candidate(best_id, 10.0, {"part": 0.8})
    holding = Candidate(other_id, 10.0 - ranker.params.list_margin + 0.5, {"part": 0.6})
    lacking = Candidate(other_id, 10.0 - ranker.params.list_margin + 0.5, {"part": 0.0})

    def articles(quotes: list[object]) -> set[str]:
        return {q.article_id for q in quotes}  # type: ignore[attr-defined]

    assert len(articles(ranker.choose([best, holding]))) == 1  # one answer: the best window's article
    assert len(articles(ranker.choose([best, holding], several=True))) == 2
    assert len(articles(ranker.choose([best, lacking], several=True))) == 1  # no candidate of what is asked


def test_a_close_window_elsewhere_is_quoted_as_a_second_opinion(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    index, ranker = tiny_pipeline.index, tiny_pipeline.answerer.ranker
    best_id, other_id = _first_windows_of_two_articles(index)
    best = Candidate(best_id, 10.0, {})
    quotes = ranker.choose([best])
    close = Candidate(other_id, 10.0 - ranker.params.other_margin + 0.5, {})
    far = Candidate(other_id, 10.0 - ranker.params.other_margin - 0.5, {})
    (second,) = ranker.seconded([best, close], quotes, frozenset())
    assert second.article_id != quotes[0].article_id
    assert second.sentence_ids == tuple(range(index.windows[other_id].first, index.windows[other_id].last + 1))
    assert ranker.seconded([best, far], quotes, frozenset()) == []
    quoted = set(quotes[0].sentence_ids)
    overlapping = next(
        i for i, w in enumerate(index.windows) if i != best_id and quoted & set(range(w.first, w.last + 1))
    )
    assert ranker.seconded([best, Candidate(overlapping, 9.9, {})], quotes, frozenset()) == []  # quoted already


def test_a_noun_with_two_names_in_apposition_is_one_class_span() -> None:
    # "завод «Гранит» и «Кварц»" as the parser may read it: both names in apposition to the noun
    def token(id_: str, head: str, rel: str, pos: str, text: str, start: int) -> SimpleNamespace:
        return SimpleNamespace(id=id_, head_id=head, rel=rel, pos=pos, text=text, start=start, stop=start + len(text))

    tokens = [
        token("1_1", "1_0", "root", "NOUN", "завод", 0),
        token("1_2", "1_1", "appos", "PROPN", "Гранит", 7),
        token("1_3", "1_1", "appos", "PROPN", "Кварц", 18),
    ]
    named = [Span(Kind.ORG, 7, 13, "Гранит"), Span(Kind.ORG, 18, 23, "Кварц")]
    assert noun_spans(tokens, named) == [Span(Kind.CLASS, 0, 5, "завод", "ORG")]


def test_a_long_role_phrase_before_the_name_says_who_the_named_one_is() -> None:
    text = "В форуме участвовал вице-министр торговли и интеграции Республики Заречье Данияр Оспанов."
    spans = annotate_article(text, [Sentence("a", 0, len(text), text)])[0]
    who = Focus.of(Analysis(Asks.ROLE, (stem("оспанов"),)), "кто такой Оспанов", [stem("оспанов")])
    assert closeness([(text, spans)], who) > 0.0
    other = "Выступили вице-министр торговли Республики Заречье Пётр Иванов и Данияр Оспанов."
    other_spans = annotate_article(other, [Sentence("a", 0, len(other), other)])[0]
    assert closeness([(other, other_spans)], who) == 0.0  # the role is Ivanov's


def test_an_enumeration_answers_which_things_not_which_thing() -> None:
    text = "Завод будет выпускать молоко, кефир, творог и сметану."
    spans = annotate_article(text, [Sentence("a", 0, len(text), text)])[0]
    (listed,) = [s for s in spans if s.kind is Kind.LIST]
    assert (listed.text, listed.value) == ("молоко, кефир, творог и сметану", "молоко кефир творог сметана")
    focus = [stem("выпускать"), stem("завод")]
    several = Focus.of(Analysis(Asks.VALUE, ("продукт",), several=True), "Какие продукты выпускает завод?", focus)
    assert closeness([(text, spans)], several) > 0.0
    one = Focus.of(Analysis(Asks.VALUE, ("продукт",)), "Какой продукт выпускает завод?", focus)
    assert closeness([(text, spans)], one) == 0.0  # one thing is asked: a list is no answer
    two = "Завод будет выпускать молоко и кефир."
    assert not [s for s in annotate_article(two, [Sentence("a", 0, len(two), two)])[0] if s.kind is Kind.LIST]


def test_a_role_in_the_next_sentence_is_not_the_named_one_s() -> None:
    first, second = "Форум открыл Данияр Оспанов.", "Затем выступил министр торговли."
    text = f"{first} {second}"
    sentences = _sentences(text)
    window = list(zip((s.text for s in sentences), annotate_article(text, sentences), strict=True))
    who = Focus.of(Analysis(Asks.ROLE, (stem("оспанов"),)), "кем работает Оспанов", [stem("оспанов")])
    assert closeness(window, who) == 0.0  # the minister is someone else, however near the name across the stop


def test_as_what_someone_works_is_asked_of_the_person_it_names(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    reading, _ = tiny_pipeline.read("Кем работает Петров на фестивале?")
    assert reading.analysis.asks is Asks.ROLE
    assert reading.analysis.noun == (stem("петров"),)  # the role must stand by him, not by "фестиваль"


def test_a_role_phrase_may_hold_an_organisation_s_acronym_and_quoted_name() -> None:
    text = "— пояснил директор МУП «Горсвет» Виктор Пасечник."
    role = role_before(text, 0, text.index("Виктор"))
    assert role is not None
    assert (role.head, role.text) == ("директор", "директор МУП Горсвет")


def test_a_post_of_a_named_place_is_of_that_place_only() -> None:
    text = "Встречу открыл Президент Беларуси Иван Петров."
    sentences = _sentences(text)
    (opening,) = zip((s.text for s in sentences), annotate_article(text, sentences), strict=True)
    belarus = Focus.of(Analysis(Asks.PERSON, post=("президент", "беларусь")), "Кто президент Беларуси?", ["беларус"])
    assert closeness([opening], belarus) > 0.0
    # navec puts the two countries close; a name is met only by itself
    other = Focus.of(Analysis(Asks.PERSON, post=("президент", "казахстан")), "Кто президент Казахстана?", ["казахста"])
    assert closeness([opening], other) == 0.0


def test_the_title_a_name_bears_says_who_the_named_one_is_best() -> None:
    who = Focus.of(Analysis(Asks.ROLE, (stem("оспанов"),)), "кто такой Оспанов", [stem("оспанов")])
    titled = "Председатель комитета Данияр Оспанов открыл форум."
    spans = annotate_article(titled, [Sentence("a", 0, len(titled), titled)])[0]
    assert closeness([(titled, spans)], who) == 1.0  # the phrase ends at his name: it is his title
    beside = "Министр торговли Пётр Иванов и Данияр Оспанов говорили о ценах."
    beside_spans = annotate_article(beside, [Sentence("a", 0, len(beside), beside)])[0]
    assert closeness([(beside, beside_spans)], who) < 1.0  # another's title, Ivanov's name between


def test_a_list_may_take_twice_the_room_of_one_answer(tiny_pipeline) -> None:  # type: ignore[no-untyped-def]
    index = tiny_pipeline.index
    best_id, other_id = _first_windows_of_two_articles(index)
    texts = [window_text(index.chunks, index.windows[i], index.sentences) for i in (best_id, other_id)]
    room = replace(tiny_pipeline.params.evidence, max_chars=max(len(t) for t in texts) + 1)
    ranker = EvidenceRanker(index, room, candidates=10)
    best = Candidate(best_id, 10.0, {"part": 0.8})
    holding = Candidate(other_id, 9.0, {"part": 0.6})
    assert len(ranker.choose([best, holding], several=True)) == 2  # together they fit in twice the room only


def test_a_translation_that_heads_an_article_compound_is_its_measure() -> None:
    asked = analyse("What is the cargo turnover of the port?")
    assert asked.asks is Asks.VALUE
    # "turnover" translates as "оборот", the head of the articles' "грузооборот", which they give in numbers
    assert asked.typed(frozenset({"грузооборот"}), {}, ("оборот",)).asks is Asks.AMOUNT
    assert asked.typed(frozenset({"грузооборот"}), {}, ("груз",)).asks is Asks.VALUE  # no head of it


@pytest.mark.parametrize(
    ("question", "noun"),
    [
        ("Сколько рабочих было на стройке?", ("рабочий",)),  # an adjective used as a noun: its noun reading
        ("Сколько рабочих мест создано?", ("место",)),  # an adjective before its noun
        ("Сколько новых было открыто?", ()),  # "новое" is another word than "новый"
    ],
)
def test_a_counted_adjective_no_noun_follows_counts_its_noun(question: str, noun: tuple[str, ...]) -> None:
    assert analyse(question).noun == noun


def test_years_spent_on_something_are_no_age() -> None:
    age = Focus.of(Analysis(Asks.AGE, ("год",)), "Сколько лет Ковалёвой?", [stem("ковалёвой")])
    spent = "Марина Ковалёва последние восемь лет руководила больницей."
    assert closeness([(spent, phrases(spent))], age) == 0.0  # how long she led it
    told = "Марине Ковалёвой исполнилось 45 лет."
    assert closeness([(told, phrases(told))], age) > 0.5
    aged = "Больницу возглавила 45-летняя Марина Ковалёва."
    assert closeness([(aged, phrases(aged))], age) > 0.5


def _dated(sentence: str, date: str, value: str) -> tuple[str, tuple[Span, ...]]:
    start = sentence.index(date)
    return sentence, (Span(Kind.DATE, start, start + len(date), date, value),)


def test_a_year_or_month_asked_wants_a_date_that_gives_it() -> None:
    year = Focus.of(analyse("В каком году открыли завод?"), "В каком году открыли завод?", [stem("завод")])
    assert closeness([_dated("Завод открыли 14 апреля.", "14 апреля", "4-14")], year) == 0.0
    assert closeness([_dated("Завод открыли в 2024 году.", "2024 году", "2024")], year) > 0.5
    assert closeness([_dated("Завод открыли в прошлом году.", "прошлом году", "год")], year) > 0.5
    assert closeness([_dated("Завод открыли сегодня.", "сегодня", "сегодня")], year) == 0.0  # a day, no year
    month = Focus.of(analyse("В каком месяце открыли завод?"), "В каком месяце открыли завод?", [stem("завод")])
    assert closeness([_dated("Завод открыли в 2024 году.", "2024 году", "2024")], month) == 0.0
    assert closeness([_dated("Завод открыли 14 апреля.", "14 апреля", "4-14")], month) > 0.5
    english = Focus.of(analyse("what year was the plant opened"), "what year was the plant opened", [stem("завод")])
    assert closeness([_dated("Завод открыли 14 апреля.", "14 апреля", "4-14")], english) == 0.0


def test_a_date_of_an_event_on_the_other_side_of_today_is_a_weaker_answer() -> None:
    held = _dated("Второй форум прошёл 10 июня.", "10 июня", "6-10")
    coming = _dated("Третий форум пройдёт в 2027 году.", "2027 году", "2027")
    past = Focus.of(analyse("Когда проходил форум?"), "Когда проходил форум?", [stem("форум")])
    future = Focus.of(analyse("Когда пройдёт форум?"), "Когда пройдёт форум?", [stem("форум")])
    assert closeness([held], past) > closeness([coming], past) > 0.0
    assert closeness([coming], future) > closeness([held], future) > 0.0
    either = Focus.of(analyse("Когда форум?"), "Когда форум?", [stem("форум")])
    assert min(closeness([held], either), closeness([coming], either)) > 0.7  # no tense asked: neither is weakened


def test_a_number_written_with_a_symbol_stands_by_the_noun_it_counts() -> None:
    sentence = "Пассажиропоток аэропорта в прошлом году вырос на 18%."
    assert symbol_nouns(phrases(sentence)) == "процент"
    asked = "На сколько процентов вырос пассажиропоток?"
    focus = Focus.of(analyse(asked), asked, [stem("процентов"), stem("вырос")])
    far = "Рост заметен: на 18% больше, чем годом ранее, сообщили в аэропорту."
    assert closeness([(far, phrases(far))], focus) == 1.0  # "%" is the counted "процент" itself


@pytest.mark.parametrize(
    ("sentence", "money"),
    [
        ("Инвестиции в терминал оцениваются в 6,8 млрд тенге.", "6,8 млрд тенге"),
        ("Кредит на 300 млн гривен выдал банк.", "300 млн гривен"),
        ("Товары продают в 3 странах.", None),  # a country is no currency, however close to money in navec
        ("Цены выросли на 5 рынках.", None),
        ("Инвесторы из обеих стран вложились в парк.", None),  # no figure: no sum
    ],
)
def test_a_figure_of_a_currency_the_extractor_does_not_know_is_money(sentence: str, money: str | None) -> None:
    spans = annotate_article(sentence, _sentences(sentence))[0]
    assert next((s.text for s in spans if s.kind is Kind.MONEY), None) == money


def _tokens(text: str) -> list[object]:
    from natasha import Doc, Segmenter

    doc = Doc(text)
    doc.segment(Segmenter())
    return list(doc.tokens)


def _span(text: str, kind: Kind, name: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(name, start + 1)
    return Span(kind, start, start + len(name), name, name)


def test_a_person_the_tagger_misses_once_is_tagged_as_elsewhere_in_the_article() -> None:
    text = "Спикер Сената Бакытжан Нурланов прибыл в Ригу. Бакытжана Нурланова встретили коллеги."
    tagged = [_span(text, Kind.PER, "Бакытжана Нурланова"), _span(text, Kind.LOC, "Ригу")]  # the first one missed
    (added,) = _missed_mentions(_tokens(text), tagged)
    assert (added.kind, added.text, added.value) == (Kind.PER, "Бакытжан Нурланов", "Бакытжана Нурланова")
    assert text[added.start : added.end] == "Бакытжан Нурланов"


def test_only_sure_names_of_persons_are_carried_over() -> None:
    text = "Президента встретили в Новоборске. Президент Новоборска выступил. В Новоборске тепло."
    tagged = [
        _span(text, Kind.PER, "Президента"),  # a common noun the tagger took for a name
        _span(text, Kind.PER, "Новоборска"),  # a place the tagger calls a person once
        _span(text, Kind.LOC, "Новоборске"),
    ]
    assert _missed_mentions(_tokens(text), tagged) == []
