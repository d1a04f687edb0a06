"""What natasha's syntax parser tells of a question's words.

"По сравнению с", "в течение", "в связи с", "в ходе" are prepositions
written as several words; Universal Dependencies, which natasha's
`NewsSyntaxParser` is trained on, joins their later words to the first by the
`fixed` relation. Those words ("сравнению", "течение") say nothing of what a
question asks about, so they are read as background: never a term the
articles must use.

"Про однополярный мир или многополярный" offers alternatives: words joined by
`conj` whose second has a disjunction for its `cc` ("или", "либо"). The
articles may name one and never the other, and the question is answered all
the same. The subject of a verb ("какая компания построила причал", "какой
завод открылся") names who or what acted, not a quantity. A verb over an
infinitive (`xcomp`: "хотят получить", "планируют открыть") says how it
stands with what the infinitive says.

The parser shares navec's vectors, which the meaning bridge loads anyway; it
is loaded with the NER tagger that reads a question's names
(`annotate/entities.py` `question_parsers`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from embeddings.annotate.entities import question_parsers
from embeddings.lexicon import best_parse
from embeddings.text import fold

_DISJUNCTIONS = frozenset(("или", "либо"))


@dataclass(frozen=True)
class Parsed:
    """What the parser tells of a Russian question: the later words of its multiword function words, the groups
    of words it offers as alternatives, the subjects of its verbs (who or what acts), and the verbs that govern
    an infinitive ("хотят получить": how, not what) (all folded)."""

    fixed: frozenset[str] = frozenset()
    alternatives: tuple[frozenset[str], ...] = ()
    agents: frozenset[str] = frozenset()
    frames: frozenset[str] = frozenset()


@lru_cache(maxsize=4096)
def parsed(text: str) -> Parsed:
    """The syntax of a Russian question `text` as far as reading it needs."""
    from natasha import Doc

    segmenter, _, parser = question_parsers()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.parse_syntax(parser)
    tokens = doc.tokens
    by_id = {token.id: token for token in tokens}
    children: dict[str, list[Any]] = {}
    for token in tokens:
        children.setdefault(token.head_id, []).append(token)
    verbs = {token.id for token in tokens if _kind(token) in ("VERB", "INFN")}
    return Parsed(
        fixed=frozenset(fold(token.text) for token in tokens if token.rel == "fixed"),
        alternatives=_alternatives(tokens, by_id, children),
        agents=frozenset(fold(token.text) for token in tokens if token.rel == "nsubj" and token.head_id in verbs),
        frames=frozenset(
            fold(by_id[token.head_id].text)
            for token in tokens
            if token.rel == "xcomp" and token.head_id in verbs and _kind(token) == "INFN"
        ),
    )


def _alternatives(
    tokens: list[Any], by_id: dict[str, Any], children: dict[str, list[Any]]
) -> tuple[frozenset[str], ...]:
    """The pairs of words joined by a disjunction: a `conj` with "или" for its `cc`, and its like."""
    groups = []
    for token in tokens:
        head = by_id.get(token.head_id)
        ors = (c for c in children.get(token.id, ()) if c.rel == "cc" and fold(c.text) in _DISJUNCTIONS)
        if token.rel != "conj" or head is None or next(ors, None) is None:
            continue
        # "однополярный мир или многополярный": the parser joins the adjective to the noun; its like is the
        # noun's own adjective
        kind = _kind(token)
        partner = head if _kind(head) == kind else None
        partner = partner or next((c for c in children.get(head.id, ()) if c is not token and _kind(c) == kind), None)
        if partner is not None:
            groups.append(frozenset((fold(partner.text), fold(token.text))))
    return tuple(groups)


def _kind(token: Any) -> str:
    """A token's part of speech by pymorphy (the parser's own tags are not loaded)."""
    return str(best_parse(fold(token.text)).tag.POS)
