"""`python -m embeddings build`: (re)build the index of the configured seeds."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from embeddings.config import EngineSettings
from embeddings.errors import EmbeddingsError
from embeddings.index.load import load_index
from embeddings.ingest.corpus import load_corpus
from embeddings.pipeline import encoder_of, rebuild


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m embeddings", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build the index from the seeds (atomically replaces the old one)")
    sub.add_parser("check", help="load the seeds and report malformed files")
    shown = sub.add_parser("annotations", help="show the typed spans of sentence N of the index")
    shown.add_argument("sentence", type=int, help="the sentence's id (0 is the first sentence of the index)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    settings = EngineSettings()
    try:
        if args.command == "check":
            corpus = load_corpus(settings.seeds_dir)
            for article in corpus.articles:
                print(json.dumps(article.metadata(), ensure_ascii=False))
            for problem in corpus.problems:
                print(f"error: {problem}", file=sys.stderr)
            return 1 if corpus.problems else 0
        if args.command == "annotations":
            return _show_annotations(settings, args.sentence)
        manifest = rebuild(settings, encoder_of(settings))
    except EmbeddingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({"index_dir": str(settings.index_dir), **manifest}, ensure_ascii=False, indent=2))
    return 0


def _show_annotations(settings: EngineSettings, sentence: int) -> int:
    """Print one sentence of the built index and its spans, one a line."""
    index = load_index(settings.index_dir)
    if not 0 <= sentence < len(index.sentences):
        print(f"error: the index has sentences 0 to {len(index.sentences) - 1}", file=sys.stderr)
        return 1
    print(index.sentences[sentence].text)
    for span in index.annotations[sentence]:
        value = f" -> {span.value}" if span.value and span.value != span.text else ""
        print(f"  {span.kind.value:<8} {span.start:>4}-{span.end:<4} {span.text}{value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
