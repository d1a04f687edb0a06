from __future__ import annotations

from embeddings.annotate.entities import entities
from embeddings.annotate.initialisms import initialisms
from embeddings.index.bm25 import BM25
from embeddings.lexicon import aspect_roots, kin
from embeddings.pipeline import Pipeline
from embeddings.retrieve.spelling import Speller, one_edit
from embeddings.retrieve.vocabulary import Vocabulary, sound_key
from embeddings.text import stem

ARTICLES = [
    "Депутаты возложили цветы к Монументу Победы.",
    "Товарооборот превысил миллиард долларов, товарооборот растёт.",
    "Около десяти совместных производств белорусской техники.",
    "Торговля и торги.",
]


def speller() -> Speller:
    return Speller(BM25.build(ARTICLES))


def test_one_edit_keeps_the_first_letter() -> None:
    edits = one_edit("кот", "абкот")
    assert {"кто", "ко", "кат", "кота", "ккот"} <= edits  # swap, delete, change, insert
    assert "кот" not in edits
    assert all(e.startswith("к") for e in edits)


def test_words_one_edit_from_the_articles_are_corrected_with_their_endings() -> None:
    fix = speller().correct
    assert fix("где депутаты возлажили цвиты") == "где депутаты возложили цветы"
    assert fix("какой таварооборот") == "какой товарооборот"
    assert fix("Сколько совместых праизводств?") == "Сколько совместных производств?"
    assert fix("Возлажили ли") == "Возложили ли"  # the capital stays


def test_a_typo_in_a_form_the_articles_never_write_is_corrected_by_its_lemma() -> None:
    # "терминале" is one edit from "тирминале"; the articles write only "терминал" and "терминала", whose stem
    # differs from that of "терминале", so stems alone find nothing
    fix = Speller(
        BM25.build(["Партнёры построят зерновой терминал.", "Строительство терминала начнётся в мае."])
    ).correct
    assert fix("сколько мест на тирминале") == "сколько мест на терминале"


def test_a_typo_in_an_ending_becomes_the_form_the_articles_write() -> None:
    # "кошан" + "в" would keep the stem but make no word; "кошанов" is one edit away and written
    speller = Speller(BM25.build(["Спикер Ерлан Кошанов прибыл в Минск.", "Кошанова встретил президент."]))
    assert speller.correct("кошанав это кто") == "кошанов это кто"
    # a word another rule matches is still written as the articles write it when one edit away
    assert speller.correct("кошанав это кто", keep=lambda word: True) == "кошанов это кто"
    assert speller.correct("минск это где", keep=lambda word: True) == "минск это где"
    # another case of a word they write is no typo, though one edit from their form: "Кошанову" stays
    assert speller.correct("Сколько лет Кошанову?", keep=lambda word: True) == "Сколько лет Кошанову?"


def test_words_not_close_to_the_articles_are_left_alone() -> None:
    fix = speller().correct
    for question in [
        "Какая погода будет завтра?",  # no stem of the articles one edit away
        "Как приготовить плов?",
        "Қазақстанда қандай цифрлық заңдар бар?",  # Kazakh is never touched
        "what about trade",
        "цвет",  # already a word of the articles
        "ваты",  # a stem shorter than four letters
    ]:
        assert fix(question) == question


def test_a_typo_in_the_first_letter_is_not_guessed() -> None:
    assert speller().correct("фовары") == "фовары"


def test_the_pipeline_searches_the_corrected_question(tiny_pipeline: Pipeline) -> None:
    prepared, trimmed = tiny_pipeline.prepare("  Сколько зритилей собрал фистиваль? ")
    assert prepared == "Сколько зрителей собрал фестиваль?"
    assert not trimmed
    answer = tiny_pipeline.ask("Сколько зритилей собрал фистиваль?")
    assert answer.question == "Сколько зритилей собрал фистиваль?"  # the user's own words are kept
    assert answer.passages[0].article.id == "002_culture"


def test_a_word_spelled_as_it_sounds_finds_the_articles_word() -> None:
    articles = [*ARTICLES, "Сергеенко поблагодарил казахстанских коллег и коллегам пожелал успехов."]
    bm25 = BM25.build(articles)
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert sound_key("коллег") == sound_key("калег") == "калиг"
    assert vocabulary.match("калег") == stem("коллегам")  # two letters off: о for а, one л
    assert vocabulary.match("кантакты") is None  # no article word sounds like it
    assert vocabulary.match("калач") is None


def test_a_verb_ending_spelled_as_it_sounds_finds_the_articles_verb() -> None:
    bm25 = BM25.build([*ARTICLES, "Сырный цех появится на заводе через год."])
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert sound_key("появица") == sound_key("появится")  # "-тся" sounds as "-ца"
    assert vocabulary.match("появица") == stem("появится")


def test_a_form_of_another_stem_finds_the_articles_form_of_the_same_word() -> None:
    bm25 = BM25.build([*ARTICLES, "На заводе работают 1100 человек."])
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("людей") == stem("человек")  # the plural of "человек" begins otherwise


def test_no_string_that_is_no_word_is_put_in_for_a_typo() -> None:
    fix = Speller(BM25.build(["Цех появится через год."])).correct
    assert fix("когда появица цех") == "когда появица цех"  # "появиа" is one edit away and shares the stem


def test_a_clipped_word_finds_the_one_article_word_it_begins() -> None:
    articles = [*ARTICLES, "Александр Лукашенко встретил совместную делегацию. Сотрудники обсудили сотрудничество."]
    bm25 = BM25.build(articles)
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("совм") == stem("совместных")  # typed short on a phone
    assert vocabulary.match("лукаш") == stem("лукашенко")  # a clipped name
    assert vocabulary.match("сотр") is None  # not in the dictionary, but two families begin so: no guess
    assert vocabulary.match("мост") is None  # a word of its own is no clipped one


def test_a_clipped_word_declined_as_a_noun_finds_the_article_word_it_begins() -> None:
    articles = [*ARTICLES, "Александр Лукашенко сказал, что губернаторы имеют приличные полномочия."]
    bm25 = BM25.build(articles)
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("губеров") == stem("губернаторы")  # "губер" with its plural ending
    assert vocabulary.match("лукаша") == stem("лукашенко")


def test_a_verb_of_the_other_aspect_finds_the_articles_verb() -> None:
    articles = [*ARTICLES, "Депутаты договорились продолжить обмен опытом и рассмотрели проект."]
    bm25 = BM25.build(articles)
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("договаривались") == stem("договорились")  # -ива- and о/а
    assert vocabulary.match("рассматривали") == stem("рассмотрели")
    assert vocabulary.match("подписывали") is None  # no article verb of that pair


def test_aspect_pairs_share_a_root() -> None:
    assert aspect_roots("договариваться") & aspect_roots("договориться")
    assert aspect_roots("показывать") & aspect_roots("показать")
    assert not aspect_roots("встречаться") & aspect_roots("стучаться")
    assert aspect_roots("завод") == frozenset()


def test_a_word_of_the_same_family_finds_the_articles_word() -> None:
    articles = [
        *ARTICLES,
        "Студент пожаловался на указатели. Ленту перерезал губернатор.",
        "Средства федерального бюджета и частный инвестор оплатили строительство. Их научили работать.",
    ]
    bm25 = BM25.build(articles)
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("жаловался") == stem("пожаловался")  # a prefix added
    assert vocabulary.match("разрезал") == stem("перерезал")  # a prefix changed
    assert vocabulary.match("федерация") == stem("федерального")  # a noun and its adjective
    assert vocabulary.match("частников") == stem("частный")
    assert vocabulary.match("стройку") == stem("строительство")  # not the "стойку" one typo away
    assert vocabulary.match("учился") is None  # the reflexive verb means otherwise than "научили"


def test_words_of_one_family_share_a_root_and_a_meaning() -> None:
    assert kin("жаловаться", "пожаловаться")
    assert kin("стоить", "стоимость")
    assert kin("федерация", "федеральный")
    assert not kin("благодарить", "благодаря")  # alike from the start, apart in meaning
    assert not kin("продавать", "продвигать")  # only the prefix "про-" shared
    assert not kin("построить", "поставить")
    assert not kin("учиться", "научить")  # a verb and its reflexive
    assert not kin("посол", "посольство")  # a person and a thing


def test_a_dictionary_word_is_no_typo_of_another() -> None:
    bm25 = BM25.build([*ARTICLES, "Президент привёл пример соседей."])
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("премьер") is None  # one letter from "пример", but a word of its own
    assert vocabulary.match("примерр") == stem("пример")  # a typo still finds it


def test_an_initialism_finds_the_name_the_articles_spell_out() -> None:
    text = "Делегация Республики Казахстан прибыла в Минск. Страна вступила в Шанхайскую организацию сотрудничества."
    found = initialisms([entities(text)])
    assert found["рк"] == stem("казахстан")  # the name's telling word, not "республика"
    assert found["шос"] == stem("шанхайскую")
    bm25 = BM25.build([text])
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words, found)
    assert vocabulary.match("рк") == stem("казахстан")  # the dictionary knows "рк" only as an abbreviation
    assert Vocabulary(bm25.vocabulary, bm25.words).match("рк") is None


def test_initials_two_names_share_stand_for_neither() -> None:
    spans = [entities("Республика Казахстан и Республика Корея подписали соглашение.")]
    assert "рк" not in initialisms(spans)


def test_a_vowel_slip_off_a_word_the_articles_never_use_gets_the_dictionarys_spelling() -> None:
    fix = Speller(BM25.build(["Санкционное давление на экономику растёт.", "Депутаты обсудили экономику."])).correct
    assert fix("что сказали про санкцыи") == "что сказали про санкции"
    assert fix("Санкцыи") == "Санкцыи"  # capitalised: it may be a name


def test_a_kazakh_word_with_endings_finds_the_articles_word_its_root_is_one_letter_from() -> None:
    bm25 = BM25.build(["Казахстан и Беларусь подписали соглашение.", "Президент Токаев встретился с делегацией."])
    vocabulary = Vocabulary(bm25.vocabulary, bm25.words)
    assert vocabulary.match("қазақстан") == vocabulary.match("казахстан")
    assert vocabulary.match("қазақстанға") == vocabulary.match("казахстан")  # "қ" is "х" here, and "-ға" an ending
    assert vocabulary.match("тоқаевқа") == vocabulary.match("токаев")


def test_a_letter_written_once_for_twice_finds_the_articles_word() -> None:
    fix = Speller(BM25.build(["Стороны подписали соглашения на общую сумму 5 млрд рублей."])).correct
    assert fix("какая сума соглашений") == "какая сумма соглашений"  # "сума" is a word too, of other meaning
    assert fix("Какая Сума?") == "Какая Сумма?"
    assert fix("какая сумма") == "какая сумма"
    fix = Speller(BM25.build(["Старая сума висела на стене."])).correct
    assert fix("какая сума") == "какая сума"  # the articles use it as written
