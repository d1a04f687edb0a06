"""Who said it, end to end: /quotes with a speaker's button and pages, "кто сказал", "что сказал X о Y"."""

from __future__ import annotations

import pytest

from tests.e2e.test_e2e_reader import press, press_for_message
from tests.support.botapi_buttons import buttons
from tests.support.running import RunningBot, ask

pytestmark = pytest.mark.slow


async def test_quotes_lists_speakers_and_pages_one_speakers_quotes(running: RunningBot) -> None:
    stub = running.stub
    listing = await ask(stub, "/quotes", user_id=701)
    assert "Александр Лукашенко, Президент Республики Беларусь — цитат:" in listing.text
    labels = [t for t, _ in buttons(listing)]
    assert "💬 Александр Лукашенко" in labels
    opened = await press_for_message(stub, listing, "💬 Александр Лукашенко", user_id=701)
    assert opened.text.startswith("Цитаты: Александр Лукашенко")
    assert opened.text.endswith("Страница 1 из " + opened.text.rsplit(" ", 1)[-1])
    assert [t for t, _ in buttons(opened)] == ["◀", "▶"]
    await press(stub, opened, "▶", user_id=701)
    await stub.wait_for(lambda: len(stub.text_edits) == 1)
    assert "Страница 2 из" in opened.text
    assert stub.rejected == []


async def test_who_said_and_what_did_x_say(running: RunningBot) -> None:
    stub = running.stub
    who = await ask(stub, "Кто сказал «Мы противники политики шантажа»?", user_id=702)
    assert "— Игорь Сергеенко" in who.text
    own = await ask(stub, "Что сказал Лукашенко о губернаторах?", user_id=703)
    assert "губернатор" in own.text
    assert "— Александр Лукашенко" in own.text
    other = await ask(stub, "Лукашенко против санкций?", user_id=704)
    assert other.text.startswith("Александр Лукашенко об этом в статьях не говорит. Об этом сказал Игорь Сергеенко:")
    assert "санкций" in other.text
    assert stub.rejected == []
