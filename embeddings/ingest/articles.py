"""Writing the articles folder: an article's file and its `metadata.toml` entry, each replaced in one rename.

An article added while the bot runs is a file `<id>.txt` in the articles'
own form (` date YYYY-MM-DD <first paragraph>`, then the other paragraphs)
and a table `["<id>"]` in `metadata.toml` with its title, date, language,
and its outlet and link when known. The id is made here, never taken from
a sender's file name, and the path it names is checked to lie inside the
folder. `Snapshot` keeps what was there before, to put it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
import tomllib
from dataclasses import dataclass
from pathlib import Path

from embeddings.errors import CorpusError
from embeddings.ingest.corpus import ARTICLE_SUFFIXES, METADATA_FILE, Article, parse_text
from embeddings.ingest.documents import Draft
from embeddings.text import without_controls

ARTICLE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$")
_TABLE = re.compile(r"""^\s*\[\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\]\s*(?:#.*)?$""")


def new_article_id(draft: Draft) -> str:
    """The id of a document or a typed text: its date and a hash of its text (the same text, the same id)."""
    digest = hashlib.sha256(draft.text.encode("utf-8", "replace")).hexdigest()[:10]
    return f"tg-{draft.date.replace('-', '')}-{digest}"


def post_article_id(chat_id: int, message_id: int) -> str:
    """The id of a channel's post: forwarded by an admin or taken from a source channel, the same article."""
    return f"post-{abs(chat_id)}-{message_id}"


def article_path(seeds_dir: Path, article_id: str, suffix: str = ".txt") -> Path:
    """The file of an article in the folder; `CorpusError` for an id that is not a plain name inside it."""
    if not ARTICLE_ID.match(article_id):
        msg = f"{article_id!r} is not an article id (letters, digits, - and _)"
        raise CorpusError(msg)
    path = seeds_dir / f"{article_id}{suffix}"
    if path.resolve().parent != seeds_dir.resolve():
        msg = f"{article_id!r} names a file outside the articles folder"
        raise CorpusError(msg)
    return path


def file_text(draft: Draft) -> str:
    """The article file of a draft: its date and first paragraph on the first line, then the rest."""
    first, _, rest = _safe(draft.text).strip().partition("\n\n")
    return f" date {draft.date} {' '.join(first.split())}\n\n{rest}\n" if rest else f" date {draft.date} {first}\n"


def metadata_of(draft: Draft) -> dict[str, str]:
    """The `metadata.toml` table of a draft: title, date, language, and outlet and url when known."""
    meta = {"title": " ".join(_safe(draft.title).split()), "date": draft.date}
    if draft.outlet:
        meta["outlet"] = " ".join(_safe(draft.outlet).split())
    if draft.url:
        meta["url"] = _safe(draft.url).strip()
    meta["language"] = draft.language
    return meta


def prepare(seeds_dir: Path, article_id: str, draft: Draft) -> Article:
    """The article as the folder will hold it once `write` is done (what loading the folder will read)."""
    return parse_text(article_path(seeds_dir, article_id), file_text(draft), metadata_of(draft))


def write(seeds_dir: Path, article_id: str, draft: Draft) -> None:
    """Write the article's file and its metadata entry (replacing an article of the same id)."""
    path = article_path(seeds_dir, article_id)
    for suffix in ARTICLE_SUFFIXES:
        other = article_path(seeds_dir, article_id, suffix)
        if other != path and other.exists():
            other.unlink()
    metadata = seeds_dir / METADATA_FILE
    text, table = _without_table(_read(metadata), article_id), _table(article_id, metadata_of(draft))
    _replace(metadata, f"{text.rstrip()}\n\n{table}" if text.strip() else table)
    _replace(path, file_text(draft))


def delete(seeds_dir: Path, article_id: str) -> None:
    """Delete the article's file and its metadata entry."""
    for suffix in ARTICLE_SUFFIXES:
        article_path(seeds_dir, article_id, suffix).unlink(missing_ok=True)
    metadata = seeds_dir / METADATA_FILE
    if metadata.exists():
        _replace(metadata, _without_table(_read(metadata), article_id))


@dataclass(frozen=True)
class Snapshot:
    """An article's files and the metadata file as they were, to put back when an index update fails."""

    seeds_dir: Path
    files: dict[Path, bytes | None]

    @classmethod
    def take(cls, seeds_dir: Path, article_id: str) -> Snapshot:
        """Remember the article's files and `metadata.toml`."""
        paths = [article_path(seeds_dir, article_id, s) for s in ARTICLE_SUFFIXES] + [seeds_dir / METADATA_FILE]
        return cls(seeds_dir, {p: p.read_bytes() if p.exists() else None for p in paths})

    def restore(self) -> None:
        """Put every remembered file back as it was."""
        for path, data in self.files.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                _replace_bytes(path, data)


def _safe(text: str) -> str:
    """Text that a TOML string and a UTF-8 file can hold: no control characters, no lone surrogates."""
    return without_controls(text).encode("utf-8", "replace").decode("utf-8")


def _read(path: Path) -> str:
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = f"{path.name} cannot be read ({exc}): fix it before adding or removing articles"
        raise CorpusError(msg) from exc
    return text


def _table(article_id: str, meta: dict[str, str]) -> str:
    """A TOML table; a JSON string with only these escapes is a TOML basic string."""
    lines = [f'["{article_id}"]', *(f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())]
    table = "\n".join(lines) + "\n"
    if tomllib.loads(table) != {article_id: meta}:
        msg = f"{article_id}: its metadata does not survive TOML"
        raise CorpusError(msg)
    return table


def _without_table(text: str, article_id: str) -> str:
    """`metadata.toml` without the table of `article_id` (its lines up to the next table)."""
    kept: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        header = _TABLE.match(line)
        if header:
            inside = next(g for g in header.groups() if g is not None) == article_id
        if not inside:
            kept.append(line)
    return "".join(kept)


def _replace(path: Path, text: str) -> None:
    _replace_bytes(path, text.encode("utf-8"))


def _replace_bytes(path: Path, data: bytes) -> None:
    """Write `path` whole in one rename: a reader sees the old file or the new one, never a part."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
