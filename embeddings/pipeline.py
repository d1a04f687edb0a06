"""The whole retrieval core behind one object: open once, ask many times."""

from __future__ import annotations

import itertools
import logging
import math
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from razdel import sentenize

from embeddings.annotate.initialisms import initialisms
from embeddings.annotate.nouns import measure_nouns, noun_classes
from embeddings.annotate.spans import Kind
from embeddings.annotate.speakers import Speaker
from embeddings.answer.answerer import Answerer
from embeddings.answer.cache import AnswerCache
from embeddings.answer.decision import Status
from embeddings.answer.record import Answer
from embeddings.answer.speech import SpeechAnswers, StorySpeaker, speaker_in, story_speakers
from embeddings.config import EngineSettings
from embeddings.encode.encoders import Encoder, SparseEncoder, Vectors, create_encoder
from embeddings.encode.latent import QUERY_TOP_K, SparseVector
from embeddings.errors import IndexFolderError, IndexMissingError, StaleIndexError
from embeddings.index.build import build_index
from embeddings.index.load import LoadedIndex, load_index, read_manifest
from embeddings.index.manifest import IndexParams, check_fresh, expected_identity, sparse_identity
from embeddings.index.progress import Progress
from embeddings.index.versions import current, writing
from embeddings.ingest.chunking import ChunkingParams, Sentence
from embeddings.ingest.corpus import Article, Corpus, load_corpus
from embeddings.params import DEFAULT, Params
from embeddings.retrieve.bridge import Bridged, WordBridge
from embeddings.retrieve.meaning import MeaningBridge
from embeddings.retrieve.reading import Reader, Reading
from embeddings.retrieve.search import Passage, Retriever, SearchResult
from embeddings.retrieve.spelling import Speller
from embeddings.retrieve.vocabulary import Vocabulary
from embeddings.text import cyrillic_share, is_cyrillic, tokenize, visible

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000


@dataclass(frozen=True)
class SourceInfo:
    """An article of the corpus and how many passages it contributes."""

    article: Article
    passages: int


_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


@dataclass(frozen=True)
class BriefLine:
    """A sentence of the story in brief, and the articles that state it (its own first)."""

    sentence: Sentence
    articles: tuple[Article, ...]


def clean_question(text: str) -> tuple[str, bool]:
    """Visible, single-spaced question text, cut to `MAX_QUESTION_CHARS`; and whether it was cut.

    A long message is cut around its question: the text before its last
    question mark, from a sentence start (people write the background
    first and ask at the end); without a question mark, its beginning.
    """
    text = visible(text)
    if len(text) <= MAX_QUESTION_CHARS:
        return text, False
    asked = _LINK.sub(lambda m: " " * len(m.group()), text).rfind("?")  # a link's "?" asks nothing
    if asked >= 0:
        start = max(0, asked + 1 - MAX_QUESTION_CHARS)
        window = text[start : asked + 1]
        if start == 0:
            return window, True
        starts = [s.start for s in sentenize(window)][1:]  # the first may begin mid-sentence
        if starts and starts[0] < len(window) - 1:
            return window[starts[0] :], True
        return window.split(" ", 1)[-1], True
    cut = text[:MAX_QUESTION_CHARS].rsplit(" ", 1)[0]
    return cut or text[:MAX_QUESTION_CHARS], True


def chunking_of(settings: EngineSettings) -> ChunkingParams:
    """The chunking parameters a configuration asks for."""
    return ChunkingParams(max_chars=settings.chunk_max_chars, min_chars=settings.chunk_min_chars)


def encoder_of(settings: EngineSettings) -> Encoder:
    """The encoder a configuration names."""
    return create_encoder(
        settings.encoder_backend,
        model=settings.encoder_model,
        query_prefix=settings.encoder_query_prefix,
        passage_prefix=settings.encoder_passage_prefix,
        num_threads=settings.encoder_threads,
        device=settings.encoder_device,
    )


def rebuild(
    settings: EngineSettings,
    encoder: Encoder,
    progress: Progress | None = None,
    params: Params = DEFAULT,
    corpus: Corpus | None = None,
) -> dict[str, object]:
    """Build the index of the configured seeds (or of `corpus`, loaded from them) from scratch; returns its manifest.

    Holds the writers' lock: an article added meanwhile waits, then goes into the new version.
    """
    with writing(settings.index_dir):
        corpus = corpus if corpus is not None else load_corpus(settings.seeds_dir)
        return build_index(
            corpus,
            encoder,
            settings.index_dir,
            chunking=chunking_of(settings),
            params=IndexParams(type=settings.index_type),
            progress=progress,
            sparse=settings.sparse_terms,
            record={"params": params.as_dict()},
        )


def expected_of(settings: EngineSettings, encoder: Encoder, corpus: Corpus) -> dict[str, object]:
    """What the manifest of a fresh index of `corpus` records, with these settings and this encoder."""
    sparse = sparse_identity(encoder, settings.sparse_terms)
    return expected_identity(corpus, encoder.spec, chunking_of(settings), sparse)


def seed_articles(settings: EngineSettings) -> None:
    """Start a missing articles folder as a copy of `SEEDS_INIT_DIR` (the image's articles, for a shared volume)."""
    source, target = settings.seeds_init_dir, settings.seeds_dir
    if source is None or target.exists():
        return
    with writing(settings.index_dir):
        if target.exists():
            return  # another replica did it while this one waited
        partial = target.with_name(f".{target.name}.copying")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(source, partial)
        partial.rename(target)
        log.info("the articles folder %s starts as a copy of %s", target, source)


def person_stems(index: LoadedIndex) -> frozenset[str]:
    """The stems of the persons' names the articles give in full (first and last name: a single word the
    recogniser calls a person is as often an institution)."""
    names = {s.value for spans in index.annotations for s in spans if s.kind is Kind.PER}
    return frozenset(stem for name in names if len(name.split()) > 1 for stem in tokenize(name))


def corpus_is_cyrillic(index: LoadedIndex, sample: int = 50) -> bool:
    """Whether the articles are written in Cyrillic (a sample of them tells)."""
    text = " ".join(a.text[:2000] for a in itertools.islice(index.articles.values(), sample))
    return cyrillic_share(text) >= 0.5


def _fresh_index(settings: EngineSettings, encoder: Encoder) -> LoadedIndex:
    """The current version, if it was built from the articles in the folder now with these settings."""
    folder = current(settings.index_dir)  # one version: a swap meanwhile cannot mix two
    check_fresh(read_manifest(folder), expected_of(settings, encoder, load_corpus(settings.seeds_dir)))
    return load_index(folder)


def _say_why(problem: IndexFolderError, settings: EngineSettings) -> None:
    articles, where = len(load_corpus(settings.seeds_dir).articles), settings.seeds_dir
    if isinstance(problem, IndexMissingError):
        log.info(
            "first start: building the index of the %d articles in %s into %s; later starts load it",
            articles,
            where,
            settings.index_dir,
        )
    elif isinstance(problem, StaleIndexError):  # the articles or the settings changed: expected, not a fault
        log.info("%s: rebuilding it from the %d articles in %s", problem, articles, where)
    else:
        log.warning("%s: building the index now", problem)


class Pipeline:
    """Question in, grounded `Answer` out. Thread-safe for concurrent `ask` calls.

    One path: the question is cleaned and read (`Reader`: language, form,
    what it asks for, its terms mapped onto the articles' words), words of
    another language are bridged to the articles' words, the passages are
    retrieved, and the answer stage decides and quotes.
    """

    def __init__(
        self,
        index: LoadedIndex,
        encoder: Encoder,
        *,
        params: Params = DEFAULT,
        top_k: int = 5,
        cache_size: int = 4096,
    ) -> None:
        self.index = index
        self.encoder = encoder
        self.params = params
        self.top_k = top_k
        self.retriever = Retriever(index, encoder, params.fusion)
        self.answerer = Answerer(index, params, encoder.encode_queries)
        self.speller = Speller(index.bm25)
        bm25 = index.bm25
        unknown = math.log(1 + (bm25.size + 0.5) / 1.5)  # a word the articles never use weighs like the rarest
        self.reader = Reader(
            Vocabulary(self.speller.known, bm25.words, initialisms(index.annotations)),
            self.speller,
            lambda stem: bm25.idf(stem) if stem else unknown,
            corpus_cyrillic=corpus_is_cyrillic(index),
            measures=measure_nouns([s.text for s in index.sentences], index.annotations),
            classes=noun_classes(index.annotations),
            roles=frozenset(s.value for spans in index.annotations for s in spans if s.kind is Kind.ROLE),
            persons=person_stems(index),
        )
        self.meaning = MeaningBridge(index.word_forms, params.bridge)
        self.bridge = (
            WordBridge(index.word_forms, index.word_vectors, encoder, params.bridge)
            if len(index.word_forms) and index.word_vectors is not None
            else None
        )
        self.speech = SpeechAnswers(index, params.bridge.search)
        self.cache = AnswerCache(cache_size)

    @classmethod
    def open(
        cls,
        settings: EngineSettings,
        *,
        encoder: Encoder | None = None,
        progress: Progress | None = None,
        params: Params = DEFAULT,
    ) -> Pipeline:
        """Load the index, rebuilding it first when it is missing or stale (if allowed)."""
        encoder = encoder or encoder_of(settings)
        seed_articles(settings)
        try:
            index = _fresh_index(settings, encoder)
        except IndexFolderError as exc:
            if not settings.auto_rebuild:
                msg = f"{exc}; run `python -m embeddings build` (or `make index`), or set AUTO_REBUILD=true"
                raise StaleIndexError(msg) from exc
            with writing(settings.index_dir):
                try:  # another process may have rebuilt it while this one waited for the lock
                    index = _fresh_index(settings, encoder)
                except IndexFolderError as again:
                    _say_why(again, settings)
                    rebuild(settings, encoder, progress, params)
                    index = load_index(settings.index_dir)
        return cls.of(index, encoder, settings, params)

    @classmethod
    def load(cls, settings: EngineSettings, *, encoder: Encoder, params: Params = DEFAULT) -> Pipeline:
        """The index's current version as it is, not compared with the articles folder (a replica following
        another's changes); `StaleIndexError` when it was built with another encoder."""
        index = load_index(settings.index_dir)
        if index.manifest.get("encoder") != encoder.spec.as_dict():
            msg = "the index was built with another encoder; rebuild it with `python -m embeddings build`"
            raise StaleIndexError(msg)
        return cls.of(index, encoder, settings, params)

    @classmethod
    def of(cls, index: LoadedIndex, encoder: Encoder, settings: EngineSettings, params: Params = DEFAULT) -> Pipeline:
        """A pipeline over `index` with the configured answer threshold, top k and cache."""
        if settings.answer_threshold is not None:
            threshold = settings.answer_threshold
            params = replace(
                params,
                decision=replace(params.decision, threshold=threshold),
                decision_dense=replace(params.decision_dense, threshold=threshold),
            )
        return cls(index, encoder, params=params, top_k=settings.top_k, cache_size=settings.answer_cache_size)

    def ask(self, question: str) -> Answer:
        """Answer one question from the articles (from the cache when it was asked before)."""
        cached = self.cached(question)
        if cached is not None:
            return cached
        return self.ask_encoded(question, None)

    def cached(self, question: str) -> Answer | None:
        """The answer to an equal question asked before under this index, if remembered."""
        return self.cache.get(question, self.index.version)

    def read(self, question: str) -> tuple[Reading | None, bool]:
        """How the pipeline reads `question` (None when nothing is left after cleaning); and whether it was cut."""
        cleaned, trimmed = clean_question(question)
        return (self.reader.read(cleaned) if cleaned else None), trimmed

    def prepare(self, question: str) -> tuple[str, bool]:
        """The text encoded for `question`: cleaned, cut, in Cyrillic, typos corrected; and whether it was cut."""
        reading, trimmed = self.read(question)
        return (reading.searched if reading else ""), trimmed

    def encode_questions(self, questions: Sequence[str]) -> Vectors:
        """Query vectors for prepared questions, in one encoder call."""
        return self.encoder.encode_queries(list(questions))

    def ask_encoded(self, question: str, query_vector: Vectors | None) -> Answer:
        """Answer `question`, reusing `query_vector` (of its prepared text) when it is already encoded."""
        reading, trimmed = self.read(question)
        if reading is None:
            return Answer(question=question, status=Status.NOT_FOUND, reason="empty", question_trimmed=trimmed)
        bridged = self.bridged(reading)
        answer = self.speech.answer(reading, bridged)
        if answer is None:
            result = self.search(reading, bridged, max(self.top_k, self.params.fusion.rerank), query_vector)
            answer = self.answerer.answer(
                reading, result, bridged, near=self.near(reading), limit=self.top_k, question_trimmed=trimmed
            )
        answer = replace(answer, question=question)
        self.cache.put(question, self.index.version, answer)
        return answer

    def bridged(self, reading: Reading) -> dict[str, Bridged]:
        """Question words the articles do not use, mapped onto their words: another language's by the encoder, Russian
        verbs by navec (`retrieve/meaning.py`)."""
        unmatched = [t.word for t in reading.terms if not t.found and not t.key]
        if not reading.foreign:
            return self.meaning.map([w for w in unmatched if is_cyrillic(w)]) if unmatched else {}
        if self.bridge is None:
            return {}
        return self.bridge.map(unmatched)

    def near(self, reading: Reading) -> dict[str, dict[str, float]]:
        """Russian verbs of the question that the articles use, with the other article stems of like meaning (navec):
        a sentence may say the same in other words."""
        return self.meaning.near([t.word for t in reading.focus if t.found and is_cyrillic(t.word)])

    def search(
        self, reading: Reading, bridged: Mapping[str, Bridged], k: int, query_vector: Vectors | None = None
    ) -> SearchResult:
        """The passages for a reading: its searched text, its latent terms, and the article stems of its words."""
        stems = [t.stem for t in reading.terms if t.stem]
        stems += [hit.stem for hit in bridged.values() if hit.strength >= self.params.bridge.search]
        return self.retriever.search(reading.searched, k, query_vector, self.sparse_query(reading.searched), stems)

    def passages(self, question: str, limit: int) -> list[Passage]:
        """The `limit` passages closest to `question`, best first (for "more results")."""
        reading, _ = self.read(question)
        if reading is None or limit <= 0:
            return []
        return self.search(reading, self.bridged(reading), limit).passages[:limit]

    def sparse_query(self, text: str) -> SparseVector | None:
        """The latent-term vector of a question, when the index and the encoder have them."""
        if self.index.sparse_chunks is None or not isinstance(self.encoder, SparseEncoder):
            return None
        return self.encoder.encode_sparse([text], QUERY_TOP_K)[0]

    def brief(self) -> list[BriefLine]:
        """The story in brief, chosen when the index was built, in story order."""
        lines = []
        for item in self.index.brief:
            sentences = [self.index.sentences[i] for i in (item.sentence, *item.also)]
            lines.append(BriefLine(sentences[0], tuple(self.index.articles[s.article_id] for s in sentences)))
        return lines

    def speakers(self) -> list[StorySpeaker]:
        """The story's speakers, the most quoted first, each with the ids of the sentences they said."""
        return story_speakers(self.index)

    def speaker_at(self, article_id: str, start: int, end: int) -> Speaker | None:
        """Who said the passage `start`..`end` of an article (None when no one, or more than one, said it)."""
        return speaker_in(self.index, article_id, start, end)

    def article_at(self, position: int) -> Article | None:
        """The article stored at `position`, if there is one."""
        return self.index.store.article_at(position) if 0 <= position < len(self.index.articles) else None

    def article_position(self, article_id: str) -> int:
        """Where an article of the index is stored (see `article_at`)."""
        return self.index.store.articles.position(article_id)

    def sources(self) -> list[SourceInfo]:
        """Every article in the index, newest first, with its passage count."""
        counts = self.index.store.article_counts()
        articles = sorted(self.index.articles.values(), key=lambda a: (a.date, a.id), reverse=True)
        return [SourceInfo(a, counts.get(a.id, 0)) for a in articles]
