"""The reader's features end to end: the real bot, model and index over HTTP against the stand-in.

The story in brief (its facts checked from the index's own sentences), the
context of a quote, an article read page by page, the Kazakh interface, and
a second story the test writes, which gets its own brief, sources and pages.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from embeddings.config import EngineSettings
from embeddings.pipeline import Pipeline
from tests.e2e.test_e2e_bot import JOINT_VENTURES
from tests.support.botapi_buttons import buttons
from tests.support.botapi_stub import BotAPIStub, Sent
from tests.support.running import RunningBot, ask, bot_settings, running_bot
from tests.support.stories import write_bridge_story

pytestmark = pytest.mark.slow

GROUP = -100901
# What the story in brief must name, each as the articles write it.
BRIEF_FACTS = {
    "the meeting with Lukashenko": "Лукашенко",
    "the meeting with Sergeenko": "Сергеенко",
    "the meeting with Kochanova": "Кочановой",
    "the trade figure": "1 млрд долларов",
    "the joint productions": "совместных производств",
    "the digital code": "Цифровой кодекс",
    "the AI law": "Закон об Искусственном интеллекте",
    "the BELAZ visit": "БЕЛАЗ",
    "the Khatyn visit": "Хатынь",
    "the Victory Monument": "Монументу Победы",
}


async def press(stub: BotAPIStub, sent: Sent, button: str, **kwargs: Any) -> dict[str, Any]:
    """Press a button and wait until the bot answered the callback query; returns that answer."""
    query_id = stub.press(sent, button, **kwargs)
    await stub.wait_for(lambda: query_id in stub.callback_answers)
    return stub.callback_answers[query_id]


async def press_for_message(stub: BotAPIStub, sent: Sent, button: str, **kwargs: Any) -> Sent:
    """Press a button that makes the bot send a message; returns that message."""
    before = len(stub.sent)
    await press(stub, sent, button, **kwargs)
    return (await stub.wait_sent(before + 1))[before]


def test_the_brief_names_the_story_from_the_index_own_sentences(real_pipeline: Pipeline) -> None:
    index = real_pipeline.index
    assert 1 <= len(index.brief) <= 6
    quoted = []
    for item in index.brief:
        sentence = index.sentences[item.sentence]
        assert sentence.text == index.articles[sentence.article_id].text[sentence.start : sentence.end]
        quoted.append(sentence.text)
    told = " ".join(quoted)
    missing = [fact for fact, words in BRIEF_FACTS.items() if words not in told]
    assert missing == []
    assert index.manifest["brief"]["method"] == "headline-led concept coverage"
    sentences = [index.sentences[i.sentence] for i in index.brief]
    order = [(index.articles[s.article_id].date, s.article_id, s.start) for s in sentences]
    assert order == sorted(order)


async def test_brief_quotes_each_fact_once_with_every_source_that_states_it(running: RunningBot) -> None:
    stub = running.stub
    brief = await ask(stub, "/brief", user_id=301)
    lines = brief.text.splitlines()
    assert lines[0] == "Коротко о визите"
    quotes = [line for line in lines if line.startswith("• «")]
    assert 1 <= len(quotes) <= 6
    assert all(line.endswith("]") for line in quotes)
    (trade,) = [line for line in quotes if "1 млрд долларов" in line]
    assert trade.endswith("[1, 2]")  # both articles give the figure; it is quoted once
    assert "Источники:" in brief.text
    assert "[2] Депутаты Казахстана и Беларуси" in brief.text
    assert stub.rejected == []


async def test_the_brief_is_a_button_under_start_in_help_and_first_in_inline_mode(running: RunningBot) -> None:
    stub = running.stub
    start = await ask(stub, "/start", user_id=302)
    label = start.params["reply_markup"]["keyboard"][0][0]["text"]
    typed = await ask(stub, label, user_id=302)  # the reply keyboard sends the button's text
    assert typed.text.startswith("Коротко о визите\n• «")
    help_ = await ask(stub, "/help", user_id=302)
    assert "/brief" in help_.text
    text = "/start"
    group_start = await ask(stub, text, user_id=303, chat_id=GROUP, chat_type="supergroup")
    brief = await press_for_message(stub, group_start, "📰 Коротко о визите", user_id=303)
    assert brief.chat_id == GROUP
    assert brief.text.startswith("Коротко о визите")
    query_id = stub.inline("", user_id=304)
    await stub.wait_for(lambda: query_id in stub.inline_answers)
    first = stub.inline_answers[query_id]["results"][0]
    assert first["title"] == "Коротко о визите"
    assert "1 млрд долларов" in first["input_message_content"]["message_text"]
    assert stub.rejected == []


async def test_context_replies_to_the_answer_with_the_quote_in_its_paragraph(running: RunningBot) -> None:
    stub = running.stub
    answer = await ask(stub, JOINT_VENTURES, user_id=311)
    assert "📄 Контекст" in [t for t, _ in buttons(answer)]
    context = await press_for_message(stub, answer, "📄 Контекст", user_id=311)
    assert context.reply_to == answer.message_id
    assert context.html.startswith("📄 <b>Лукашенко встретился с председателем Мажилиса")
    assert "5 февраля 2026 · абзац" in context.text
    assert "\n<b>В Казахстане сейчас действует около десяти совместных производств белорусской техники." in (
        context.html
    )
    assert "<blockquote expandable>" in context.html
    assert "БЕЛАЗе" in context.text  # the sentence before the quote, in the same paragraph
    # From the context, the whole article opens at the page that holds the quote.
    page = await press_for_message(stub, context, "📖 Читать статью", user_id=311)
    assert "около десяти совместных производств" in page.text
    assert page.text.splitlines()[-1].startswith("Страница ")
    assert stub.rejected == []


async def test_an_article_is_read_page_by_page_in_one_message(running: RunningBot) -> None:
    stub = running.stub
    sources = await ask(stub, "/sources", user_id=321)
    assert [t for t, _ in buttons(sources)] == ["📖 Читать [1]", "📖 Читать [2]"]
    opened = await press_for_message(stub, sources, "📖 Читать [2]", user_id=321)  # the older one: 5 February
    assert opened.text.startswith("Лукашенко встретился с председателем Мажилиса")
    assert opened.text.endswith("Страница 1 из 3")
    assert [t for t, _ in buttons(opened)] == ["◀", "▶"]
    assert (await press(stub, opened, "◀", user_id=321))["text"] == "Это первая страница."
    stale = copy.deepcopy(opened)  # the ▶ button as the reader still sees it
    sent_before = len(stub.sent)
    await press(stub, opened, "▶", user_id=321)
    await stub.wait_for(lambda: len(stub.text_edits) == 1)
    assert opened.text.endswith("Страница 2 из 3")  # the same message, edited
    await press(stub, stale, "▶", user_id=321)  # a second tap on the old ▶: page 2 is already shown
    await press(stub, opened, "▶", user_id=321)
    await stub.wait_for(lambda: len(stub.text_edits) == 2)
    assert opened.text.endswith("Страница 3 из 3")
    assert (await press(stub, opened, "▶", user_id=321))["text"] == "Это последняя страница."
    assert len(stub.text_edits) == 2
    assert len(stub.sent) == sent_before  # turning pages sends nothing new
    assert all(len(d.encode()) <= 64 for _, d in buttons(opened))
    assert stub.rejected == []


async def test_kazakh_readers_get_every_text_in_kazakh(running: RunningBot) -> None:
    stub = running.stub
    start = await ask(stub, "/start", user_id=331, language_code="kk")
    assert start.text.startswith("Сәлеметсіз бе!")
    assert "Ерлан Қошановтың" in start.text
    assert start.params["reply_markup"]["keyboard"][0][0]["text"] == "📰 Сапар туралы қысқаша"
    help_ = await ask(stub, "/help", user_id=331, language_code="kk")
    assert help_.text.startswith("Қалай сұрау керек")
    sources = await ask(stub, "/sources", user_id=331, language_code="kk")
    assert sources.text.startswith("Мен білетін мақалалар (2):")
    assert "2026 жылғы 5 ақпан" in sources.text
    assert [t for t, _ in buttons(sources)] == ["📖 Оқу [1]", "📖 Оқу [2]"]
    answer = await ask(stub, JOINT_VENTURES, user_id=331, language_code="kk")
    assert "Дереккөздер:" in answer.text
    assert "около десяти совместных производств" in answer.text  # quotes stay in the article's language
    assert [t for t, _ in buttons(answer)] == ["👍", "👎", "📄 Контекст", "Тағы үзінділер ▸"]
    refused = await ask(stub, "Как приготовить узбекский плов?", user_id=332, language_code="kk")
    assert refused.text.startswith("Мен білетін мақалаларда")
    partial = await ask(
        stub, "Когда состоится форум по межрегиональному сотрудничеству?", user_id=333, language_code="kk"
    )
    assert partial.text.startswith("Мақалаларда мұның қашан болғаны не болатыны айтылмаған.")
    brief = await ask(stub, "/brief", user_id=331, language_code="kk")
    assert brief.text.startswith("Сапар туралы қысқаша")
    page = await press_for_message(stub, sources, "📖 Оқу [1]", user_id=331, language_code="kk")
    assert page.text.endswith("2 беттің 1-беті")
    assert stub.rejected == []


async def test_a_second_story_gets_its_own_brief_sources_and_pages(stub: BotAPIStub, tmp_path: Path) -> None:
    seeds = write_bridge_story(tmp_path / "seeds")
    engine = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    pipeline = Pipeline.open(engine)
    settings = bot_settings(stub, seeds, tmp_path / "index")
    async with running_bot(stub, pipeline, settings):
        brief = await ask(stub, "/brief", user_id=341)
        assert brief.text.startswith("Коротко о сюжете\n")
        assert "«Мост длиной 420 метров соединил центр города с районом Девятовка.» [1, 2]" in brief.text
        assert "Кошанов" not in brief.text
        sources = await ask(stub, "/sources", user_id=341)
        assert "Городские новости" in sources.text
        assert "Неман-инфо" in sources.text
        page = await press_for_message(stub, sources, "📖 Читать [2]", user_id=341)
        assert page.text.startswith("В Гродно открыли новый мост через Неман\nГородские новости, 10 мая 2026")
        assert page.text.endswith("Страница 1 из 1")
        assert buttons(page) == []
    assert stub.rejected == []
