"""Load the articles of a story and the metadata the bot cites.

An article is a UTF-8 `.txt` or `.md` file whose first line reads
`` date YYYY-MM-DD <headline or lede>``. Citable metadata (title, outlet,
date, url, language) lives beside the articles in `metadata.toml`; anything
missing there falls back to what the header gives, and an outlet or a link is
never guessed.

The cleaned body keeps only content: view counters, photo credits and hashtag
lines are dropped, and a speaker line ("Name, position:") is joined to the
quote that follows it. `Article.text` is that body, and every offset the rest
of the pipeline keeps points into it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from embeddings.errors import CorpusError
from embeddings.text import document_language

log = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
METADATA_FILE = "metadata.toml"
STORY_FILE = "story.toml"
_MAX_ARTICLE_BYTES = 5_000_000

HEADER = re.compile(r"^\ufeff?\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t:—-]*(.*)$", re.IGNORECASE)
_VIEW_COUNTER = re.compile(r"^\d{1,9}$")
_PHOTO_CREDIT = re.compile(r"^(фото|photo|foto|сурет|видео|video)\b", re.IGNORECASE)
_SPEAKER = re.compile(r"^[^\n\"«“„]{3,200}:$")


@dataclass(frozen=True)
class Span:
    """A half-open character range `[start, end)` in an article's text."""

    start: int
    end: int


@dataclass(frozen=True)
class Article:
    """One article: citable metadata plus its cleaned body text."""

    id: str
    title: str
    date: str
    outlet: str | None
    url: str | None
    language: str
    text: str
    paragraphs: tuple[Span, ...]
    path: Path = field(compare=False)

    def metadata(self) -> dict[str, str | None]:
        """The fields a citation shows, as plain JSON-ready values."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date,
            "outlet": self.outlet,
            "url": self.url,
            "language": self.language,
        }


@dataclass(frozen=True)
class Corpus:
    """The articles that loaded, and one error for each file that did not."""

    articles: tuple[Article, ...]
    problems: tuple[CorpusError, ...] = ()

    def by_id(self) -> dict[str, Article]:
        """Articles keyed by id."""
        return {a.id: a for a in self.articles}

    def fingerprint(self) -> str:
        """A hash of everything the index depends on: texts and cited metadata."""
        return corpus_hash(self.article_hashes())

    def article_hashes(self) -> dict[str, str]:
        """A hash of each article's text and cited metadata, by id: tells which articles changed."""
        return {a.id: article_hash(a) for a in sorted(self.articles, key=lambda a: a.id)}


def article_hash(article: Article) -> str:
    """A hash of one article's text and cited metadata."""
    return hashlib.sha256(_article_bytes(article)).hexdigest()[:16]


def corpus_hash(article_hashes: Mapping[str, str]) -> str:
    """The hash of a corpus, from its articles' hashes (so an update need not read every article)."""
    lines = "".join(f"{article_id}\t{digest}\n" for article_id, digest in sorted(article_hashes.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


@dataclass(frozen=True)
class Story:
    """What the bot says about the story as a whole, per UI language."""

    name: dict[str, str]
    examples: dict[str, tuple[str, ...]]
    brief: dict[str, str] = field(default_factory=dict)  # what /brief is called for this story, per language

    def name_in(self, lang: str) -> str:
        """The story's name in `lang`, else in any language given, else empty."""
        return self.name.get(lang) or next(iter(self.name.values()), "")

    def examples_in(self, lang: str) -> tuple[str, ...]:
        """Example questions in `lang`, else none."""
        return self.examples.get(lang, ())

    def brief_in(self, lang: str) -> str:
        """The title of the story in brief in `lang`, else empty (the bot then says "the story in brief")."""
        return self.brief.get(lang, "")


def _article_bytes(article: Article) -> bytes:
    meta = json.dumps(article.metadata(), ensure_ascii=False, sort_keys=True)
    return meta.encode() + article.text.encode()


def load_story(seeds_dir: Path) -> Story:
    """Read `story.toml` beside the articles; a missing or broken file gives an empty story."""
    path = seeds_dir / STORY_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("%s cannot be read: %s", path.name, exc)
        data = {}
    names = data.get("name", {})
    examples = data.get("examples", {})
    brief = data.get("brief", {})
    return Story(
        name={str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {},
        examples={str(k): tuple(str(q) for q in v) for k, v in examples.items() if isinstance(v, list)}
        if isinstance(examples, dict)
        else {},
        brief={str(k): str(v) for k, v in brief.items()} if isinstance(brief, dict) else {},
    )


def load_corpus(seeds_dir: Path) -> Corpus:
    """Load every article under `seeds_dir`.

    A malformed file (no date header, empty, binary, not UTF-8) is reported in
    `Corpus.problems` with its name and logged; the other files still load.
    Raises `CorpusError` only when the folder itself is missing.
    """
    if not seeds_dir.is_dir():
        msg = f"seeds folder not found: {seeds_dir}"
        raise CorpusError(msg)
    metadata = _load_metadata(seeds_dir / METADATA_FILE)
    articles: list[Article] = []
    problems: list[CorpusError] = []
    for path in sorted(seeds_dir.iterdir(), key=lambda p: (p.stem, p.name)):  # by id, the order of the index
        if path.suffix.lower() not in ARTICLE_SUFFIXES or not path.is_file():
            continue
        try:
            articles.append(parse_article(path, metadata.get(path.stem, {})))
        except CorpusError as exc:
            log.warning("skipping article: %s", exc)
            problems.append(exc)
    unknown = set(metadata) - {a.id for a in articles} - {p.stem for p in seeds_dir.iterdir()}
    for stem in sorted(unknown):
        log.warning("%s names %r, but there is no such article file", METADATA_FILE, stem)
    return Corpus(tuple(articles), tuple(problems))


def parse_article(path: Path, meta: Mapping[str, Any]) -> Article:
    """Parse one article file; `meta` is its table from `metadata.toml`."""
    return parse_text(path, _read_text(path), meta)


def parse_text(path: Path, raw: str, meta: Mapping[str, Any]) -> Article:
    """Parse the text of an article file at `path` (whether written yet or not): what `load_corpus` would read."""
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    first, _, rest = raw.partition("\n")
    header = HEADER.match(first.strip("\r"))
    if header is None:
        msg = f"{path.name}: the first line must start with ' date YYYY-MM-DD'"
        raise CorpusError(msg)
    header_date, header_text = header.group(1), header.group(2).strip()
    date = str(meta.get("date") or header_date)
    _check_date(path, date)

    blocks = [header_text, *re.split(r"\n\s*\n", rest)] if header_text else re.split(r"\n\s*\n", rest)
    text, paragraphs = _clean_body(blocks)
    if not text:
        msg = f"{path.name}: the article has no text after its header"
        raise CorpusError(msg)
    title = str(meta.get("title") or title_from(header_text or text))
    return Article(
        id=path.stem,
        title=title,
        date=date,
        outlet=_optional(meta.get("outlet")),
        url=_optional(meta.get("url")),
        language=str(meta.get("language") or document_language(text)),
        text=text,
        paragraphs=paragraphs,
        path=path,
    )


def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"{path.name}: cannot be read ({exc.strerror})"
        raise CorpusError(msg) from exc
    if not data.strip():
        msg = f"{path.name}: the file is empty"
        raise CorpusError(msg)
    if len(data) > _MAX_ARTICLE_BYTES:
        msg = f"{path.name}: over {_MAX_ARTICLE_BYTES} bytes, not an article"
        raise CorpusError(msg)
    if b"\x00" in data:
        msg = f"{path.name}: binary data, not a text article"
        raise CorpusError(msg)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"{path.name}: not UTF-8 text (bad byte at offset {exc.start})"
        raise CorpusError(msg) from exc


def _clean_body(blocks: Iterable[str]) -> tuple[str, tuple[Span, ...]]:
    kept: list[str] = []
    pending_speaker: str | None = None
    for block in blocks:
        para = " ".join(line.strip() for line in block.split("\n") if line.strip())
        if not para or _is_noise(para):
            continue
        if _SPEAKER.match(para):
            pending_speaker = para if pending_speaker is None else f"{pending_speaker} {para}"
            continue
        if pending_speaker is not None:
            para = f"{pending_speaker} {para}"
            pending_speaker = None
        kept.append(para)
    if pending_speaker is not None:
        kept.append(pending_speaker)
    spans: list[Span] = []
    offset = 0
    for para in kept:
        spans.append(Span(offset, offset + len(para)))
        offset += len(para) + 2
    return "\n\n".join(kept), tuple(spans)


def _is_noise(para: str) -> bool:
    if _VIEW_COUNTER.match(para):
        return True
    if _PHOTO_CREDIT.match(para) and len(para) < 80:
        return True
    words = para.split()
    return all(w.startswith("#") for w in words)


def title_from(text: str, limit: int = 120) -> str:
    """A title for a text that has none: its first sentence, cut at a word when long."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first if len(first) <= limit else first[: limit - 1].rsplit(" ", 1)[0] + "…"


def _optional(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def _check_date(path: Path, date: str) -> None:
    try:
        dt.date.fromisoformat(date)
    except ValueError as exc:
        msg = f"{path.name}: {date!r} is not a date of the form YYYY-MM-DD"
        raise CorpusError(msg) from exc


def _load_metadata(path: Path) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("%s cannot be read, header metadata only: %s", path.name, exc)
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, dict)}
