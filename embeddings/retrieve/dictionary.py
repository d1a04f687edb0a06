"""English words in Russian: the translations of Mueller's English-Russian dictionary.

`embeddings/resources/eng-rus.tsv.gz` is made from Debian's `mueller7-dict`
by `tools/english_russian.py` (see `embeddings/resources/README.md`): each
English headword with its one-word Russian translations in the order of its
senses. An inflected word is looked up with its lemmas too (lemminflect:
"opened" also as "open", "negotiations" as "negotiation"); a word neither
lists is looked up by its English stem (the shortest headword of that
stem). A British spelling is looked up as the American one the dictionary
uses (breame's lists: "organisation" as "organization"). Loaded once per
process, when an English word is first asked about.
"""

from __future__ import annotations

import gzip
import threading
from importlib import resources

from breame.spelling import get_american_spelling

from embeddings.lexicon import VERBS, best_parse
from embeddings.retrieve.words import english_lemmas
from embeddings.text import stem

_lock = threading.Lock()
_tables: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | None = None


def _load() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    global _tables
    if _tables is not None:
        return _tables
    with _lock:
        if _tables is None:
            raw = resources.files("embeddings.resources").joinpath("eng-rus.tsv.gz").read_bytes()
            table: dict[str, tuple[str, ...]] = {}
            heads: dict[str, str] = {}  # stem -> its shortest headword, the base form ("combine", not "combination")
            for line in gzip.decompress(raw).decode("utf-8").splitlines():
                head, _, words = line.partition("\t")
                table[head] = tuple(words.split())
                key = stem(head) or head
                if key not in heads or len(head) < len(heads[key]):
                    heads[key] = head
            _tables = table, {key: table[head] for key, head in heads.items()}
        return _tables


def russian_for(word: str) -> tuple[str, ...]:
    """The Russian translations of a folded English word, commonest sense first; () when the dictionary lacks it.

    An inflected form adds its lemmas' senses (lemminflect): "opened" is listed as the adjective only, "open"
    has the verb; "negotiations" is not listed, and its stem's shortest headword is "negotiant".
    """
    table, by_stem = _load()
    found = [t for key in (word, *english_lemmas(word)) for t in table.get(key, ())]
    american = get_american_spelling(word)
    if not found and american != word:  # the dictionary spells the American way: "organisation"
        return russian_for(american)
    if not found:
        return by_stem.get(stem(word) or word, ())
    return tuple(dict.fromkeys(found))


def names_an_action(word: str) -> bool:
    """Whether the dictionary's first Russian translation of a folded English word is a verb ("adopted")."""
    found = russian_for(word)
    return bool(found) and best_parse(found[0]).tag.POS in VERBS
