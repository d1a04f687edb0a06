"""Fast, deterministic stand-ins for the real encoder."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from embeddings.encode.encoders import EncoderSpec, Vectors
from embeddings.text import tokenize


class FakeEncoder:
    """Hashes stemmed words into a small normalised bag-of-words vector.

    Texts that share words get similar vectors, which is all the unit tests
    need; it is exact and takes microseconds.
    """

    def __init__(self, dim: int = 64, name: str = "fake-bow") -> None:
        self._spec = EncoderSpec("fake", name, "1", dim)
        self.calls = 0

    @property
    def spec(self) -> EncoderSpec:
        """Backend, model, version and dimension."""
        return self._spec

    def encode_queries(self, texts: Sequence[str]) -> Vectors:
        """Same as passages: the fake is symmetric."""
        return self._encode(texts)

    def encode_passages(self, texts: Sequence[str]) -> Vectors:
        """Bag of hashed stems, L2-normalised."""
        return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> Vectors:
        self.calls += 1
        out = np.zeros((len(texts), self._spec.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text) or ["<empty>"]:
                bucket = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")
                out[row, bucket % self._spec.dim] += 1.0
            out[row] /= np.linalg.norm(out[row])
        return out


class RecordingProgress:
    """A build's progress reports, kept for the test to read."""

    def __init__(self) -> None:
        self.total = self.stage_count = self.finished = 0
        self.stages: list[str] = []
        self.steps: list[int] = []

    def start(self, total: int, stages: int) -> None:
        """Keep the announced total and stage count."""
        self.total, self.stage_count = total, stages

    def stage(self, name: str) -> None:
        """Keep the stage's name."""
        self.stages.append(name)

    def advance(self, count: int) -> None:
        """Keep the step."""
        self.steps.append(count)

    def finish(self) -> None:
        """Count the ends."""
        self.finished += 1


class FakeSparseEncoder(FakeEncoder):
    """`FakeEncoder` with a latent-term head: each stem hashed into one of `sparse_dim` features."""

    def __init__(self, dim: int = 64, name: str = "fake-bow-sparse", sparse_dim: int = 512) -> None:
        super().__init__(dim, name)
        self.sparse_dim = sparse_dim

    def encode_sparse(self, texts: Sequence[str], top_k: int) -> list[tuple[npt.NDArray[np.int32], Vectors]]:
        """The hashed stems' counts, the `top_k` largest."""
        rows = []
        for text in texts:
            counts: dict[int, float] = {}
            for token in tokenize(text):
                feature = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "little")
                counts[feature % self.sparse_dim] = counts.get(feature % self.sparse_dim, 0.0) + 1.0
            best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top_k]
            ids = np.asarray(sorted(f for f, _ in best), dtype=np.int32)
            rows.append((ids, np.asarray([counts[int(f)] for f in ids], dtype=np.float32)))
        return rows
