"""Words that only build a function word with others, by natasha's syntax parser.

"По сравнению с", "в течение", "в связи с", "в ходе" are prepositions
written as several words; Universal Dependencies, which natasha's
`NewsSyntaxParser` is trained on, joins their later words to the first by the
`fixed` relation. Those words ("сравнению", "течение") say nothing of what a
question asks about, so they are read as background: never a term the
articles must use. The parser shares navec's vectors, which the meaning
bridge loads anyway; it is loaded with the NER tagger that reads a question's
names (`annotate/entities.py` `question_parsers`).
"""

from __future__ import annotations

from functools import lru_cache

from embeddings.annotate.entities import question_parsers
from embeddings.text import fold


@lru_cache(maxsize=4096)
def fixed_words(text: str) -> frozenset[str]:
    """The folded words of a Russian `text` that are the later parts of a multiword function word."""
    from natasha import Doc

    segmenter, _, parser = question_parsers()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.parse_syntax(parser)
    return frozenset(fold(token.text) for token in doc.tokens if token.rel == "fixed")
