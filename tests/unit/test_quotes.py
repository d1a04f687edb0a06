"""/quotes in the console chat: the speakers numbered, then one speaker's quotes page by page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.answering.service import AnsweringService
from bot.console import chat
from bot.quotes import Quote, quote_pages
from embeddings.ingest.corpus import load_story
from embeddings.pipeline import Pipeline


async def test_the_console_lists_the_speakers_then_a_speakers_quotes(tiny_pipeline: Pipeline, tiny_seeds: Path) -> None:
    answering = AnsweringService(tiny_pipeline, load_story(tiny_seeds), workers=1)
    out = io.StringIO()
    try:
        await chat(answering, inp=io.StringIO("/quotes\n/quotes 1\n/quotes 1 9\n/quotes 7\n\n"), out=out)
    finally:
        await answering.close()
    shown = out.getvalue()
    listing = "Кто говорит в статьях\n1. Иван Петров, Министр торговли — цитат: 1\nЦитаты спикера: /quotes N"
    assert shown.count(listing) == 2  # /quotes 7: there is no 7th speaker, so the list again
    page = 'Цитаты: Иван Петров, Министр торговли\n\n«Министр торговли Иван Петров: "Мы откроем'
    assert shown.count(page) == 2  # /quotes 1 9: the last page
    assert "Страница 1 из 1" in shown
    assert "Дальше: /quotes" not in shown


def test_quotes_are_cut_into_pages_that_fit_the_limit() -> None:
    quotes = [Quote("слово " * 50, "Заголовок", "2026-03-01") for _ in range(10)]
    pages = quote_pages(quotes, limit=1000)
    assert [len(p) for p in pages] == [2, 2, 2, 2, 2]  # each quote counts 349 characters
    assert [q for p in pages for q in p] == quotes


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("What did Petrov say about tractors?", "speaker"),  # the name in Latin letters
        ("What did Petrov say?", "speaker"),
        ("Petrov заводтар туралы не деді?", "speaker"),
        ("Кім айтты: «Мы откроем новые заводы»?", "who_said"),
        ("Кто сказал, что мы откроем новые заводы?", "who_said"),  # "сказал" before "что" still asks who said it
        ('Who said "Мы откроем новые заводы"?', "who_said"),
        ("Whose words are these: Мы откроем новые заводы", "who_said"),
    ],
)
def test_english_and_kazakh_questions_about_speech_are_answered_from_the_speakers_words(
    tiny_pipeline: Pipeline, question: str, reason: str
) -> None:
    answer = tiny_pipeline.ask(question)
    assert answer.reason == reason
    assert [(e.speaker, e.role) for e in answer.evidence] == [("Иван Петров", "Министр торговли")]
