"""Reading follow-ups, the bounded context storage, and the registry of shown answers."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.storage.base import StorageKey

from bot.answering.conversation import Topic, plan, small_talk_of, without_pleasantries
from bot.state.fsm import BoundedMemoryStorage
from bot.state.shown import AnswerRegistry, ShownAnswer

TOPIC = "С кем встречался Кошанов в Минске?"


@pytest.mark.parametrize(
    "question",
    ["А кто ещё там был?", "And what about trade?", "Что он сказал?", "БЕЛАЗ?", "Ал сауда туралы ше?", "И когда?"],
)
def test_short_or_anaphoric_questions_follow_the_topic(question: str) -> None:
    planned = plan(question, TOPIC)
    assert planned.kind == "follow_up"
    assert planned.query == f"{question} {TOPIC}"
    assert planned.topic == TOPIC


@pytest.mark.parametrize("question", ["подробнее", "Подробнее!", "tell me more", "Ещё", "толығырақ"])
def test_asking_for_more_pages_the_topic(question: str) -> None:
    planned = plan(question, TOPIC)
    assert (planned.kind, planned.query) == ("more", TOPIC)


@pytest.mark.parametrize(
    "question",
    ["Какие законы о цифровизации приняли в Казахстане?", "How many joint ventures operate in Kazakhstan today?"],
)
def test_a_question_with_its_own_subject_starts_a_new_topic(question: str) -> None:
    assert plan(question, TOPIC).kind == "new"


@pytest.mark.parametrize(
    ("question", "names_subject", "kind"),
    [
        # A pronoun for a subject points back, whatever the question would say alone.
        ("А о чём они говорили на встрече?", False, "follow_up"),
        ("А что он сказал про БЕЛАЗ?", True, "follow_up"),
        ("And what about Belarus?", True, "follow_up"),
        # Opening with "а" but naming its own subject in a whole question: a new topic.
        ("А что Лукашенко сказал про БЕЛАЗ?", True, "new"),
        ("А что сказали про технику для сельского хозяйства?", False, "follow_up"),
    ],
)
def test_a_pronoun_points_back_and_a_named_subject_starts_anew(question: str, names_subject: bool, kind: str) -> None:
    assert plan(question, TOPIC, names_subject=names_subject).kind == kind


@pytest.mark.parametrize(
    ("question", "stands_alone", "kind"),
    [
        ("кто такой Кошанов", True, "new"),  # a whole question, however short
        ("какой курс доллара", True, "new"),
        ("а когда?", False, "follow_up"),  # a question word alone asks about the topic
        ("а Кочанова?", False, "follow_up"),
        ("а он где?", True, "follow_up"),  # a pronoun points back whatever else it says
    ],
)
def test_a_short_question_continues_the_topic_unless_it_stands_alone(
    question: str, stands_alone: bool, kind: str
) -> None:
    assert plan(question, TOPIC, stands_alone=stands_alone).kind == kind


def test_without_a_topic_everything_is_new() -> None:
    assert plan("А кто ещё там был?", None).kind == "new"


def test_a_topic_expires_after_the_silence() -> None:
    data = Topic(TOPIC, at=1000.0).as_data()
    assert Topic.from_data(data, ttl=300, now=1200.0) == Topic(TOPIC, 1000.0)
    assert Topic.from_data(data, ttl=300, now=1301.0) is None
    assert Topic.from_data({}, ttl=300) is None
    assert Topic.from_data({"topic": 5, "at": "x"}, ttl=300) is None


def key(user: int, chat: int = -1, thread: int | None = None) -> StorageKey:
    return StorageKey(bot_id=1, chat_id=chat, user_id=user, thread_id=thread)


async def test_storage_keeps_users_and_topics_apart() -> None:
    storage = BoundedMemoryStorage()
    await storage.set_data(key(1), {"topic": "a"})
    await storage.set_data(key(2), {"topic": "b"})
    await storage.set_data(key(1, thread=7), {"topic": "c"})
    assert (await storage.get_data(key(1)))["topic"] == "a"
    assert (await storage.get_data(key(2)))["topic"] == "b"
    assert (await storage.get_data(key(1, thread=7)))["topic"] == "c"
    await storage.set_data(key(1), {})
    assert await storage.get_data(key(1)) == {}


async def test_storage_is_bounded_and_forgets_the_least_recently_used() -> None:
    storage = BoundedMemoryStorage(max_keys=3)
    for user in range(5):
        await storage.set_data(key(user), {"n": user})
    assert len(storage) == 3
    assert await storage.get_data(key(0)) == {}
    assert await storage.get_data(key(4)) == {"n": 4}


async def test_storage_forgets_after_its_ttl() -> None:
    storage = BoundedMemoryStorage(ttl=0.05)
    await storage.set_data(key(1), {"topic": "a"})
    await storage.set_state(key(1), "asking")
    assert await storage.get_state(key(1)) == "asking"
    await asyncio.sleep(0.1)
    assert await storage.get_data(key(1)) == {}
    assert await storage.get_state(key(1)) is None
    assert len(storage) == 0


async def shown(registry: AnswerRegistry, chat: int, *messages: int) -> ShownAnswer:
    answer = ShownAnswer(registry.new_id(), "q", "q", True, ("a",), chat, "private", "ru", message_ids=list(messages))
    await registry.add(answer)
    return answer


async def test_registry_finds_answers_by_id_and_by_message_and_stays_bounded() -> None:
    registry = AnswerRegistry(max_answers=2)
    first = await shown(registry, 5, 10, 11)
    assert len(first.id.encode()) <= 16
    assert await registry.get(first.id) is first
    assert await registry.by_message(5, 11) is first
    assert await registry.by_message(6, 11) is None
    await registry.attach_message(first.id, 5, 12)
    assert await registry.by_message(5, 12) is first
    second, third = await shown(registry, 5, 20), await shown(registry, 5, 30)
    assert await registry.get(first.id) is None
    assert await registry.by_message(5, 10) is None
    assert await registry.get(second.id) is second
    assert await registry.by_message(5, 30) is third
    assert len(registry) == 2


def test_a_shown_answer_survives_json() -> None:
    answer = ShownAnswer("abc", "q f", "q", True, ("a", "b"), -5, "supergroup", "en", 3, [7, 8], 1.5)
    assert ShownAnswer.from_json(answer.to_json()) == answer


async def test_registry_finds_an_answer_by_its_question_and_an_edit_takes_the_question_over() -> None:
    registry = AnswerRegistry(max_answers=2)
    first = ShownAnswer(registry.new_id(), "q", "q", True, ("a",), 5, "private", "ru", message_ids=[10], question_id=9)
    await registry.add(first)
    assert await registry.by_question(5, 9) is first
    assert await registry.by_question(5, 10) is None  # the answer's own message asks nothing
    assert await registry.by_question(6, 9) is None
    edited = ShownAnswer(registry.new_id(), "r", "r", True, ("a",), 5, "private", "ru", message_ids=[10], question_id=9)
    await registry.add(edited)
    assert await registry.by_question(5, 9) is edited
    assert await registry.by_message(5, 10) is edited
    await shown(registry, 5, 20)  # the first answer is forgotten: what it handed over stays the edited one's
    assert await registry.get(first.id) is None
    assert await registry.by_question(5, 9) is edited
    assert await registry.by_message(5, 10) is edited


def test_a_shown_answer_with_its_question_survives_json_and_older_records_still_load() -> None:
    answer = ShownAnswer(
        "abc", "q f", "q", True, ("a",), -5, "supergroup", "en", 0, [7, 8], 1.5, "f", "q", 6, [7, 8], ["d1", "d2"]
    )
    assert ShownAnswer.from_json(answer.to_json()) == answer
    older = '{"id": "x", "query": "q", "topic": "q", "found": true, "source_ids": [], "chat_id": 1,'
    older += ' "chat_type": "private", "lang": "ru", "passages_shown": 0, "message_ids": [3], "at": 1.0}'
    loaded = ShownAnswer.from_json(older)
    assert (loaded.question_id, loaded.parts, loaded.context) == (None, [], None)
    newer = older[:-1] + ', "a_field_of_a_newer_replica": 1}'  # a rolling deploy: one replica is ahead
    assert ShownAnswer.from_json(newer) == loaded


@pytest.mark.parametrize(
    ("message", "talk"),
    [
        ("Привет!", "greeting"),
        ("добрый день", "greeting"),
        ("как дела?", "greeting"),
        ("Сәлеметсіз бе", "greeting"),
        ("спасибо большое", "thanks"),
        ("ок", "thanks"),
        ("Thank you!", "thanks"),
        ("Спасибо за ответ", "thanks"),
        ("Понял, спасибо", "thanks"),
        ("Ок, понял", "thanks"),
        ("Привет бот", "greeting"),
        ("ты вообще бот или человек?", "greeting"),  # asked of the bot: the greeting says what it is
        ("Are you a bot?", "greeting"),
        ("spasibo", "thanks"),
        ("https://kazpravda.kz/news/koshanov", "link"),
        ("посмотри https://www.belta.by/x", "link"),
        ("😂😂", "no_question"),
        ("???", "no_question"),
        ("2026", "no_question"),  # a bare number asks nothing
        ("ж", "no_question"),
        # Anything that may ask something of the articles is a question.
        ("Привет, кто такой Кошанов?", None),
        ("спасибо, а где возложили цветы?", None),
        ("что написано на https://kazpravda.kz про визит депутатов Мажилиса в Минск", None),
        ("Кочанова", None),
        ("Ты знаешь, кто такой Кошанов?", None),
        ("Что с БЕЛАЗом? https://kazpravda.kz/x", None),  # a question beside a link is a question
        ("Хорошо, а что с торговлей", None),
    ],
)
def test_small_talk_is_told_from_questions(message: str, talk: str | None) -> None:
    assert small_talk_of(message) == talk


def test_small_talk_keeps_the_topic_and_more_needs_something_before_it() -> None:
    thanks = plan("спасибо", TOPIC)
    assert (thanks.kind, thanks.small_talk, thanks.topic) == ("small_talk", "thanks", TOPIC)
    first = plan("подробнее", None)
    assert (first.kind, first.small_talk) == ("small_talk", "nothing_to_continue")


def test_a_question_after_a_greeting_or_thanks_is_asked_without_them() -> None:
    assert without_pleasantries("привет, а кто такая Кочанова?") == "а кто такая Кочанова?"
    assert without_pleasantries("Спасибо! Когда был визит?") == "Когда был визит?"
    assert without_pleasantries("Кто такой Кошанов?") == "Кто такой Кошанов?"
