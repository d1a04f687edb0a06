"""Who said it: speakers found at index time, on a small corpus the test writes and on the story's seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.annotate.entities import entities
from embeddings.annotate.speakers import Speaker, attribute_story
from embeddings.ingest.chunking import split_sentences
from embeddings.ingest.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent.parent
BRIDGE = (
    " date 2026-05-10 В Заречье открыли новый мост\n\n"
    "Министр транспорта Пётр Соколов открыл в субботу новый мост через реку. "
    "«Мост разгрузит центр города и старые улицы», — сказал министр транспорта.\n\n"
    "Мэр города Анна Белова отметила, что стройка заняла два года.\n\n"
    "«Мы ждали этот мост десять лет. Теперь дорога на работу займёт вдвое меньше времени.\n\n"
    "«Осенью вдоль реки откроем новую велодорожку», — добавила Анна Белова.\n\n"
    "Олег Марков, главный инженер треста:\n\n"
    '"Конструкция выдержит любые весенние паводки."\n\n'
    "Он подчеркнул, что трест уже строил переправы в трёх городах.\n\n"
    "Погода в день открытия была солнечной и тёплой.\n"
)


def _attributed(seeds: Path) -> list[tuple[str, Speaker | None]]:
    articles, texts = [], []
    for article in load_corpus(seeds).articles:
        bounds = [(s.start, s.end) for p in article.paragraphs for s in split_sentences(article.text, p)]
        articles.append((article.text, bounds, entities(article.text)))
        texts.extend(article.text[s:e] for s, e in bounds)
    said = [speaker for article in attribute_story(articles) for speaker in article]
    return list(zip(texts, said, strict=True))


def _who(found: list[tuple[str, Speaker | None]], words: str) -> str | None:
    (speaker,) = [s for text, s in found if words in text]
    return None if speaker is None else speaker.name


def test_every_quotation_of_a_small_corpus_gets_its_speaker(tmp_path: Path) -> None:
    (tmp_path / "001_bridge.txt").write_text(BRIDGE, encoding="utf-8")
    found = _attributed(tmp_path)
    assert _who(found, "Мост разгрузит") == "Пётр Соколов"  # a role phrase after the dash
    assert _who(found, "стройка заняла") == "Анна Белова"  # reported speech
    assert _who(found, "Мы ждали") == "Анна Белова"  # a quotation over two paragraphs
    assert _who(found, "вдвое меньше") == "Анна Белова"
    assert _who(found, "велодорожку") == "Анна Белова"
    assert _who(found, "паводки") == "Олег Марков"  # "Name, role:" before the quotation
    assert _who(found, "строил переправы") == "Олег Марков"  # a pronoun: the last speaker
    assert _who(found, "Погода") is None  # nobody's speech
    assert _who(found, "открыл в субботу") is None
    (roles,) = {s.role for _, s in found if s is not None and s.name == "Пётр Соколов"}
    assert roles == "Министр транспорта"


LUKASHENKO, KOSHANOV, SERGEENKO = "Александр Лукашенко", "Ерлан Кошанов", "Игорь Сергеенко"
# Written by hand from the two articles: words of each quotation or reported speech, and whose they are.
STORY_SPEECH = {
    "Мы одинаково видим развитие нашего мира": LUKASHENKO,
    "Мы - сторонники многополярности": LUKASHENKO,
    "ваш Президент в том числе": LUKASHENKO,
    "не раз говорил о том, как важно не терять друзей": LUKASHENKO,
    "Вы нам здорово помогли": LUKASHENKO,
    "Я прежде всего обращался": LUKASHENKO,
    "Мы вам очень благодарны": LUKASHENKO,
    "Региональных, начиная от ЕАЭС": LUKASHENKO,
    "Это говорит об одинаковых подходах": LUKASHENKO,
    "Каждый раз приезжаю": KOSHANOV,
    "это чистота": KOSHANOV,
    "Ваши заслуги": KOSHANOV,
    "Позвольте мне передать": KOSHANOV,
    "Он высоко ценит Ваш огромный вклад": KOSHANOV,
    "Я когда-то мечтал": LUKASHENKO,
    "Но есть куда стремиться": LUKASHENKO,
    "У нас высокотехнологичная страна": LUKASHENKO,
    "Он отметил, что в Беларуси по всем направлениям": LUKASHENKO,
    "Мы страна машиностроительная": LUKASHENKO,
    "совместные производства с казахстанцами": LUKASHENKO,
    "взоры кого устремлены": LUKASHENKO,
    "не надо терять старых друзей": LUKASHENKO,
    "Мы не скрываем": LUKASHENKO,
    "отечественные комбайны не уступают": LUKASHENKO,
    "по словам Александра Лукашенко": LUKASHENKO,
    "Надо искать новые формы": LUKASHENKO,
    "какая техника лучше": LUKASHENKO,
    "Я бы вас очень просил": LUKASHENKO,
    "Ни одна страна, даже Америка": LUKASHENKO,
    "в этом бешеном мире": LUKASHENKO,
    "губернаторы имеют приличные": LUKASHENKO,
    "Глава государства заметил": LUKASHENKO,
    "Александр Лукашенко рассказал": LUKASHENKO,
    "Мы больше нагружаем губернаторов": LUKASHENKO,
    "дает хороший результат": LUKASHENKO,
    "обратил внимание": LUKASHENKO,
    "По его словам, это необходимо": LUKASHENKO,
    "упомянул и про прежний опыт": LUKASHENKO,
    "Народ помнит": LUKASHENKO,
    "Не все получилось": LUKASHENKO,
    "это центральные фигуры": LUKASHENKO,
    "Тогда и нам легче будет": LUKASHENKO,
    "Вы всегда были и остаетесь": SERGEENKO,
    "В основе нашего сотрудничества": SERGEENKO,
    "Мы противники политики шантажа": SERGEENKO,
    "проводит миролюбивую внешнюю политику": SERGEENKO,
    "передал тёплые слова приветствия": KOSHANOV,
    "благодаря доверительным политическим контактам": KOSHANOV,
    "Ерлан Кошанов рассказал Президенту Беларуси": KOSHANOV,
    "Он отметил особую роль парламентариев": LUKASHENKO,
    "Глава белорусского государства поблагодарил": LUKASHENKO,
    "Лидер Беларуси с удовлетворением отметил": LUKASHENKO,
    "являются надежными стратегическими партнерами": KOSHANOV,
    "Это всегда подчеркивают главы": KOSHANOV,
    "Налажен регулярный обмен": KOSHANOV,
    "Игорь Сергеенко заявил": SERGEENKO,
    "для Минска, как и для Астаны": SERGEENKO,
    "высоко оценил курс реформ": SERGEENKO,
    "Председатель Мажилиса сообщил": KOSHANOV,
    "Наши межпарламентские отношения": KOSHANOV,
    "Мы намерены и впредь": KOSHANOV,
    "Ерлан Кошанов рассказал белорусским депутатам": KOSHANOV,
    "проект новой Конституции существенно усиливает": KOSHANOV,
}
NOBODY = ["Казахстан является вторым по торговле", "Беларусь открыта для Казахстана.", "возложили цветы"]


@pytest.fixture(scope="module")
def story() -> list[tuple[str, Speaker | None]]:
    return _attributed(ROOT / "seeds")


def test_every_quotation_of_the_story_has_the_speaker_a_reader_names(story: list[tuple[str, Speaker | None]]) -> None:
    right = wrong = 0
    for words, name in STORY_SPEECH.items():
        said = _who(story, words)
        if said == name:
            right += 1
        elif said:
            wrong += 1
    assert wrong == 0
    assert right / len(STORY_SPEECH) >= 0.95
    assert all(_who(story, words) is None for words in NOBODY)
