"""Words that only build a function word with others, by natasha's syntax parser.

"По сравнению с", "в течение", "в связи с", "в ходе" are prepositions
written as several words; Universal Dependencies, which natasha's
`NewsSyntaxParser` is trained on, joins their later words to the first by the
`fixed` relation. Those words ("сравнению", "течение") say nothing of what a
question asks about, so they are read as background: never a term the
articles must use. The parser shares navec's vectors, which the meaning
bridge loads anyway; it is loaded when the first Russian question is read.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from embeddings.lexicon import navec
from embeddings.text import fold

_lock = threading.Lock()
_parser: tuple[Any, Any] | None = None


def _parts() -> tuple[Any, Any]:
    global _parser
    with _lock:
        if _parser is None:
            from natasha import NewsSyntaxParser, Segmenter

            _parser = Segmenter(), NewsSyntaxParser(navec())
        return _parser


@lru_cache(maxsize=4096)
def fixed_words(text: str) -> frozenset[str]:
    """The folded words of a Russian `text` that are the later parts of a multiword function word."""
    from natasha import Doc

    segmenter, parser = _parts()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.parse_syntax(parser)
    return frozenset(fold(token.text) for token in doc.tokens if token.rel == "fixed")
