"""How a question is read: language, form, what it asks for, its terms against the articles' words."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.answer.evidence import _cut_at_quotation, balanced, continues
from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from embeddings.retrieve.analysis import Asks, asking_span
from embeddings.retrieve.dictionary import russian_for
from embeddings.retrieve.forms import Form
from embeddings.retrieve.reading import TRANSLATIONS
from embeddings.retrieve.syntax import parsed
from embeddings.retrieve.words import cyrillic_spellings, misspelt
from embeddings.text import is_acronym
from tests.conftest import ANSWER_ALL
from tests.support.fakes import FakeEncoder


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("Сколько зрителей собрал фестиваль?", "ru"),
        ("Фестиваль қашан өтеді?", "kk"),
        ("Ресми сапар", "kk"),  # Kazakh without its own letters: neither Russian nor the articles' words
        ("Фестиваль открыл новый бар?", "ru"),  # "бар", Kazakh "there is" too, marks no Kazakh question
        ("How many people came to the festival?", "en"),
        ("skolko zritelej sobral festival", "ru-latn"),
        ("Koshanov byl na festivale?", "ru-latn"),  # "na" reads in both languages: it decides nothing
    ],
)
def test_the_language_of_a_question(tiny_pipeline: Pipeline, question: str, language: str) -> None:
    assert tiny_pipeline.reader.language(question) == language


def test_russian_typed_in_latin_is_searched_in_cyrillic(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("skolko zritelej sobral festival")
    assert reading is not None
    assert reading.searched == "сколько зрителей собрал фестиваль"
    assert reading.analysis.asks is Asks.NUMBER
    assert "щ" in cyrillic_spellings("shchi")[0]


def test_a_digit_for_a_letter_and_latin_words_among_cyrillic_are_read_as_russian(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("4to sobral festival")  # "4" for "ч"
    assert reading is not None
    assert reading.searched == "что собрал фестиваль"
    reading, _ = tiny_pipeline.read("a kogda? Сколько зрителей собрал фестиваль?")  # a follow-up with its topic
    assert reading is not None
    assert reading.searched.startswith("a когда? Сколько")
    assert reading.analysis.asks is Asks.DATE


@pytest.mark.parametrize(
    ("question", "form", "kind"),
    [
        ("Гродно", Form.LOOKUP, Asks.OPEN),
        ("трактора заводы", Form.LOOKUP, Asks.OPEN),
        ("Что такое фестиваль?", Form.LOOKUP, Asks.OPEN),
        ("Кто такой Иван Петров?", Form.WHO_IS, Asks.ROLE),
        ("Петров кім?", Form.WHO_IS, Asks.ROLE),
        ("who is Ivan Petrov", Form.WHO_IS, Asks.ROLE),
        ("Кто министр торговли?", Form.QUESTION, Asks.PERSON),  # who holds a post: a person
        ("Выступали ли оркестры на фестивале?", Form.YES_NO, Asks.OPEN),
        ("Did orchestras play at the festival?", Form.YES_NO, Asks.OPEN),
        ("Фестиваль Гроднода өте ме?", Form.YES_NO, Asks.OPEN),
        ("Когда пройдёт фестиваль?", Form.QUESTION, Asks.DATE),
        ("Фестиваль қашан өтеді?", Form.QUESTION, Asks.DATE),
        ("Фестивальге қанша көрермен келді?", Form.QUESTION, Asks.NUMBER),
        ("Где пройдёт фестиваль?", Form.QUESTION, Asks.PLACE),
        ("пачему товарооборот вырос", Form.QUESTION, Asks.REASON),  # a misspelt question word
        ("Кто министр Гродно?", Form.QUESTION, Asks.PERSON),  # who holds a post, with a place in it
        ("Кто министр Петров?", Form.WHO_IS, Asks.ROLE),  # what someone named is
    ],
)
def test_the_form_and_what_is_asked(tiny_pipeline: Pipeline, question: str, form: Form, kind: Asks) -> None:
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    assert (reading.form, reading.analysis.asks) == (form, kind)


def test_who_holds_a_post_reads_the_post(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("Кто министр Гродно?")
    assert reading is not None
    assert reading.analysis.post == ("министр", "гродно")


def test_the_noun_that_names_the_kind_asked_is_no_term_to_find(tiny_pipeline: Pipeline) -> None:
    for question, noun in [("what date was the festival", "date"), ("В каком году прошёл фестиваль?", "году")]:
        reading, _ = tiny_pipeline.read(question)
        assert reading is not None
        assert reading.analysis.asks is Asks.DATE
        term = next(t for t in reading.terms if t.word == noun)
        assert term.background  # searched, but the answer gives a date, not the word
        assert term not in reading.focus


def test_a_cost_verb_the_articles_do_not_use_is_no_term_to_find(tiny_pipeline: Pipeline) -> None:
    # the articles never say "обойтись": the sum answers, the verb need not stand beside it
    reading, _ = tiny_pipeline.read("Во сколько обошёлся фестиваль?")
    assert reading is not None
    assert (reading.analysis.asks, reading.analysis.kind_noun) == (Asks.MONEY, "обошелся")  # folded
    assert [t.word for t in reading.focus] == ["фестиваль"]


def test_who_is_the_holder_of_a_post_in_english_reads_the_post(tiny_pipeline: Pipeline) -> None:
    minister, _ = tiny_pipeline.read("who is the minister of trade")
    assert minister is not None
    # the articles' own word for trade may not be the dictionary's: only the post is held to
    assert (minister.analysis.asks, minister.analysis.post) == (Asks.PERSON, ("министр",))
    assert "minister" not in {t.word for t in minister.focus}  # its holder answers, under whatever post word
    culture, _ = tiny_pipeline.read("who is the minister of culture")
    assert culture is not None
    assert culture.analysis.post[0] == "министр"
    assert "культура" in culture.analysis.post  # a thing they never name: the post must be of it
    grodno, _ = tiny_pipeline.read("who is the minister of Grodno")
    assert grodno is not None
    assert grodno.analysis.post == ("министр", "гродн")  # a name, as the articles spell it


def test_who_does_what_a_post_is_named_after_reads_the_post_unless_the_articles_use_the_verb(
    tmp_path: Path,
) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_plant.txt").write_text(
        " date 2026-03-01 Завод открылся\n\nЗавод строили два года. Директор завода Иван Петров показал цех. "
        "Глава округа Анна Ершова поблагодарила строителей.\n"
    )
    settings = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    pipeline = Pipeline.open(settings, encoder=FakeEncoder())
    leads, _ = pipeline.read("Кто руководит заводом?")
    assert leads is not None
    assert leads.analysis.post == ("руководитель", "завод")  # the one whose post that is
    built, _ = pipeline.read("Кто строил завод?")
    assert built is not None
    assert built.analysis.post == ()  # the articles say who built it, whatever they are
    opened, _ = pipeline.read("Кто открывал цех?")
    assert opened is not None
    assert opened.analysis.post == ()  # an "открыватель" is no post like the articles' "директор"
    heads, _ = pipeline.read("Кто возглавляет округ?")
    assert heads is not None
    assert heads.analysis.post == ("глава", "округ")  # no "-тель" noun; the articles' role its root holds
    assert [t.word for t in heads.focus] == ["округ"]  # the holder answers: "возглавляет" need not stand by her
    (seeds / "002_plant.txt").write_text(" date 2026-03-02 Цех\n\nРуководитель цеха Олег Сидоров рассказал о планах.\n")
    pipeline = Pipeline.open(settings, encoder=FakeEncoder())
    leads, _ = pipeline.read("Кто руководит цехом?")
    assert leads is not None
    assert leads.analysis.post == ("руководитель", "цех")  # the verb found as its own post still asks the holder


@pytest.mark.parametrize(
    ("question", "stem"),
    [
        ("Петровпен кездесті ме?", "петр"),  # a Kazakh ending on a name of the articles
        ("фестивальда кім болды?", "фестивал"),
        ("трактор", "трактор"),  # another form, sharing most of its beginning
        ("Фестевалем", "фестивал"),  # a typo
        ("festival", "фестивал"),  # Russian typed in Latin
    ],
)
def test_words_map_onto_the_articles_stems(tiny_pipeline: Pipeline, question: str, stem: str) -> None:
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    assert stem in {t.stem for t in reading.terms}


def test_russian_typed_in_latin_letters_gets_its_soft_sign_back(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("kakaya dolzhnost u petrova")
    assert reading is not None
    assert reading.searched.startswith("какая должность у ")  # a dictionary word: read as a kind of answer
    assert reading.analysis.asks is Asks.ROLE


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Что Петров сказал о Зеленском?", "Зеленский"),
        ("Что было на фестивале в 2025 году?", "2025"),
        ("Продавали ли на фестивале iPhone?", "iPhone"),
        ("Петров МТЗ туралы не айтты?", "МТЗ"),
        ("what did Petrov say about Zelensky", "Zelensky"),
    ],
)
def test_a_name_the_articles_never_use_is_missing(tiny_pipeline: Pipeline, question: str, missing: str) -> None:
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    assert reading.missing is not None
    assert reading.missing.display() == missing
    answer = tiny_pipeline.ask(question)
    assert (answer.status.value, answer.missing, answer.evidence) == ("not_found", missing, ())


def test_a_name_in_the_askers_introduction_is_background_never_missing(tiny_pipeline: Pipeline) -> None:
    question = "Здравствуйте, я из Караганды, пишу курсовую. Что Петров сказал о Зеленском?"
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    background = {t.word for t in reading.terms if t.background}
    assert "караганды" in background
    assert reading.missing is not None
    assert reading.missing.display() == "Зеленский"  # the asking sentence's name is still looked for
    alone, _ = tiny_pipeline.read("Я из Караганды. Что сказал Петров?")
    assert alone is not None
    assert alone.missing is None
    assert "караганды" not in {t.word for t in alone.focus}


@pytest.mark.parametrize(
    "question",
    [
        "я студентка из караганды, скажите плз что сказал петров",  # typed on a phone: a comma, no full stop
        "я из караганды подскажите что сказал петров",  # the imperative turns to the reader
    ],
)
def test_an_introduction_in_the_asking_sentence_is_background(tiny_pipeline: Pipeline, question: str) -> None:
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    assert reading.missing is None
    assert {"караганды", "петров"} <= {t.word for t in reading.terms}
    assert "караганды" not in {t.word for t in reading.focus}


@pytest.mark.parametrize(
    "question",
    ["мы с Петровым сколько раз встречались", "Петров, скажите, что сказал мэр"],  # no self-introduction
)
def test_a_question_not_opened_by_an_introduction_is_asked_whole(question: str) -> None:
    start, _ = asking_span(question)
    assert start == 0


def test_what_a_question_asks_about_must_be_in_the_articles(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("Что Петров сказал о хоккее?")
    assert reading is not None
    assert {t.word for t in reading.terms if t.topic} == {"хоккее"}
    answer = tiny_pipeline.ask("Что Петров сказал о хоккее?")
    assert (answer.status.value, answer.missing) == ("not_found", "хоккей")


def test_a_subject_without_the_asked_part_is_partial(tiny_pipeline: Pipeline) -> None:
    answer = tiny_pipeline.ask("Сколько стоит трактор Петрова?")
    assert (answer.status.value, answer.missing) == ("partial", "money")
    assert not answer.found
    assert answer.evidence  # what the articles do say about it


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ('"Надо их вплетать в этот процесс", - сказал он.', True),
        ('Надо их вплетать в этот процесс", - сказал он.', False),
        ("«Мы откроем заводы.» И ещё «один»", True),
        ("«Мы откроем заводы.", False),
        ("Он сказал: «да».»", False),
        ('Лукашенко отметил: "Мы знаем, взоры кого устремлены.', False),  # a straight quote after a colon opens
        ("„да“ и «нет»", True),
        ("“yes” and «no»", True),
    ],
)
def test_quotation_marks_balance(text: str, ok: bool) -> None:
    assert balanced(text) is ok


def test_a_quote_is_cut_at_the_quotation_it_cannot_close() -> None:
    text = 'Иван Петров, министр торговли: "Мы откроем новые заводы. Их будет три'
    start, end, cut = _cut_at_quotation(text, 100, frozenset({"министр", "торговл"}))
    assert cut == "Иван Петров, министр торговли:"
    assert (start, end) == (100, 100 + len(cut))
    start, end, cut = _cut_at_quotation(text, 100, frozenset({"завод"}))
    assert cut == "Мы откроем новые заводы. Их будет три"
    assert text[start - 100 : end - 100] == cut


@pytest.mark.parametrize(
    ("question", "aside"),
    [
        ("Кто, кроме Петрова, выступал на фестивале?", {"петрова"}),
        ("Какие страны, помимо Беларуси и Казахстана, прислали оркестры?", {"беларуси", "казахстана"}),
        ("Who spoke at the festival besides Petrov?", {"petrov"}),
        ("Что было на фестивале кроме оркестров", {"оркестров"}),
        ("Who besides Petrov spoke at the festival?", {"petrov"}),  # the name only, not what follows
        ("Кроме Петрова Иванов с кем выступал?", {"петрова"}),  # one noun phrase
        ("Петровтан басқа кім сөйледі?", {"петровтан"}),  # Kazakh: the ablative before "басқа"
    ],
)
def test_what_except_sets_aside_is_neither_asked_nor_missing(
    tiny_pipeline: Pipeline, question: str, aside: set[str]
) -> None:
    reading, _ = tiny_pipeline.read(question)
    assert reading is not None
    assert {t.word for t in reading.excluded} == aside
    assert not aside & {t.word for t in reading.terms}  # no credit for holding them, no anchor for a candidate
    assert reading.missing is None  # a name set aside is never "not mentioned"


@pytest.mark.parametrize("question", ["Кто такой Иван Петров?", "who is Ivan Petrov?", "kto takoi Petrov"])
def test_who_is_finds_the_role_beside_the_name_in_any_alphabet(tiny_pipeline: Pipeline, question: str) -> None:
    answer = tiny_pipeline.ask(question)
    assert answer.status.value == "answer"
    assert "Министр торговли Иван Петров" in answer.evidence[0].text


def test_the_noun_naming_the_role_asked_is_no_part_of_whom_it_is_asked(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("Петров кто по должности?")
    assert reading is not None
    assert reading.analysis.asks is Asks.ROLE
    assert [t.word for t in reading.subject] == ["петров"]  # not "должности", which no role sentence need hold
    assert all(t.background for t in reading.terms if t.word == "должности")


def test_a_count_of_a_noun_the_articles_never_use_is_a_part_they_lack(tiny_pipeline: Pipeline) -> None:
    rules_only = Pipeline(tiny_pipeline.index, tiny_pipeline.encoder, params=ANSWER_ALL, top_k=tiny_pipeline.top_k)
    counted = rules_only.ask("Сколько зрителей собрал фестиваль?")
    assert counted.status.value == "answer"
    assert "десять тысяч зрителей" in counted.evidence[0].text
    other = rules_only.ask("Сколько билетов продали на фестивале?")  # the number there counts spectators
    assert other.status.value != "answer"  # partial, or not found when most words are not the articles'


@pytest.mark.parametrize(
    ("sentence", "goes_on"),
    [
        ("Он особо подчеркнул, что новая конструкция выдержит любую большую воду.", True),
        ("При этом стороны договорились встречаться каждый год в одном из городов.", True),
        ("Эти меры помогут развитию торговли между странами в ближайшие годы.", True),
        ("Но есть куда стремиться, сказал президент на встрече с делегацией.", True),
        ("Мы откроем новые заводы по выпуску тракторов в трёх областях страны.", False),
        ("В Минске он встретился с президентом и главами обеих палат парламента.", False),
        ("Коротко.", True),  # a fragment
        ("Там основной упор делается на промышленную кооперацию и сельское хозяйство.", True),
        ("Все депутаты возложили цветы к монументу и посетили завод в пригороде.", False),
        ("Каждый раз приезжаю, первое, что в глаза бросается, - это порядок на улицах.", False),
    ],
)
def test_a_sentence_that_points_back_goes_on_from_the_one_before(sentence: str, goes_on: bool) -> None:
    assert continues(sentence) is goes_on


def test_a_question_of_punctuation_alone_gets_no_answer_and_no_error(tiny_pipeline: Pipeline) -> None:
    for question in ("?", "!!! ...", "«»"):
        assert tiny_pipeline.ask(question).status.value == "not_found"


def test_the_topic_a_follow_up_is_read_with_is_asked_not_background(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("а где? Что Петров сказал о Зеленском?")
    assert reading is not None
    assert reading.missing is not None
    assert reading.missing.display() == "Зеленский"


def test_a_misspelt_common_word_is_no_name_but_a_misspelt_name_is(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("Когда пройдёт фистивалль?")  # pymorphy guesses a name
    assert reading is not None
    typo = next(t for t in reading.terms if t.word == "фистивалль")
    assert typo.found
    assert not typo.key  # the articles write it as a dictionary word: no name to hold the quote to
    reading, _ = tiny_pipeline.read("Что сказал Петрав?")
    assert reading is not None
    name = next(t for t in reading.terms if t.word == "петров")  # spelled as the articles write it
    assert name.key


def test_a_word_misspelt_by_a_vowel_is_no_name_the_articles_lack(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("скока детей вазили в москву")  # pymorphy guesses a name: "Вазиля"
    assert reading is not None
    assert misspelt("вазили") == "возили"
    assert not next(t for t in reading.terms if t.word == "вазили").key
    assert reading.missing is None or reading.missing.word != "вазили"
    assert misspelt("кошанов") is None  # a surname stays one
    reading, _ = tiny_pipeline.read("Что сказал Вазилин?")
    assert reading is not None
    assert next(t for t in reading.terms if t.word == "вазилин").key  # capitalised inside: a name


def test_an_acronym_has_two_capitals_at_least() -> None:
    assert is_acronym("AI")
    assert is_acronym("MPs")
    assert is_acronym("МУП")
    assert not is_acronym("Is")  # a capital and a plural "s"
    assert not is_acronym("Minsk")


def test_an_english_acronym_the_articles_never_write_is_no_proof_of_absence(tiny_pipeline: Pipeline) -> None:
    # English acronyms are often the articles' own in Cyrillic letters ("AI": "ИИ", "MPs": "депутаты")
    for question, acronym in [("what did MPs say about AI", "ai"), ("tractors in the CIS", "cis")]:
        reading, _ = tiny_pipeline.read(question)
        assert reading is not None
        term = next(t for t in reading.terms if t.word == acronym)
        assert not term.found
        assert not term.key
    reading, _ = tiny_pipeline.read("Что Петров сказал о НАТО?")  # in a Russian question, absent as a name is
    assert reading is not None
    assert reading.missing is not None
    assert reading.missing.display() == "НАТО"


def test_an_english_word_is_an_article_word_only_as_its_translation_or_spelling(tiny_pipeline: Pipeline) -> None:
    reader = tiny_pipeline.reader
    assert not reader._translates_to("cost", "костн")  # a stem that begins like it is no translation of it
    assert reader._translates_to("minister", "министр")  # the dictionary's translation
    assert reader._translates_to("regions", "регион")  # spelled letter for letter
    assert reader._translates_to("hub", "hub")  # the articles write it in Latin letters too


def test_pronouns_are_no_terms_of_a_question(tiny_pipeline: Pipeline) -> None:
    reading, _ = tiny_pipeline.read("Зачем стране свой фестиваль и их оркестры?")
    assert reading is not None
    assert {t.word for t in reading.terms} == {"стране", "фестиваль", "оркестры"}


def test_a_role_the_articles_never_name_is_missing_like_a_name(tiny_pipeline: Pipeline) -> None:
    absent, _ = tiny_pipeline.read("О чём Петров говорил с послом?")
    assert absent is not None
    assert absent.missing is not None
    assert absent.missing.word == "послом"
    named, _ = tiny_pipeline.read("О чём говорил министр?")
    assert named is not None
    assert named.missing is None
    answer = tiny_pipeline.ask("О чём Петров говорил с послом?")
    assert (answer.status.value, answer.missing) == ("not_found", "посол")  # named in its dictionary form


def test_an_english_noun_is_typed_by_the_senses_the_articles_use(tiny_pipeline: Pipeline) -> None:
    reader = tiny_pipeline.reader
    assert "торговля" in reader._senses("trade")  # the dictionary's fourth sense, the one the articles use
    assert reader._senses("violin") == russian_for("violin")[:TRANSLATIONS]  # none used: the commonest


def _port(tmp_path: Path, sentence: str) -> Pipeline:
    """The pipeline over one article about a port: `sentence`, then another."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "001_port.txt").write_text(f" date 2026-03-01 Порт\n\n{sentence} Порт открыл новый причал.\n")
    settings = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    return Pipeline.open(settings, encoder=FakeEncoder())


def test_a_misspelt_measure_noun_asks_the_amount_the_articles_give(tmp_path: Path) -> None:
    pipeline = _port(tmp_path, "Порт перевалил 12 млн тонн грузооборота.")
    reading, _ = pipeline.read("какой грузаабарот порта")  # two letters off: found by its sound
    assert reading is not None
    assert reading.analysis.asks is Asks.AMOUNT


def test_a_noun_written_as_a_symbol_is_a_word_the_articles_use(tmp_path: Path) -> None:
    pipeline = _port(tmp_path, "За год грузооборот порта вырос на 18%.")
    reading, _ = pipeline.read("на сколько процентов вырос грузооборот порта?")
    assert reading is not None
    assert next(t for t in reading.terms if t.word == "процентов").found  # "18%" says it
    ranker = pipeline.answerer.ranker
    window = next(i for i, w in enumerate(pipeline.index.windows) if "18%" in pipeline.index.sentences[w.first].text)
    assert "процентов" not in {t.word for t in ranker.lacking(reading, {}, None, window)}  # the window says it too


def test_the_later_words_of_a_multiword_preposition_are_no_terms(tiny_pipeline: Pipeline) -> None:
    assert parsed("Насколько вырос товарооборот по сравнению с прошлым годом?").fixed == {"сравнению", "с"}
    reading, _ = tiny_pipeline.read("Насколько вырос товарооборот по сравнению с прошлым годом?")
    assert reading is not None
    assert "сравнению" not in {t.word for t in reading.focus}  # the articles need not write it
    assert "товарооборот" in {t.word for t in reading.focus}


def test_alternatives_are_read_from_the_parse() -> None:
    assert parsed("что он сказал про однополярный мир или многополярный").alternatives == (
        frozenset({"однополярный", "многополярный"}),
    )
    assert parsed("Порт был в Мурманске или в Архангельске?").alternatives == (
        frozenset({"мурманске", "архангельске"}),
    )
    assert parsed("Порт открыл причал и склад?").alternatives == ()  # both are asked of


def test_an_alternative_the_articles_lack_is_no_term_when_another_is_there(tmp_path: Path) -> None:
    pipeline = _port(tmp_path, "Порт в Мурманске перевалил 12 млн тонн грузов.")
    reading, _ = pipeline.read("Порт в Мурманске или в Архангельске?")
    assert reading is not None
    assert "архангельске" not in {t.word for t in reading.focus}  # the articles answer by the other
    assert reading.missing is None
    reading, _ = pipeline.read("Порт в Архангельске или в Вологде?")
    assert reading is not None
    assert reading.missing is not None  # neither is there


def test_a_noun_that_acts_asks_which_not_how_much(tmp_path: Path) -> None:
    pipeline = _port(tmp_path, "Около трети грузов компания закупает у 17 фермерских хозяйств региона.")
    assert "компания" in pipeline.reader.measures  # its subject is read as given in numbers
    reading, _ = pipeline.read("Какая компания построила причал?")
    assert reading is not None
    assert reading.analysis.asks is Asks.VALUE
    assert parsed("Какая компания построила причал?").agents == {"компания"}
    assert parsed("Какой причал открылся?").agents == {"причал"}
    assert parsed("Какой объём грузов у порта?").agents == frozenset()  # no verb: how much


def test_a_verb_over_an_infinitive_is_no_term_when_the_articles_say_it_otherwise(tmp_path: Path) -> None:
    pipeline = _port(tmp_path, "К 2030 году порт рассчитывает выйти на 20 млн тонн.")
    assert parsed("Сколько тонн порт хочет получить?").frames == {"хочет"}
    reading, _ = pipeline.read("Сколько тонн порт хочет получить к 2030 году?")
    assert reading is not None
    assert "хочет" not in {t.word for t in reading.focus}  # "получить" says what; "хочет", how
    reading, _ = pipeline.read("Сколько тонн порт рассчитывает получить?")
    assert reading is not None
    assert "рассчитывает" in {t.word for t in reading.focus}  # said as the articles say it: a term
