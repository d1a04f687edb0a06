"""The real bot (aiogram Bot + Dispatcher, real model, real FAISS) over real HTTP against the stand-in."""

from __future__ import annotations

import logging

import pytest

from bot.answering.service import AnsweringService
from bot.config import Settings
from embeddings.answer.record import Answer
from embeddings.pipeline import Pipeline
from tests.support.botapi_stub import BOT_USER, TOKEN, BotAPIStub
from tests.support.running import RunningBot, running_bot

pytestmark = pytest.mark.slow

GROUP = -100500
JOINT_VENTURES = "Сколько совместных производств белорусской техники работает в Казахстане?"


def mention(text: str, handle: str = "@" + str(BOT_USER["username"])) -> list[dict[str, object]]:
    """The mention entity of `handle` in `text`, offsets in UTF-16 units as Telegram sends them."""
    at = text.lower().index(handle.lower())
    utf16 = lambda value: len(value.encode("utf-16-le")) // 2  # noqa: E731
    return [{"type": "mention", "offset": utf16(text[:at]), "length": utf16(handle)}]


async def test_startup_registers_the_command_menu_in_every_language(running: RunningBot) -> None:
    stub = running.stub
    assert "getMe" in stub.methods()
    for scope in ("all_private_chats", "all_group_chats"):
        ru = [c["command"] for c in stub.commands[(scope, "ru")]]
        en = stub.commands[(scope, "en")]
        kk = stub.commands[(scope, "kk")]
        assert ru == ["start", "brief", "help", "sources", "new"]
        assert en[3]["description"] == "The articles I know"
        assert kk[3]["description"] == "Мақалалар тізімі"
        assert [c["command"] for c in kk] == ru
        assert stub.commands[(scope, None)] == stub.commands[(scope, "ru")]


async def test_private_question_gets_a_grounded_reply_with_sources(running: RunningBot) -> None:
    stub = running.stub
    question = stub.message(JOINT_VENTURES, user_id=7)
    (reply,) = await stub.wait_sent(1)
    assert reply.chat_id == 7
    assert reply.reply_to == question["message_id"]
    assert "около десяти совместных производств" in reply.text
    assert "[1]" in reply.text
    assert "Источники:" in reply.text
    assert "5 февраля 2026" in reply.text
    assert "<b>Источники:</b>" in reply.html
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert (7, "typing") in stub.chat_actions
    assert stub.rejected == []


async def test_off_topic_question_says_the_articles_do_not_cover_it(running: RunningBot) -> None:
    running.stub.message("Как приготовить узбекский плов?", user_id=8)
    (reply,) = await running.stub.wait_sent(1)
    assert "нет ответа" in reply.text
    assert "/sources" in reply.text


async def test_greetings_thanks_and_links_get_a_word_not_a_quote(running: RunningBot) -> None:
    stub = running.stub
    stub.message("Привет!", user_id=9)
    (hello,) = await stub.wait_sent(1)
    assert hello.text.startswith("Здравствуйте!")
    assert "Например:" in hello.text
    assert "Источники" not in hello.text
    stub.message("Где депутаты возложили цветы?", user_id=9)
    (_, answer) = await stub.wait_sent(2)
    assert "Монументу Победы" in answer.text
    for message in ("спасибо", "https://kazpravda.kz/news/koshanov", "😂"):
        stub.message(message, user_id=9)
    replies = (await stub.wait_sent(5))[2:]
    assert [r.text.split("\n")[0] for r in replies] == [
        "Пожалуйста! Если будут ещё вопросы об этой новости — пишите.",
        "Ссылки я не открываю: я отвечаю по статьям, которые знаю (/sources). Напишите вопрос словами.",
        "Напишите вопрос словами — я найду ответ в статьях об этой новости.",
    ]
    stub.message("А кто ещё там был?", user_id=9)  # the topic survives the small talk
    (*_, follow) = await stub.wait_sent(6)
    assert "Отвечаю с учётом предыдущего вопроса" in follow.text
    assert stub.rejected == []


async def test_english_users_read_english(running: RunningBot) -> None:
    stub = running.stub
    stub.message("How many joint ventures producing Belarusian machinery are there in Kazakhstan?", language_code="en")
    stub.message("Who is the president of France?", user_id=1002, language_code="en")
    replies = await stub.wait_sent(2)
    by_chat = {r.chat_id: r.text for r in replies}
    assert "Sources:" in by_chat[1001]
    assert "десяти" in by_chat[1001]  # the quote stays in the article's language
    assert "do not mention “France”" in by_chat[1002]


async def test_start_help_and_sources(running: RunningBot) -> None:
    stub = running.stub
    stub.message("/start", user_id=11)
    (start,) = await stub.wait_sent(1)
    assert "Кошанова" in start.text
    keyboard = start.params["reply_markup"]["keyboard"]
    assert [row[0]["text"] for row in keyboard[:2]] == [
        "📰 Коротко о визите",
        "Сколько совместных производств белорусской техники работает в Казахстане?",
    ]
    assert len(keyboard) == 4
    stub.message("/help", user_id=11)
    help_ = (await stub.wait_sent(2))[1]
    assert "@NewsQaTestBot" in help_.text
    assert "/sources" in help_.text
    stub.message("/sources", user_id=11, language_code="en")
    sources = (await stub.wait_sent(3))[2]
    assert "The articles I know (2)" in sources.text
    assert "Kazpravda.kz" in sources.text
    assert sources.text.count("passages:") == 2


async def test_start_with_a_payload_still_greets(running: RunningBot) -> None:
    running.stub.message("/start ref-campaign_42", user_id=12)
    (reply,) = await running.stub.wait_sent(1)
    assert "Здравствуйте" in reply.text


async def test_group_noise_is_ignored_and_mentions_are_answered(running: RunningBot) -> None:
    stub = running.stub
    stub.message("Всем привет, сколько производств в Казахстане?", chat_id=GROUP, chat_type="supergroup")
    stub.message("/sources@other_bot", chat_id=GROUP, chat_type="supergroup")
    other = "@someone_else где возложили цветы?"
    stub.message(other, chat_id=GROUP, chat_type="supergroup", entities=mention(other, "@someone_else"))
    from_bot = "@NewsQaTestBot где возложили цветы?"
    stub.message(from_bot, chat_id=GROUP, chat_type="supergroup", user_id=500, entities=mention(from_bot), is_bot=True)
    text = "🙂 Где депутаты возложили цветы, @newsqatestbot?"  # the emoji takes two UTF-16 units
    asked = stub.message(text, chat_id=GROUP, chat_type="supergroup", entities=mention(text, "@newsqatestbot"))
    (reply,) = await stub.wait_sent(1)
    assert reply.reply_to == asked["message_id"]
    assert "Монументу Победы" in reply.text
    sent = await stub.settle(quiet=1.0)
    assert len(sent) == 1  # the noise, the other bot's command, the other mention, the bot user: silence


async def test_group_commands_addressed_to_this_bot(running: RunningBot) -> None:
    stub = running.stub
    stub.message("/sources@NewsQaTestBot", chat_id=GROUP, chat_type="group")
    (reply,) = await stub.wait_sent(1)
    assert "Статьи, которые я знаю (2)" in reply.text


async def test_reply_to_the_bot_and_text_mention_count_as_addressed(running: RunningBot) -> None:
    stub = running.stub
    bot_message = {
        "message_id": 5,
        "date": 0,
        "chat": {"id": GROUP, "type": "supergroup"},
        "from": BOT_USER,
        "text": "…",
    }
    stub.message("А где депутаты возложили цветы?", chat_id=GROUP, chat_type="supergroup", reply_to=bot_message)
    stub.message(
        "Бот, кто возглавляет Палату представителей Беларуси?",
        chat_id=GROUP,
        chat_type="supergroup",
        user_id=77,
        entities=[{"type": "text_mention", "offset": 0, "length": 3, "user": BOT_USER}],
    )
    replies = await stub.wait_sent(2)
    texts = " ".join(r.text for r in replies)
    assert "Монументу Победы" in texts
    assert "Сергеенко" in texts


async def test_a_mention_alone_gets_a_hint(running: RunningBot) -> None:
    running.stub.message("@NewsQaTestBot", chat_id=GROUP, chat_type="supergroup", entities=mention("@NewsQaTestBot"))
    (reply,) = await running.stub.wait_sent(1)
    assert "@NewsQaTestBot ваш вопрос" in reply.text


async def test_forum_topics_keep_their_thread(running: RunningBot) -> None:
    stub = running.stub
    text = "@NewsQaTestBot где возложили цветы?"
    stub.message(text, chat_id=GROUP, chat_type="supergroup", thread_id=42, entities=mention(text))
    (reply,) = await stub.wait_sent(1)
    assert reply.params["message_thread_id"] == 42
    assert (GROUP, "typing") in stub.chat_actions


@pytest.mark.parametrize(
    ("extra", "expect"),
    [
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "u1",
                    "type": "regular",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                }
            },
            "только на текстовые",
        ),
        ({"voice": {"file_id": "v1", "file_unique_id": "u2", "duration": 3}}, "только на текстовые"),
        ({"location": {"latitude": 53.9, "longitude": 27.56}}, "только на текстовые"),
        (
            {
                "photo": [{"file_id": "p1", "file_unique_id": "u3", "width": 1, "height": 1}],
                "caption": "Где депутаты возложили цветы?",
            },
            "Монументу Победы",
        ),
    ],
)
async def test_media_get_a_hint_and_captions_are_questions(
    running: RunningBot, extra: dict[str, object], expect: str
) -> None:
    running.stub.message(None, extra=extra)
    (reply,) = await running.stub.wait_sent(1)
    assert expect in reply.text


@pytest.mark.parametrize(
    "question",
    [
        "<b>Где</b> депутаты & <script>alert(1)</script> возложили цветы?",
        "😀😀😀",
        "Где\u200b депутаты\u200d возложили\u202e цветы?",
        "Where did the deputies lay flowers? Где возложили цветы? Қайда гүл қойды?",
        "&amp; &lt;i&gt; *markdown* _too_ `code`",
        "Где депутаты возложили цветы? " * 200,
        "/unknown_command",
    ],
)
async def test_awkward_text_is_answered_safely(running: RunningBot, question: str) -> None:
    running.stub.message(question)
    (reply,) = await running.stub.wait_sent(1)
    assert reply.text.strip()
    assert running.stub.rejected == []
    if len(question) > 1000:
        assert "до тысячи символов" in reply.text


async def test_429_is_waited_out_and_the_answer_is_not_lost(running: RunningBot) -> None:
    stub = running.stub
    stub.rate_limit = [1, 1]
    stub.message(JOINT_VENTURES)
    await stub.wait_sent(1)
    sent = await stub.settle(quiet=1.5)
    assert [why for _, why in stub.rejected] == ["429", "429"]  # both 429s were served and waited out
    assert len(sent) == 1
    assert "десяти" in sent[0].text


async def test_polling_survives_502s(stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings) -> None:
    stub.fail_get_updates = 2
    async with running_bot(stub, real_pipeline, settings):
        stub.message(JOINT_VENTURES)
        (reply,) = await stub.wait_sent(1, within=30)
    assert "десяти" in reply.text
    assert stub.methods().count("getUpdates") >= 3


class _BreaksOnBoom(AnsweringService):
    async def _ask(self, question: str) -> Answer:
        if "boom" in question:
            raise RuntimeError("the pipeline broke")
        return await super()._ask(question)


async def test_a_failing_handler_apologises_and_the_bot_keeps_serving(
    stub: BotAPIStub, real_pipeline: Pipeline, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with running_bot(stub, real_pipeline, settings, _BreaksOnBoom):
            stub.message("boom", user_id=31)
            failing = stub.updates[-1]["update_id"]
            stub.message(JOINT_VENTURES, user_id=32)
            sent = await stub.wait_sent(2)
    by_chat = {s.chat_id: s.text for s in sent}
    assert "что-то пошло не так" in by_chat[31]
    assert "десяти" in by_chat[32]
    assert f"update {failing} failed" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN.split(":")[1] not in caplog.text
