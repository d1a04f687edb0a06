"""Articles added and removed while the bot runs: saved in the articles folder and indexed without a rebuild.

`Newsroom.add` encodes the new article first (the slow part, a few seconds),
then, holding the writers' lock that every process seeing the folders
shares (`index/versions.py`), writes the article's file and metadata entry
and writes and swaps in a new index version (`index/update.py`). Should the
index update fail, the files are put back as they were, so the folder and
the index never disagree; a crash in between leaves a folder that the next
start finds newer than the index, and rebuilds. `remove` is the same in
reverse. The caller then loads the new version (`Pipeline.load`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from embeddings.config import EngineSettings
from embeddings.encode.encoders import Encoder
from embeddings.errors import CorpusError
from embeddings.index.load import LoadedIndex, read_manifest
from embeddings.index.manifest import IndexParams
from embeddings.index.store import PassageStore
from embeddings.index.update import NewArticle, encode_article, update_index
from embeddings.index.versions import current, writing
from embeddings.ingest import articles
from embeddings.ingest.corpus import Article
from embeddings.ingest.documents import Draft, read_document
from embeddings.pipeline import chunking_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Change:
    """What an addition or a removal did."""

    action: str  # "added", "replaced" or "removed"
    article_id: str
    title: str
    articles: int  # in the index now
    passages: int  # the article's passages (0 when removed)
    seconds: float
    version: Path  # the index version now current


class Newsroom:
    """Adds and removes articles of the configured folder and index, one writer at a time across processes."""

    def __init__(
        self, settings: EngineSettings, encoder: Encoder, loaded: Callable[[], LoadedIndex] | None = None
    ) -> None:
        self.settings, self.encoder = settings, encoder
        self.loaded = loaded  # the version the caller answers from: not loaded again when it is still current

    @property
    def seeds_dir(self) -> Path:
        """The articles folder."""
        return self.settings.seeds_dir

    def read(self, name: str, data: bytes, today: str | None = None) -> Draft:
        """The draft of a document (see `documents.read_document`), within the configured limits."""
        day = today or dt.datetime.now(dt.UTC).date().isoformat()
        min_chars, max_bytes = self.settings.article_min_chars, self.settings.article_max_bytes
        return read_document(name, data, today=day, min_chars=min_chars, max_bytes=max_bytes)

    def add(self, draft: Draft, article_id: str | None = None) -> Change:
        """Save and index `draft` as `article_id` (by default one made from its date and text)."""
        started = time.perf_counter()
        article_id = article_id or articles.new_article_id(draft)
        article = articles.prepare(self.seeds_dir, article_id, draft)
        new = encode_article(article, self.encoder, chunking_of(self.settings), sparse=self.settings.sparse_terms)
        with writing(self.settings.index_dir):
            replaced = self._stored(article_id) is not None
            self._change_both(article_id, lambda: articles.write(self.seeds_dir, article_id, draft), add=[new])
        return self._done("replaced" if replaced else "added", article_id, article.title, len(new.chunks), started)

    def remove(self, article_id: str) -> Change:
        """Delete the article from the folder and the index."""
        started = time.perf_counter()
        with writing(self.settings.index_dir):
            stored = self._stored(article_id)
            if stored is None:
                msg = f"there is no article {article_id}"
                raise CorpusError(msg)
            self._change_both(article_id, lambda: articles.delete(self.seeds_dir, article_id), remove=[article_id])
        return self._done("removed", article_id, stored.title, 0, started)

    def _stored(self, article_id: str) -> Article | None:
        """The article as the current index holds it, if it does."""
        store = PassageStore.load(current(self.settings.index_dir) / "passages")
        return store.articles.get(article_id)

    def _change_both(
        self,
        article_id: str,
        change_files: Callable[[], None],
        add: Sequence[NewArticle] = (),
        remove: Collection[str] = (),
    ) -> None:
        """Change the files, then the index; put the files back if the index cannot follow."""
        before = articles.Snapshot.take(self.seeds_dir, article_id)
        change_files()
        try:
            update_index(
                self.settings.index_dir,
                self.encoder,
                chunking_of(self.settings),
                add=add,
                remove=remove,
                params=IndexParams(type=self.settings.index_type),
                sparse=self.settings.sparse_terms,
                loaded=self.loaded() if self.loaded is not None else None,
            )
        except BaseException:
            before.restore()
            raise

    def _done(self, action: str, article_id: str, title: str, passages: int, started: float) -> Change:
        folder = current(self.settings.index_dir)
        count = int(read_manifest(folder)["counts"]["articles"])
        change = Change(action, article_id, title, count, passages, time.perf_counter() - started, folder)
        log.info(
            "article %s %s: %d articles now, version %s, %.1f s", article_id, action, count, folder.name, change.seconds
        )
        return change
