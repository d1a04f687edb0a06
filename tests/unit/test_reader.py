"""The reader's views: the story in brief, the context of a quote, an article in pages."""

from __future__ import annotations

import io
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.answering.service import AnsweringService
from bot.console import chat
from bot.reader import PAGE_UNITS, article_pages, brief_blocks, context_html, context_of, page_block, page_of
from bot.render import TELEGRAM_LIMIT, to_messages, units
from embeddings.ingest.chunking import Sentence
from embeddings.ingest.corpus import Article, Span, load_corpus, load_story
from embeddings.pipeline import BriefLine, Pipeline
from tests.conftest import ANSWER_ALL, SEEDS
from tests.support.botapi_checks import parse_html, utf16_len
from tests.unit.test_render_properties import ALPHABET


def make_article(
    paragraphs: list[str], article_id: str = "x", title: str = "Заголовок <b>", outlet: str = "Outlet"
) -> Article:
    text = "\n\n".join(paragraphs)
    spans, offset = [], 0
    for paragraph in paragraphs:
        spans.append(Span(offset, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return Article(article_id, title, "2026-02-05", outlet, None, "ru", text, tuple(spans), Path(article_id))


def parsed(html: str) -> str:
    plain = parse_html(html)
    assert 0 < utf16_len(plain) <= TELEGRAM_LIMIT
    return plain


def test_an_article_is_cut_into_pages_at_paragraph_ends() -> None:
    for article in load_corpus(SEEDS).articles:
        pages = article_pages(article)
        assert len(pages) >= 2
        ends = {p.end for p in article.paragraphs}
        assert all(page.end in ends and units(article.text[page.start : page.end]) <= PAGE_UNITS for page in pages)
        assert pages[0].start == 0
        assert pages[-1].end == len(article.text)
        assert all(a.end < b.start for a, b in itertools.pairwise(pages))
        for number in range(len(pages)):
            plain = parsed(page_block(article, number, "ru").html)
            assert plain.endswith(f"Страница {number + 1} из {len(pages)}")


def test_a_paragraph_longer_than_a_page_is_cut_at_sentence_ends() -> None:
    sentence = "Это предложение повторяется, чтобы абзац вышел длиннее страницы. "
    article = make_article(["Короткий абзац.", (sentence * 80).strip(), "Последний абзац."])
    pages = article_pages(article)
    assert len(pages) >= 2
    assert all(article.text[p.start : p.end].rstrip().endswith(".") for p in pages)
    assert page_of(article, len(article.text) - 1) == len(pages) - 1
    assert page_of(article, 0) == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(ALPHABET, min_size=1, max_size=400).map("".join), min_size=1, max_size=8), st.integers(1, 40))
def test_any_article_pages_fit_a_message_and_keep_every_character(paragraphs: list[str], repeat: int) -> None:
    article = make_article([p * repeat for p in paragraphs])
    pages = article_pages(article)
    kept = "".join(article.text[p.start : p.end] for p in pages)
    assert "".join(kept.split()) == "".join(article.text.split())
    for number in range(len(pages)):
        parsed(page_block(article, number, "kk").html)


def test_the_context_shows_the_quote_in_bold_and_the_rest_folded_under_the_article() -> None:
    article = make_article(["Первый абзац.", "До цитаты. Сама цитата здесь. После цитаты.", "Третий абзац."])
    start = article.text.index("Сама цитата")
    end = article.text.index("здесь.") + len("здесь.")
    context = context_of(article, start, end)
    assert (context.before, context.quote, context.after) == ("До цитаты.", "Сама цитата здесь.", "После цитаты.")
    block = context_html(context, "ru")
    assert block.html.splitlines() == [
        "📄 <b>Заголовок &lt;b&gt;</b>",
        "Outlet, 5 февраля 2026 · абзац 2 из 3",
        "<blockquote expandable>До цитаты.</blockquote>",
        "<b>Сама цитата здесь.</b>",
        "<blockquote expandable>После цитаты.</blockquote>",
    ]
    parsed(block.html)


def test_a_quote_that_is_its_whole_paragraph_gets_the_neighbouring_paragraphs() -> None:
    article = make_article(["Первый абзац.", "Цитата целиком.", "Третий абзац."])
    start = article.text.index("Цитата")
    context = context_of(article, start, start + len("Цитата целиком."))
    assert (context.before, context.after) == ("Первый абзац.", "Третий абзац.")
    assert "абзац 2 из 3" in context_html(context, "ru").plain


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(ALPHABET, min_size=1, max_size=300).map("".join), min_size=1, max_size=5), st.data())
def test_any_context_fits_one_message(paragraphs: list[str], data: st.DataObject) -> None:
    article = make_article([p * 20 for p in paragraphs], title="".join(paragraphs) * 3)
    start = data.draw(st.integers(0, len(article.text) - 1))
    end = data.draw(st.integers(start + 1, len(article.text)))
    parsed(context_html(context_of(article, start, end), "en").html)


def test_the_brief_cites_each_sentence_with_every_article_that_states_it() -> None:
    first = make_article(["Мост длиной 420 метров открыли в субботу."], "a1", "Мост открыли", "Газета")
    second = make_article(["Концерт прошёл на мосту.", "Мост длиной 420 метров открыли."], "a2", "Концерт")
    lines = [
        BriefLine(Sentence("a1", 0, 41, first.text[:41]), (first, second)),
        BriefLine(Sentence("a2", 0, 24, second.text[:24]), (second,)),
    ]
    blocks = brief_blocks(lines, "Коротко о мосте", "ru")
    plain = "\n".join(b.plain for b in blocks)
    assert plain.splitlines()[:3] == [
        "Коротко о мосте",
        "• «Мост длиной 420 метров открыли в субботу.» [1, 2]",
        "• «Концерт прошёл на мосту.» [2]",
    ]
    assert "[1] Мост открыли — Газета, 5 февраля 2026" in plain
    assert "[2] Концерт — Outlet, 5 февраля 2026" in plain
    for html in to_messages(blocks):
        parsed(html)
    assert [b.plain for b in brief_blocks([], "Коротко", "kk")] == [
        "Әзірге қысқаша баяндайтын ештеңе жоқ: мақалаларда дәйексөзге келетін сөйлем табылмады."
    ]


async def test_the_console_chat_tells_the_brief_reads_articles_and_shows_a_quote_context(
    tiny_pipeline: Pipeline, tiny_seeds: Path
) -> None:
    pipeline = Pipeline(tiny_pipeline.index, tiny_pipeline.encoder, params=ANSWER_ALL)
    answering = AnsweringService(pipeline, load_story(tiny_seeds), workers=1)
    lines = "/context\n/brief\n/read 1\n/read 2 5\n/read 9\nСколько зрителей собрал фестиваль?\n/context\n\n"
    out = io.StringIO()
    try:
        await chat(answering, inp=io.StringIO(lines), out=out)
    finally:
        await answering.close()
    shown = out.getvalue()
    assert "Сначала задайте вопрос — потом я покажу" in shown
    assert "Коротко о сюжете\n• «" in shown
    assert "Фестиваль музыки прошёл в столице\n2 марта 2026\n\n" in shown  # /read 1: the newest article
    assert "Торговля выросла\nTest Gazette, 1 марта 2026\n\n" in shown  # /read 2 5: its last page
    assert shown.count("Страница 1 из 1") == 2
    assert "Нет статьи с таким номером" in shown
    # The quote is its whole paragraph: the neighbouring paragraphs stand around it.
    context = "📄 Фестиваль музыки прошёл в столице\n2 марта 2026 · абзац 2 из 3\nФестиваль музыки прошёл в столице\n» "
    assert context + "Фестиваль собрал десять тысяч зрителей." in shown
