"""`python -m embeddings build | check | annotations N | add FILE | remove ID`: the index and articles from a shell.

`build` rebuilds the index of the configured articles folder (SEEDS_DIR)
from scratch; `add` reads a .txt, .md or .html document, saves it in the
folder and indexes it, encoding only its own passages; `remove` deletes an
article from both. Each writes a new index version and swaps it in: a
running bot takes it within seconds (see docs/operations.md).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from embeddings.config import EngineSettings
from embeddings.errors import EmbeddingsError
from embeddings.index.load import load_index
from embeddings.ingest.corpus import load_corpus
from embeddings.newsroom import Change, Newsroom
from embeddings.pipeline import Pipeline, encoder_of, rebuild


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m embeddings", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="build the index from the seeds (atomically replaces the old one)")
    sub.add_parser("check", help="load the seeds and report malformed files")
    shown = sub.add_parser("annotations", help="show the typed spans of sentence N of the index")
    shown.add_argument("sentence", type=int, help="the sentence's id (0 is the first sentence of the index)")
    add = sub.add_parser("add", help="save a .txt, .md or .html document as an article and index it")
    add.add_argument("file", type=Path)
    add.add_argument("--id", help="the article's id (default: made from its date and text)")
    remove = sub.add_parser("remove", help="delete an article from the folder and the index")
    remove.add_argument("id")
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
        if args.command == "build":
            manifest = rebuild(settings, encoder_of(settings))
            print(json.dumps({"index_dir": str(settings.index_dir), **manifest}, ensure_ascii=False, indent=2))
            return 0
        pipeline = Pipeline.open(settings)  # an index to add to, fresh (built first when it is not)
        newsroom = Newsroom(settings, pipeline.encoder)
        if args.command == "add":
            change = newsroom.add(newsroom.read(args.file.name, args.file.read_bytes()), args.id)
        else:
            change = newsroom.remove(args.id)
    except (EmbeddingsError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(_described(change), ensure_ascii=False, indent=2))
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


def _described(change: Change) -> dict[str, object]:
    return {
        "action": change.action,
        "id": change.article_id,
        "title": change.title,
        "articles": change.articles,
        "passages": change.passages,
        "seconds": round(change.seconds, 2),
        "index_version": str(change.version),
    }


if __name__ == "__main__":
    sys.exit(main())
