"""`make eval`: answer every question of the evaluation sets and score the pipeline.

A set is JSON lines: `kind` (`in`: the articles answer it, `out`: they do not),
`q`, and for `in` questions `expect` (groups of lowercase substrings; one of
each group must appear in the quoted answer) and `articles` (gold file-name
prefixes). Printed per set: recall@1/3/5 of passages (a passage is relevant
when it comes from a gold article and satisfies every `expect` group), answer
accuracy, lead accuracy (of the answered questions, the share whose first
quoted sentence answers on its own), source and refusal accuracy, latency
p50/p95; then the refusal-threshold trade-off over all sets. Exits 1 when a
target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.answer.record import Answer  # noqa: E402
from embeddings.config import EngineSettings  # noqa: E402
from embeddings.pipeline import Pipeline  # noqa: E402

SETS = (ROOT / "eval" / "dev_qa.jsonl", ROOT / "eval" / "qa.jsonl")
TARGETS = {"answer_accuracy": 0.90, "refusal_accuracy": 0.90, "recall@5": 0.95, "source_accuracy": 0.95}


@dataclass
class Outcome:
    """One question's result, kept for the threshold sweep."""

    item: dict[str, object]
    answer: Answer
    latency_ms: float
    evidence_ok: bool
    lead_ok: bool  # the first quoted sentence answers on its own
    sources_ok: bool
    first_relevant: int | None  # 1-based rank of the first relevant passage


def norm(text: str) -> str:
    """Lower case with ё folded to е, as the expectations are written."""
    return text.lower().replace("ё", "е")


def satisfies(text: str, groups: list[list[str]]) -> bool:
    """True when `text` holds one substring of every group."""
    body = norm(text)
    return all(any(norm(s) in body for s in group) for group in groups)


def gold(article_id: str, prefixes: list[str]) -> bool:
    """True when an article id starts with one of the gold prefixes."""
    return any(article_id.startswith(p) for p in prefixes)


def evaluate(pipeline: Pipeline, item: dict[str, object]) -> Outcome:
    """Ask one question and judge the answer."""
    question = str(item["q"])
    started = time.perf_counter()
    answer = pipeline.ask(question)
    latency = (time.perf_counter() - started) * 1000
    if item["kind"] != "in":
        return Outcome(item, answer, latency, False, False, False, None)
    groups = item["expect"]
    prefixes = item["articles"]
    assert isinstance(groups, list)
    assert isinstance(prefixes, list)
    quoted = " ".join(e.text for e in answer.evidence)
    evidence_ok = satisfies(quoted, groups)
    lead_ok = bool(answer.evidence) and satisfies(answer.evidence[0].text, groups)
    sources_ok = bool(answer.citations) and all(gold(c.article.id, prefixes) for c in answer.citations)
    first = next(
        (
            rank
            for rank, p in enumerate(answer.passages, start=1)
            if gold(p.article.id, prefixes) and satisfies(p.chunk.text, groups)
        ),
        None,
    )
    return Outcome(item, answer, latency, evidence_ok, lead_ok, sources_ok, first)


def summarise(outcomes: list[Outcome], threshold: float) -> dict[str, float]:
    """The figures of one set at a given refusal threshold."""
    answerable = [o for o in outcomes if o.item["kind"] == "in"]
    unanswerable = [o for o in outcomes if o.item["kind"] != "in"]

    def found(o: Outcome) -> bool:
        return bool(o.answer.evidence) and o.answer.confidence >= threshold

    def share(hits: int, total: int) -> float:
        return hits / total if total else 1.0

    latencies = sorted(o.latency_ms for o in outcomes)
    answered = [o for o in answerable if found(o)]
    return {
        "recall@1": share(
            sum(o.first_relevant is not None and o.first_relevant <= 1 for o in answerable), len(answerable)
        ),
        "recall@3": share(
            sum(o.first_relevant is not None and o.first_relevant <= 3 for o in answerable), len(answerable)
        ),
        "recall@5": share(
            sum(o.first_relevant is not None and o.first_relevant <= 5 for o in answerable), len(answerable)
        ),
        "answer_accuracy": share(sum(found(o) and o.evidence_ok for o in answerable), len(answerable)),
        "lead_accuracy": share(sum(o.lead_ok for o in answered), len(answered)),
        "source_accuracy": share(sum(o.sources_ok for o in answered), len(answered)),
        "refusal_accuracy": share(sum(not found(o) for o in unanswerable), len(unanswerable)),
        "latency_p50_ms": statistics.median(latencies) if latencies else 0.0,
        "latency_p95_ms": latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path, default=list(SETS), help="question files (JSON lines)")
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    args = parser.parse_args(argv)

    pipeline = Pipeline.open(EngineSettings())
    threshold = pipeline.answerer.threshold
    # Collect every answer with refusal off; each threshold is applied afterwards.
    pipeline.answerer.threshold = float("-inf")
    pipeline.ask("warm-up")
    all_outcomes: list[Outcome] = []
    missed = []
    for path in args.sets:
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        outcomes = [evaluate(pipeline, item) for item in items]
        all_outcomes.extend(outcomes)
        figures = summarise(outcomes, threshold)
        n_in = sum(o.item["kind"] == "in" for o in outcomes)
        print(f"\n== {path.name}: {len(items)} questions ({n_in} answerable, {len(items) - n_in} not)")
        print(f"   refusal threshold {threshold}")
        for key, value in figures.items():
            target = TARGETS.get(key)
            flag = "" if target is None else ("  ok" if value >= target else f"  BELOW TARGET {target}")
            unit = " ms" if key.startswith("latency") else ""
            print(f"  {key:<17} {value:8.3f}{unit}{flag}")
            if target is not None and value < target:
                missed.append(f"{path.name}: {key}")
        for o in outcomes:
            found = o.answer.confidence >= threshold
            wrong = (o.item["kind"] == "in" and not (found and o.evidence_ok)) or (o.item["kind"] != "in" and found)
            if wrong and args.verbose:
                said = " | ".join(e.text[:90] for e in o.answer.evidence) or "(refused)"
                print(f"  miss {o.item['id']} conf={o.answer.confidence:.3f} rank={o.first_relevant}: {o.item['q']}")
                print(f"       -> {said}")

    print("\n== refusal threshold trade-off (all sets)")
    print("  threshold  answer_acc  refusal_acc")
    step = 0.02 if threshold > 0.2 else 0.005
    for t in [round(threshold + step * i, 4) for i in range(-5, 6)]:
        f = summarise(all_outcomes, t)
        mark = "  <- configured" if abs(t - threshold) < 0.001 else ""
        print(f"  {t:9.3f}  {f['answer_accuracy']:10.3f}  {f['refusal_accuracy']:11.3f}{mark}")
    if missed:
        print("\nmissed targets: " + ", ".join(missed))
        return 1
    print("\nall targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
