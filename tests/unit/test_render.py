from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from bot.render import TELEGRAM_LIMIT, Block, answer_blocks, escape, human_date, sources_blocks, to_messages, to_plain
from embeddings.answer.decision import Status
from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.ingest.corpus import Article, Span
from embeddings.pipeline import SourceInfo

ARTICLE = Article(
    id="x1",
    title="<b>Title</b> & more",
    date="2026-02-05",
    outlet="Outlet",
    url="https://example.org/?a=1&b=<2>",
    language="ru",
    text="Первое <script>alert(1)</script> & предложение.",
    paragraphs=(Span(0, 46),),
    path=Path("x1.txt"),
)


class _Checker(HTMLParser):
    """Fails on tags Telegram does not know and on unbalanced tags."""

    allowed = frozenset({"b", "i", "a", "code", "pre", "blockquote", "u", "s"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag in self.allowed, tag
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack
        assert self.stack.pop() == tag

    def handle_entityref(self, name: str) -> None:
        assert name in {"lt", "gt", "amp", "quot"}, name


def assert_valid_telegram_html(message: str) -> None:
    checker = _Checker()
    checker.feed(message)
    checker.close()
    assert checker.stack == []
    assert 0 < len(message) <= TELEGRAM_LIMIT


def found_answer() -> Answer:
    evidence = (Evidence(ARTICLE.text, "x1", 0, len(ARTICLE.text), 1),)
    return Answer(
        question="q", status=Status.ANSWER, evidence=evidence, citations=(Citation(1, ARTICLE),), confidence=1.0
    )


def test_answer_escapes_article_text_and_links_the_title() -> None:
    blocks = answer_blocks(found_answer(), "ru")
    messages = to_messages(blocks)
    assert len(messages) == 1
    html = messages[0]
    assert_valid_telegram_html(html)
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/?a=1&amp;b=&lt;2&gt;">&lt;b&gt;Title&lt;/b&gt; &amp; more</a>' in html
    for part in ("[1]", "Источники", "5 февраля 2026"):
        assert part in html


def test_plain_text_has_no_markup_but_keeps_the_link() -> None:
    plain = to_plain(answer_blocks(found_answer(), "en"))
    assert "<script>" in plain  # the article's own text, unescaped
    assert "&amp;" not in plain
    assert "Sources:" in plain
    assert "https://example.org/?a=1&b=<2>" in plain
    assert "5 February 2026" in plain


def test_not_found_points_to_sources_in_both_languages() -> None:
    answer = Answer(question="q", status=Status.NOT_FOUND, question_trimmed=True)
    ru = to_plain(answer_blocks(answer, "ru"))
    en = to_plain(answer_blocks(answer, "en"))
    for part in ("/sources", "нет ответа", "тысяч"):
        assert part in ru
    for part in ("/sources", "do not answer"):
        assert part in en


def test_long_listings_split_between_blocks_within_the_limit() -> None:
    sources = [SourceInfo(ARTICLE, n) for n in range(200)]
    messages = to_messages(sources_blocks(sources, "ru"))
    assert len(messages) > 1
    for message in messages:
        assert_valid_telegram_html(message)
    assert sum(m.count("фрагментов:") for m in messages) == 200


def test_a_single_huge_block_is_cut_between_words_each_piece_escaped() -> None:
    plain = "& <i> " * 3000
    messages = to_messages([Block(escape(plain), plain)])
    assert len(messages) > 1
    for message in messages:
        assert_valid_telegram_html(message)
        assert not re.search(r"&[a-z]*$", message)  # never ends inside an entity
    assert "".join(messages).count("&amp;") == 3000


def test_human_dates() -> None:
    assert human_date("2026-02-05", "ru") == "5 февраля 2026"
    assert human_date("2026-12-31", "en") == "31 December 2026"
    assert human_date("soon", "en") == "soon"
