"""A document or a post made into an article draft: its title, date, outlet, link and text.

A `.txt` or `.md` file is read as UTF-8 text: a first line in the articles'
own form (` date YYYY-MM-DD <headline>`) gives the date and the headline, a
Markdown heading the headline, otherwise the first line does. An `.html`
file is read as text only: scripts, styles and everything that is not text
are dropped, and nothing it links to is fetched; its headline, date, outlet
and canonical link come from its `<title>`, `<h1>`, `<time>` and `<meta>`
tags when it has them. A post's text comes with what Telegram says of it.
A document's name only tells which of these readers to use.

Nothing is guessed: an outlet or a link the source does not give stays empty.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from embeddings.errors import EmbeddingsError
from embeddings.ingest.corpus import HEADER, title_from
from embeddings.text import control_count, document_language, visible

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
_TITLE_CHARS = 200


REASONS = ("kind", "empty", "short", "binary", "large", "encoding")


class DocumentError(EmbeddingsError):
    """A document that is not an article; `reason` (one of `REASONS`) names why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Draft:
    """An article before it is saved: what an admin confirms."""

    title: str
    date: str  # YYYY-MM-DD
    text: str  # the whole text, headline first when the source has one in it, paragraphs separated by blank lines
    outlet: str | None = None
    url: str | None = None

    @property
    def language(self) -> str:
        """The language of its text (ru, en, kk)."""
        return document_language(self.text)


def read_document(name: str, data: bytes, *, today: str, min_chars: int, max_bytes: int) -> Draft:
    """A document's draft; `DocumentError` when it is of another kind, empty, too short, binary or too large."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in TEXT_SUFFIXES + HTML_SUFFIXES:
        msg = f"{suffix or 'a file without an extension'}: only .txt, .md and .html documents are articles"
        raise DocumentError("kind", msg)
    if len(data) > max_bytes:
        raise DocumentError("large", f"the document has {len(data)} bytes, over {max_bytes}")
    text = _decode(data)
    draft = _read_html(text, today) if suffix in HTML_SUFFIXES else _read_text(text, today, markdown=suffix != ".txt")
    return checked(draft, min_chars)


def draft_from_text(
    text: str, *, date: str, min_chars: int, outlet: str | None = None, url: str | None = None
) -> Draft:
    """The draft of a post or a typed text: its first line is the headline when short enough to be one."""
    return checked(_read_text(text, date, markdown=False, outlet=outlet, url=url), min_chars)


def checked(draft: Draft, min_chars: int) -> Draft:
    """`draft`, if its text is long enough to be an article."""
    if not draft.text.strip() and not draft.title.strip():
        raise DocumentError("empty", "the document has no text")
    if len(draft.text) < min_chars:
        raise DocumentError("short", f"the text has {len(draft.text)} characters, fewer than {min_chars}")
    return draft


def _decode(data: bytes) -> str:
    if not data.strip():
        raise DocumentError("empty", "the document is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        data = data.decode("utf-16").encode()
    if b"\x00" in data:
        raise DocumentError("binary", "the document holds binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError("encoding", f"the document is not UTF-8 text (bad byte at {exc.start})") from exc
    if control_count(text) > max(8, len(text) // 100):
        raise DocumentError("binary", "the document holds binary data, not text")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def _paragraphs(lines: list[str]) -> str:
    """Paragraphs separated by one blank line, each on one line."""
    blocks = re.split(r"\n\s*\n", "\n".join(lines))
    return "\n\n".join(p for p in (visible(b) for b in blocks) if p)


def _read_text(text: str, today: str, *, markdown: bool, outlet: str | None = None, url: str | None = None) -> Draft:
    """The first paragraph is the headline when it is one short sentence and more follows; else the first sentence."""
    lines = text.strip().split("\n")
    date = today
    header = HEADER.match(lines[0]) if lines else None
    if header is not None and _valid_date(header.group(1)):
        date, lines = header.group(1), [header.group(2), "", *lines[1:]]
    if markdown:
        lines = _plain_markdown("\n".join(lines)).split("\n")
    body = _paragraphs(lines)
    first, _, rest = body.partition("\n\n")
    headline = rest and len(first) <= _TITLE_CHARS and title_from(first, _TITLE_CHARS) == first  # one sentence
    title = first if headline else title_from(body)
    return Draft(title, date, body, _optional(outlet), _link(url))


def _plain_markdown(text: str) -> str:
    """Markdown as plain paragraphs: each block's text, links as their words, code as written; no images or HTML."""
    paragraphs = []
    for token in MarkdownIt("commonmark").parse(text):
        if token.type == "inline":
            paragraphs.append("".join(_inline_text(child) for child in token.children or ()))
        elif token.type in ("fence", "code_block"):
            paragraphs.append(token.content)
    return "\n\n".join(paragraphs)


def _inline_text(token: Token) -> str:
    if token.type in ("text", "code_inline"):
        return token.content
    return " " if token.type in ("softbreak", "hardbreak") else ""


class _HtmlText(HTMLParser):
    """The text of an HTML page, paragraph by paragraph, and what its head says of it."""

    SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "head", "nav", "form"})
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "blockquote",
         "header", "footer", "figcaption", "pre", "table", "ul", "ol", "dd", "dt", "hr", "main", "aside"}
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.title = ""
        self.heading = ""
        self._skipping: list[str] = []
        self._in: str | None = None  # "title" or "h1" while inside one

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (values.get("property") or values.get("name") or values.get("itemprop") or "").lower()
            if key and "content" in values:
                self.meta.setdefault(key, values["content"])
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.meta.setdefault("canonical", values.get("href", ""))
        elif tag == "time" and values.get("datetime"):
            self.meta.setdefault("time", values["datetime"])
        if tag == "title" and not self.title:
            self._in = "title"
            return
        if tag in self.SKIPPED:
            self._skipping.append(tag)
        if tag == "h1" and not self.heading:
            self._in = "h1"
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag in ("title", "h1"):
            self._in = None
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in == "title":
            self.title += data
            return
        if self._skipping:
            return
        if self._in == "h1":
            self.heading += data
        self.parts.append(data)


def _read_html(text: str, today: str) -> Draft:
    page = _HtmlText()
    page.feed(text)
    page.close()
    meta = page.meta
    body = _paragraphs("".join(page.parts).split("\n"))
    title = visible(meta.get("og:title") or page.heading or page.title)[:_TITLE_CHARS]
    published = meta.get("article:published_time") or meta.get("date") or meta.get("datepublished") or meta.get("time")
    date = (published or "")[:10]
    url = meta.get("canonical") or meta.get("og:url")
    outlet = meta.get("og:site_name")
    return Draft(title or title_from(body), date if _valid_date(date) else today, body, _optional(outlet), _link(url))


def _valid_date(value: str) -> bool:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _optional(value: str | None) -> str | None:
    cleaned = visible(value or "")
    return cleaned[:_TITLE_CHARS] or None


def _link(value: str | None) -> str | None:
    cleaned = (value or "").strip()
    if len(cleaned) > 2000 or any(c.isspace() or c in "<>\"'" for c in cleaned):
        return None
    parts = urlsplit(cleaned)
    return cleaned if parts.scheme.lower() in ("http", "https") and parts.netloc else None
