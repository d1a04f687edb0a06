"""Fit the evidence and decision weights on the tuning questions, with cross-validation.

It reads `eval/tune.jsonl`, and the questions of each story folder given
with `--story` (a tuning story of `make eval`, indexed anew in a temporary
folder), every question weighing the same; `eval/heldout.jsonl` and the
held-out story are never looked at here. `--decision` refits the support
model alone, over the evidence weights in use. `make fit` does that on
`tune.jsonl` and the four tuning stories, which gives the support model with
latent terms in `embeddings/params.py` (the dense-only one is kept from
before, see docs/quality.md); the evidence weights were fitted by this
script on `tune.jsonl` alone.

1. Evidence ranking: a logistic regression over the features of every
   candidate window of the answerable questions (a window is right when it
   holds the expected words), each question weighing as much as any other.
   Reported: how often the best window is right, on held-out folds.
2. The support model: a logistic regression over `support_features` of the
   questions that the rules leave open (no absent term or topic, the
   asked-for part present), labelled by whether the articles answer them.
   Reported: answer and refusal rates over all the questions, with the
   support model's predictions taken on held-out folds, at each threshold;
   the threshold chosen is the one with the highest sum of the two.
3. The same two models without latent terms, for indexes built without
   them (`SPARSE_TERMS=false` or an encoder without a sparse head, such as a
   sentence-transformers model).

The window weights are kept non-negative (see `fit_ranker`).

It prints the `Params` to put in `embeddings/params.py`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import sys
import tempfile
from dataclasses import fields, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.answer.candidates import lacks_part  # noqa: E402
from embeddings.answer.decision import by_rule, support_features  # noqa: E402
from embeddings.answer.evidence import FEATURES  # noqa: E402
from embeddings.config import EngineSettings  # noqa: E402
from embeddings.index.load import window_text  # noqa: E402
from embeddings.params import DEFAULT, Decision, Evidence, Params  # noqa: E402
from embeddings.pipeline import Pipeline  # noqa: E402
from eval.score import load, satisfies  # noqa: E402

TUNE = ROOT / "eval" / "tune.jsonl"
FOLDS = 5
L2 = 1.0
Matrix = npt.NDArray[np.float64]


def logistic(x: Matrix, y: Matrix, weights: Matrix | None = None, l2: float = L2) -> Matrix:
    """Weights (last: intercept) of an L2-regularised logistic regression, by Newton's method."""
    x = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros(x.shape[1])
    sample = np.ones(len(y)) if weights is None else weights
    penalty = l2 * np.diag(np.r_[np.ones(x.shape[1] - 1), 0.0]) / len(y)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ ((p - y) * sample) / sample.sum() + penalty @ w
        hessian = (x.T * (p * (1 - p) * sample)) @ x / sample.sum() + penalty
        step = np.linalg.solve(hessian + 1e-9 * np.eye(len(w)), gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def folds(count: int, seed: int = 0) -> list[list[int]]:
    """`FOLDS` disjoint parts of range(count), shuffled with a fixed seed."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return [order[i::FOLDS] for i in range(FOLDS)]


def windows_of(pipeline: Pipeline, items: list[dict[str, object]]) -> list[tuple[Matrix, Matrix]]:
    """Per answerable question: the feature rows of its candidate windows and whether each is right."""
    index = pipeline.index
    data = []
    for item in items:
        if item["kind"] != "in":
            continue
        reading, _ = pipeline.read(str(item["q"]))
        assert reading is not None
        bridged = pipeline.bridged(reading)
        result = pipeline.search(reading, bridged, pipeline.params.fusion.rerank)
        ranked = pipeline.answerer.ranker.rank(reading, result, bridged, pipeline.near(reading))
        rows, labels = [], []
        for candidate in ranked:
            text = window_text(index.chunks, index.windows[candidate.window_id], index.sentences)
            rows.append([candidate.features[name] for name in FEATURES])
            labels.append(1.0 if satisfies(text, item["expect"]) else 0.0)  # type: ignore[arg-type]
        data.append((np.array(rows), np.array(labels)))
    return data


def fit_ranker(data: list[tuple[Matrix, Matrix]], l2: float = 0.01, steps: int = 3000) -> Matrix:
    """Window weights maximising, over the questions, the softmax probability of their right windows.

    A listwise objective (each question's windows compete with each other),
    fitted by gradient ascent with Adam; the last weight is a zero intercept,
    for the same shape as the other models. Every feature is built so that
    more means better evidence, so the weights are kept non-negative (each
    step is projected back): a negative weight would only play one feature
    off against a correlated one on the tuning questions, and such a
    balance breaks with an encoder whose cosines spread differently.
    """
    usable = [(x, y) for x, y in data if 0 < y.sum() < len(y)]
    scale = np.vstack([x for x, _ in usable]).std(axis=0) + 1e-9
    w = np.zeros(usable[0][0].shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        gradient = -l2 * w
        for x, y in usable:
            z = (x / scale) @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            q = p * y / (p * y).sum()
            gradient += (x / scale).T @ (q - p) / len(usable)
        m = 0.9 * m + 0.1 * gradient
        v = 0.999 * v + 0.001 * gradient**2
        w += 0.05 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        np.maximum(w, 0.0, out=w)
    return np.r_[w / scale, 0.0]


def top_right(data: list[tuple[Matrix, Matrix]], w: Matrix) -> float:
    """Share of the questions whose best-scored window is right."""
    return float(np.mean([y[int(np.argmax(x @ w[:-1]))] > 0 if len(y) else False for x, y in data]))


Source = tuple[Pipeline, list[dict[str, object]]]  # an index and the questions asked of it


def ranker_params(sources: list[Source], label: str) -> Evidence:
    """Fit the window weights on the questions of every source; print the fold figures."""
    data = [row for pipeline, items in sources for row in windows_of(pipeline, items)]
    current = sources[0][0].answerer.ranker.params
    hand = np.array([getattr(current, n) for n in FEATURES] + [0.0])
    scores = []
    for part in folds(len(data)):
        held = set(part)
        w = fit_ranker([d for i, d in enumerate(data) if i not in held])
        scores.append(top_right([data[i] for i in part], w))
    w = fit_ranker(data)
    print(f"{label}: best window right, fold mean {np.mean(scores):.3f}; current weights {top_right(data, hand):.3f}")
    return replace(current, **{n: round(float(v), 2) for n, v in zip(FEATURES, w[:-1], strict=True)})


def decision_rows(
    pipeline: Pipeline, items: list[dict[str, object]]
) -> tuple[list[str], Matrix, Matrix, dict[str, int]]:
    """Support features and labels of the questions the rules leave open; counts of the rest.

    The counts: answerable and unanswerable questions in all, and those of
    each that the rules refuse or make partial whatever the support.
    """
    names: list[str] = []
    rows, labels = [], []
    counts = {"in": 0, "out": 0, "in_ruled": 0, "out_ruled": 0}
    for item in items:
        side = "in" if item["kind"] == "in" else "out"
        counts[side] += 1
        reading, _ = pipeline.read(str(item["q"]))
        if reading is None:
            counts[f"{side}_ruled"] += 1
            continue
        bridged = pipeline.bridged(reading)
        result = pipeline.search(reading, bridged, pipeline.params.fusion.rerank)
        answerer = pipeline.answerer
        ranked = answerer.ranker.rank(reading, result, bridged, pipeline.near(reading))
        stems = frozenset(term.stem for term in reading.terms if term.stem)
        quotes = answerer.ranker.choose(ranked, stems) if ranked else []
        partial = lacks_part(reading, answerer.ranker.quoted(quotes))
        if by_rule(reading, ranked, bridged) is not None or partial:
            counts[f"{side}_ruled"] += 1
            continue
        coverage = None
        if result.query_sparse is not None and pipeline.index.sparse_chunks is not None:
            coverage = pipeline.index.sparse_chunks.coverage(result.query_sparse)
        pull = answerer.pull(reading, ranked, result, bridged, pipeline.near(reading))
        features = support_features(reading, ranked[0], coverage, bridged, pull)
        names = list(features)
        rows.append([features[n] for n in names])
        labels.append(1.0 if side == "in" else 0.0)
    return names, np.array(rows), np.array(labels), counts


def decision_params(sources: list[Source], base: Decision, label: str) -> Decision:
    """Fit the support model; choose its threshold on the fold predictions (best answer + refusal rate)."""
    names: list[str] = []
    parts, targets, counts = [], [], dict.fromkeys(("in", "out", "in_ruled", "out_ruled"), 0)
    for pipeline, items in sources:
        own_names, own_x, own_y, own_counts = decision_rows(pipeline, items)
        names = names or own_names
        if len(own_y):
            parts.append(own_x)
            targets.append(own_y)
        counts = {key: counts[key] + own_counts[key] for key in counts}
    x, y = np.vstack(parts), np.concatenate(targets)
    predicted = np.zeros(len(y))
    for part in folds(len(y), seed=1):
        train = np.setdiff1d(np.arange(len(y)), part)
        w = logistic(x[train], y[train])
        predicted[part] = 1.0 / (1.0 + np.exp(-(np.hstack([x[part], np.ones((len(part), 1))]) @ w)))
    print(
        f"{label}: of {counts['in']} answerable and {counts['out']} unanswerable questions, the rules refuse "
        f"{counts['in_ruled']} and {counts['out_ruled']}; the support model sees the {len(y)} others."
    )
    print("   threshold  fold answer / refusal rate, over all questions")
    rates = []
    for t in [round(0.05 * i, 2) for i in range(2, 19)]:
        answered = float((predicted[y == 1] >= t).sum()) / counts["in"]
        refused = (counts["out_ruled"] + float((predicted[y == 0] < t).sum())) / counts["out"]
        rates.append((answered + refused, answered, t))
        print(f"   {t:9.2f}  {answered:.3f} / {refused:.3f}")
    _, _, threshold = max(rates)
    w = logistic(x, y)
    values = {n: round(float(v), 2) for n, v in zip(names, w[:-1], strict=True)}
    return replace(base, intercept=round(float(w[-1]), 2), threshold=threshold, **values)


def main(argv: list[str] | None = None) -> int:
    """Entry point: fit, print the figures and the parameters."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--story", type=Path, action="append", default=[], help="a story folder (seeds/, questions.jsonl) to fit on too"
    )
    parser.add_argument("--decision", action="store_true", help="fit the support model only; keep the evidence weights")
    args = parser.parse_args(argv)
    settings = EngineSettings(answer_cache_size=0)
    pipeline = Pipeline.open(settings, params=DEFAULT)
    with contextlib.ExitStack() as stack:
        folders = [Path(stack.enter_context(tempfile.TemporaryDirectory())) for _ in range(2 * len(args.story) + 1)]
        stories = [(story / "seeds", load(story / "questions.jsonl")) for story in args.story]
        sources: list[Source] = [(pipeline, load(TUNE))]
        for (seeds, items), folder in zip(stories, folders, strict=False):
            story_settings = settings.model_copy(update={"seeds_dir": seeds, "index_dir": folder / "index"})
            sources.append((Pipeline.open(story_settings, encoder=pipeline.encoder, params=DEFAULT), items))
        evidence = DEFAULT.evidence if args.decision else ranker_params(sources, "evidence (latent terms)")
        decision = decision_params(
            _with(sources, replace(DEFAULT, evidence=evidence)), DEFAULT.decision, "support (latent terms)"
        )
        dense_sources: list[Source] = []
        for (seeds, items), folder in zip(
            [(settings.seeds_dir, load(TUNE)), *stories], folders[len(stories) :], strict=True
        ):
            dense_settings = settings.model_copy(
                update={"sparse_terms": False, "seeds_dir": seeds, "index_dir": folder / "index"}
            )
            dense_sources.append((Pipeline.open(dense_settings, encoder=pipeline.encoder, params=DEFAULT), items))
        evidence_dense = (
            DEFAULT.evidence_dense if args.decision else ranker_params(dense_sources, "evidence (dense only)")
        )
        decision_dense = decision_params(
            _with(dense_sources, replace(DEFAULT, evidence_dense=evidence_dense)),
            DEFAULT.decision_dense,
            "support (dense only)",
        )
    params = replace(
        DEFAULT, evidence=evidence, evidence_dense=evidence_dense, decision=decision, decision_dense=decision_dense
    )
    fitted_on = ", ".join(["eval/tune.jsonl", *(str(story) for story in args.story)])
    print(f"\nembeddings/params.py, fitted on {fitted_on}:")
    for part in (params.evidence, params.evidence_dense, params.decision, params.decision_dense):
        print(f"  {type(part).__name__}: " + json.dumps({f.name: getattr(part, f.name) for f in fields(part)}))
    return 0


def _with(sources: list[Source], params: Params) -> list[Source]:
    """The same indexes and questions, answered with `params`."""
    return [(Pipeline(p.index, p.encoder, params=params, cache_size=0), items) for p, items in sources]


if __name__ == "__main__":
    sys.exit(main())
