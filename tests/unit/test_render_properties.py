"""Property-based tests of rendering and splitting: any article text, any question.

Every message must be HTML that Telegram parses (checked by the stand-in's
parser), at most 4096 UTF-16 units of text once parsed, and the messages of
an answer together must carry every cited quote exactly once. A split that
fell inside a tag or an entity would leave a message that does not parse.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.render import TELEGRAM_LIMIT, answer_blocks, note_block, passages_blocks, to_messages
from bot.texts import LANGS, Lang
from embeddings.answer.decision import Status
from embeddings.answer.record import Answer, Citation, Evidence
from embeddings.ingest.chunking import Chunk
from embeddings.ingest.corpus import Article, Span
from embeddings.retrieve.search import Passage
from tests.support.botapi_checks import parse_html, utf16_len

# Letters of the story's languages, markup characters, emoji (two UTF-16 units), joiners, RTL marks.
ALPHABET = st.sampled_from(
    list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВabcxyzӘәҒғҚқҢңӨөҰұҮүІі0123456789")
    + list("<>&;\"'/=#[]«»—…") + ["&amp;", "&lt;", "<b>", "</i>", "<a href=\"x\">"]
    + ["😀", "🇰🇿", "👍🏽", "\u200d", "\u200b", "\u202e", "\u2066", "\u00a0"]
    + [" ", " ", " ", "\n", "\t"]
)  # fmt: skip
TEXT = st.lists(ALPHABET, min_size=1, max_size=200).map("".join)
# Long texts cheaply: a generated text repeated, past Telegram's limit.
LONG_TEXT = st.one_of(TEXT, st.tuples(TEXT, st.integers(2, 60)).map(lambda pair: pair[0] * pair[1]))
# One enormous "word" of characters that grow when escaped or count double in UTF-16.
WORD_BLOB = st.tuples(st.sampled_from(["😀", "&", "<", "ы", "a", "&😀"]), st.integers(1000, 6000)).map(
    lambda pair: pair[0] * pair[1]
)


def article(number: int, title: str, url: str | None) -> Article:
    return Article(
        id=f"a{number}",
        title=title or "—",
        date="2026-02-05",
        outlet="Outlet <&>",
        url=url,
        language="ru",
        text=title,
        paragraphs=(Span(0, len(title)),),
        path=Path(f"a{number}.txt"),
    )


def check_messages(messages: list[str]) -> list[str]:
    """The plain texts of `messages`, after checking each as Telegram would."""
    assert messages, "an answer is never empty"
    plains = []
    for html in messages:
        plain = parse_html(html)  # raises where Telegram would answer 400
        assert plain.strip()
        assert utf16_len(plain) <= TELEGRAM_LIMIT
        plains.append(plain)
    return plains


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    quotes=st.lists(st.one_of(LONG_TEXT, WORD_BLOB), min_size=1, max_size=5),
    title=TEXT,
    url=st.one_of(st.none(), TEXT.map(lambda t: "https://example.org/" + t)),
    question=st.one_of(TEXT, LONG_TEXT),
    lang=st.sampled_from(LANGS),
    trimmed=st.booleans(),
)
def test_any_answer_renders_to_valid_messages_carrying_each_quote_once(
    quotes: list[str], title: str, url: str | None, question: str, lang: Lang, trimmed: bool
) -> None:
    # A marker that occurs nowhere else makes "exactly once" checkable for any generated text.
    marked = [f"⟦{n}⟧{quote}" for n, quote in enumerate(quotes)]
    cited = article(1, title, url)
    answer = Answer(
        question=question,
        status=Status.ANSWER,
        evidence=tuple(Evidence(q, cited.id, 0, len(q), 1) for q in marked),
        citations=(Citation(1, cited),),
        passages=(),
        confidence=0.9,
        question_trimmed=trimmed,
    )
    blocks = [note_block(question), *answer_blocks(answer, lang)]
    plains = check_messages(to_messages(blocks))
    together = squeeze("".join(plains))
    for quote in marked:
        assert together.count(squeeze(quote)) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(LONG_TEXT, min_size=1, max_size=4), title=TEXT, lang=st.sampled_from(LANGS))
def test_any_page_of_passages_renders_to_valid_messages(texts: list[str], title: str, lang: Lang) -> None:
    source = article(2, title, None)
    passages = [
        Passage(n, Chunk(source.id, 0, len(t), f"⟦{n}⟧{t}", ()), source, 0.5, 0.5, 0.5) for n, t in enumerate(texts)
    ]
    plains = check_messages(to_messages(passages_blocks(passages, 1, len(passages), lang)))
    together = squeeze("".join(plains))
    for passage in passages:
        assert together.count(squeeze(passage.chunk.text)) == 1
