"""Make `embeddings/resources/eng-rus.tsv.gz` from Mueller's English-Russian dictionary (7th edition).

The source is Debian's `mueller7-dict` package (GPL-2+, see
`embeddings/resources/README.md`); it is read here once, never at run time:

    apt-get download mueller7-dict && dpkg-deb -x mueller7-dict_*.deb mueller7
    python tools/english_russian.py mueller7/usr/share/dictd/mueller7.dict.dz

Each line of the result is an English headword, a tab, and its Russian
one-word translations, space-separated, in the dictionary's
order of senses (so the commonest sense comes first). Examples, usage
labels ("_эк.", "_воен.") and explanations in brackets are left out; a form
the dictionary sends elsewhere ("met: _p. от meet") gets the translations of
the word it is a form of, before its own ("said": "say", then "вышеуказанный").
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.lexicon import best_parse  # noqa: E402

OUT = ROOT / "embeddings" / "resources" / "eng-rus.tsv.gz"
MAX_TRANSLATIONS = 40
MAX_PIECE_WORDS = 1  # a translation of more words is a phrase or an explanation, not a word to look for

_HEADWORD = re.compile(r"^[a-z][a-z'-]*$")
_FORM_OF = re.compile(r"_(?:p|p-p|pl|past|pres-p|superl|comp)\.(?:\s*и\s*_p-p\.)?\s*от\s+([a-z][a-z'-]*)")
_BRACKETS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_LABEL = re.compile(r"_[^\s.]+\.?")
_SENSE = re.compile(r"(?:^|\s)(?:\d+[.)]|[а-яё]\))\s")
_CYRILLIC_PIECE = re.compile(r"^[а-яё-]+(?: [а-яё-]+)*$")
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})


def entries(text: str) -> dict[str, str]:
    """Headword -> the body of its entry (headwords start a line, bodies are indented)."""
    found: dict[str, str] = {}
    head, body = "", []
    for line in text.splitlines():
        if line and not line[0].isspace():
            if head:
                found.setdefault(head, " ".join(body))
            head, body = line.strip().lower(), []
        else:
            body.append(line.strip())
    if head:
        found.setdefault(head, " ".join(body))
    return {h: b for h, b in found.items() if _HEADWORD.match(h)}


def translations(body: str) -> list[str]:
    """The Russian words of an entry's senses, in order, without examples and labels."""
    words: list[str] = []
    text = _LABEL.sub(" ", _BRACKETS.sub(" ", body))
    for sense in _SENSE.split(text):
        for piece in re.split(r"[;,]", sense):
            piece = " ".join(piece.split()).strip(" .!?:").lower()
            if not piece or len(piece.split()) > MAX_PIECE_WORDS or not _CYRILLIC_PIECE.match(piece):
                continue
            for word in piece.split():
                if len(word) > 2 and word not in words and _content(word):
                    words.append(word)
    return words[:MAX_TRANSLATIONS]


def _content(word: str) -> bool:
    """A word worth looking for: not a function word, "быть", or an abbreviation ("кого-л")."""
    if word.endswith("-л") or word.startswith("-") or word.endswith("-"):
        return False
    parse = best_parse(word)
    return parse.tag.POS not in _FUNCTION_POS and parse.normal_form != "быть"


def build(text: str) -> dict[str, list[str]]:
    """Every headword with its translations; a form of another word takes that word's."""
    bodies = entries(text)
    table = {head: translations(body) for head, body in bodies.items()}
    for head, body in bodies.items():
        base = _FORM_OF.search(body)
        if base is not None and table.get(base.group(1)) and base.group(1) != head:
            # "said": the senses of "say" first, then its own ("вышеуказанный")
            own = [w for w in table[head] if w not in table[base.group(1)]]
            table[head] = [*table[base.group(1)], *own][:MAX_TRANSLATIONS]
    return {head: words for head, words in table.items() if words}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("source", type=Path, help="mueller7.dict.dz (or the unpacked text)")
    args = parser.parse_args()
    raw = args.source.read_bytes()
    text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8")
    table = build(text)
    lines = "".join(f"{head}\t{' '.join(words)}\n" for head, words in sorted(table.items()))
    OUT.write_bytes(gzip.compress(lines.encode("utf-8"), mtime=0))
    print(f"{len(table)} headwords -> {OUT} ({OUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
