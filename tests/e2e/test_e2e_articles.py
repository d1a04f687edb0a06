"""The story grows through Telegram: admins add and remove articles, source channels post; the real bot answers.

The real model, index and bot over HTTP against the stand-in, which now
serves `getFile` and the files. The bot works on copies of the articles
and of the index: every change is an incremental update of that copy.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from embeddings.pipeline import Pipeline
from tests.conftest import ROOT
from tests.support.botapi_buttons import buttons
from tests.support.botapi_manners import channel
from tests.support.botapi_stub import BotAPIStub, Sent
from tests.support.running import RunningBot, ask, bot_settings, reply_to, running_bot

pytestmark = pytest.mark.slow

ADMIN, READER = 4242, 5151
SOURCE = {**channel(-1005550001, "Новости регионов"), "username": "kz_regions"}
ELSEWHERE = channel(-1005550002, "Чужой канал")
HOCKEY = (
    " date 2026-03-03 В Караганде прошёл хоккейный турнир юниоров\n\n"
    "Хоккейный турнир юниоров в Караганде собрал восемь команд из трёх областей. "
    "В финале победила сборная Караганды, обыграв команду Темиртау со счётом 4:2.\n\n"
    "Лучшим вратарём турнира признан Арман Сейткали. Следующий турнир пройдёт в Павлодаре весной.\n"
)
BRIDGE = (
    "В Павлодаре открыли новый мост через Иртыш\n\n"
    "Новый мост через Иртыш в Павлодаре длиной восемьсот метров открыли для движения в субботу. "
    "Строительство моста обошлось в двенадцать миллиардов тенге и заняло три года.\n\n"
    "По мосту пустят четыре полосы движения и отдельную велосипедную дорожку."
)
APPLES = (
    "В Алматы прошёл фестиваль яблок\n\n"
    "Фестиваль яблок в Алматы собрал тридцать тысяч гостей за два дня. "
    "Садоводы привезли на фестиваль больше ста сортов яблок, главным стал апорт.\n\n"
    "Организаторы обещают провести фестиваль яблок и в следующем году."
)
TRAM = (
    "В Шымкенте запустили скоростной трамвай\n\n"
    "Скоростной трамвай в Шымкенте перевёз в первый день двенадцать тысяч пассажиров. "
    "Линия трамвая протянулась на четырнадцать километров через весь город."
)
FAIR = (
    "В Костанае прошла осенняя ярмарка\n\n"
    "Осенняя ярмарка в Костанае собрала двести фермеров со всей области. "
    "Больше всего покупатели брали картофель и мёд из Аулиекольского района."
)
SCHOOL = (
    "В Актобе открыли школу робототехники\n\n"
    "Школа робототехники в Актобе приняла первых сто двадцать учеников. "
    "Занятия в школе робототехники ведут инженеры местного завода хромовых соединений."
)


@dataclass
class Folders:
    seeds: Path
    index: Path


@pytest.fixture
def folders(real_seeds: Path, real_index_dir: Path, real_pipeline: Pipeline, tmp_path: Path) -> Folders:
    del real_pipeline  # built: the copies are of a fresh index
    seeds, index = tmp_path / "data" / "articles", tmp_path / "data" / "index"
    shutil.copytree(real_seeds, seeds)
    shutil.copytree(real_index_dir, index)
    return Folders(seeds, index)


@pytest.fixture
async def running(
    stub: BotAPIStub, real_pipeline: Pipeline, folders: Folders, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[RunningBot]:
    caplog.set_level(logging.INFO)
    settings = bot_settings(
        stub,
        folders.seeds,
        folders.index,
        admin_ids=frozenset({ADMIN}),
        source_channels=frozenset({"kz_regions"}),
        article_min_chars=100,
    )
    pipeline = Pipeline.open(settings, encoder=real_pipeline.encoder)
    async with running_bot(stub, pipeline, settings) as bot:
        yield bot


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def written_outside(folders: Folders, tmp_path: Path) -> list[Path]:
    """Files named after a sender's file name, anywhere they could have landed."""
    places = [tmp_path / "x.txt", folders.seeds.parent / "x.txt", Path("/etc/x.txt")]
    outside = [p for p in folders.seeds.iterdir() if p.resolve().parent != folders.seeds.resolve()]
    return [p for p in places if p.exists()] + outside


async def confirm(stub: BotAPIStub, preview: Sent) -> float:
    """Press "Add" under a preview and wait for the bot to say it is done; returns when the press was made."""
    before = len(stub.sent)
    pressed = time.monotonic()
    stub.press(preview, "✅", user_id=ADMIN)
    await stub.wait_for(lambda: any(s.text.startswith("Готово") for s in stub.sent[before:]), within=60)
    return pressed


async def test_admins_add_documents_and_forwards_and_remove_them_and_readers_cannot(
    stub: BotAPIStub, running: RunningBot, folders: Folders, tmp_path: Path
) -> None:
    files_before = names(folders.seeds)
    # A reader's document and forward: a polite word, nothing downloaded or stored.
    refused = await reply_to(stub, stub.document("hockey.txt", HOCKEY.encode(), user_id=READER))
    assert "только редакторы" in refused.text
    forwarded = await reply_to(stub, stub.forward(BRIDGE, ELSEWHERE, user_id=READER))
    assert "только редакторы" in forwarded.text
    assert stub.downloads == []
    # An admin's empty, binary or cancelled document: a clear word, nothing stored.
    empty = await reply_to(stub, stub.document("empty.txt", b"", user_id=ADMIN))
    assert "Файл пустой" in empty.text
    binary = await reply_to(stub, stub.document("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00" * 50, user_id=ADMIN))
    assert "не текстовый файл" in binary.text
    preview = await reply_to(stub, stub.document("hockey.txt", HOCKEY.encode(), user_id=ADMIN))
    stub.press(preview, "✖", user_id=ADMIN)
    await stub.wait_for(lambda: any(e[2] == "Отменено: статья не сохранена." for e in stub.text_edits))
    assert names(folders.seeds) == files_before
    # An admin's document: what was read, then "Add".
    preview = await reply_to(stub, stub.document("hockey.txt", HOCKEY.encode(), user_id=ADMIN))
    assert "В Караганде прошёл хоккейный турнир юниоров" in preview.text
    assert "3 марта 2026" in preview.text
    assert [t for t, _ in buttons(preview)] == ["✅ Добавить", "✖ Отмена"]
    pressed = await confirm(stub, preview)
    answer = await ask(stub, "Кто победил в хоккейном турнире юниоров в Караганде?", user_id=READER)
    assert time.monotonic() - pressed <= 15
    assert "победила сборная Караганды" in answer.text
    assert "В Караганде прошёл хоккейный турнир юниоров" in answer.text  # the source
    assert "В Караганде прошёл хоккейный турнир юниоров" in (await ask(stub, "/sources", user_id=READER)).text
    # A forwarded channel post: the channel is the outlet, the post's address the link.
    preview = await reply_to(stub, stub.forward(BRIDGE, {**ELSEWHERE, "username": "pavlodar_news"}, user_id=ADMIN))
    assert "Чужой канал" in preview.text
    assert "https://t.me/pavlodar_news/7" in preview.text
    pressed = await confirm(stub, preview)
    answer = await ask(stub, "Сколько стоило строительство моста через Иртыш в Павлодаре?", user_id=READER)
    assert time.monotonic() - pressed <= 15
    assert "двенадцать миллиардов тенге" in answer.text
    assert "Чужой канал" in answer.text
    # A sender's file name decides nothing: both are stored inside the folder under ids of the bot's making.
    for name, body in (("../../x.txt", FAIR), ("/etc/x.txt", SCHOOL)):
        preview = await reply_to(stub, stub.document(name, body.encode(), user_id=ADMIN))
        await confirm(stub, preview)
    assert written_outside(folders, tmp_path) == []
    assert len(set(names(folders.seeds)) - set(files_before)) == 4
    # /remove: a button per article, a question, and the article's questions are declined.
    listing = await reply_to(stub, stub.message("/remove", user_id=ADMIN))
    hockey = next(t for t, _ in buttons(listing) if "хоккейный" in t)
    before = len(stub.sent)
    stub.press(listing, hockey, user_id=ADMIN)
    await stub.wait_sent(before + 1)
    question = stub.sent[before]
    assert question.text.startswith("Удалить статью «В Караганде прошёл хоккейный турнир юниоров»")
    before = len(stub.sent)
    stub.press(question, "🗑", user_id=ADMIN)
    await stub.wait_for(lambda: any(s.text.startswith("Готово: статья") for s in stub.sent[before:]), within=60)
    declined = await ask(stub, "Кто победил в хоккейном турнире юниоров в Караганде?", user_id=READER)
    assert "победила сборная Караганды" not in declined.text
    assert "В статьях, которые я знаю" in declined.text
    assert stub.rejected == []


async def test_posts_of_a_source_channel_become_articles_and_their_edits_follow(
    stub: BotAPIStub, running: RunningBot
) -> None:
    polls = [params for method, params in stub.requests if method == "getUpdates"]
    assert {"channel_post", "edited_channel_post"} <= set(polls[0]["allowed_updates"])
    post = stub.channel_post(APPLES, source=SOURCE)
    stub.channel_post(TRAM, source=ELSEWHERE)
    question = "Сколько гостей собрал фестиваль яблок в Алматы?"
    await stub.wait_for(lambda: "post-1005550001" in str(running.answering.sources()), within=30)
    answer = await ask(stub, question, user_id=READER)
    assert "тридцать тысяч гостей" in answer.text
    assert "Новости регионов" in answer.text
    tram = await ask(stub, "Сколько пассажиров перевёз скоростной трамвай в Шымкенте?", user_id=READER)
    assert "двенадцать тысяч пассажиров" not in tram.text
    stub.edit_post(post, APPLES.replace("тридцать тысяч", "сорок пять тысяч"))
    for _ in range(60):
        answer = await ask(stub, question, user_id=READER)
        if "сорок пять тысяч" in answer.text:
            break
        await asyncio.sleep(0.25)
    assert "сорок пять тысяч гостей" in answer.text
    assert [s for s in stub.sent if s.chat_id < 0] == []  # nothing is ever written in a channel
    assert stub.rejected == []


PAGE = f"""<html><head><title>Ярмарка | Костанай</title><meta property="og:site_name" content="Костанай Ньюс">
<script>fetch("https://example.org/track")</script></head><body><h1>В Костанае прошла осенняя ярмарка</h1>
<p>{FAIR.split(chr(10) * 2, 1)[1]}</p></body></html>"""


def shell(folders: Folders, *args: str) -> dict[str, object]:
    """`python -m embeddings ...` on the bot's folders; its JSON."""
    env = {**os.environ, "SEEDS_DIR": str(folders.seeds), "INDEX_DIR": str(folders.index), "ARTICLE_MIN_CHARS": "100"}
    done = subprocess.run(
        [sys.executable, "-m", "embeddings", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout)
    return result


async def answered_within(stub: BotAPIStub, question: str, quote: str, seconds: float) -> bool:
    """Whether `question` gets an answer quoting `quote` within `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if quote in (await ask(stub, question, user_id=READER)).text:
            return True
        await asyncio.sleep(0.5)
    return False


async def test_the_shell_adds_and_removes_and_the_running_bot_follows(
    stub: BotAPIStub, running: RunningBot, folders: Folders, tmp_path: Path
) -> None:
    page = tmp_path / "fair.html"
    page.write_text(PAGE, encoding="utf-8")
    added = await asyncio.to_thread(shell, folders, "add", str(page))
    assert (added["action"], added["title"]) == ("added", "В Костанае прошла осенняя ярмарка")
    question = "Сколько фермеров собрала осенняя ярмарка в Костанае?"
    assert await answered_within(stub, question, "двести фермеров", 10)  # no Redis here: the bot looks every 5 s
    removed = await asyncio.to_thread(shell, folders, "remove", str(added["id"]))
    assert removed["action"] == "removed"
    assert await answered_within(stub, question, "В статьях, которые я знаю", 10)
    assert stub.rejected == []
