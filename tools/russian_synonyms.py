"""Make `embeddings/resources/ru-synonyms.tsv.gz` from the Russian thesaurus LibreOffice ships.

The source is Debian's `mythes-ru` package (its licence in
`embeddings/resources/README.md`); it is read here once, never at run time:

    apt-get download mythes-ru && dpkg-deb -x mythes-ru_*.deb mythes
    python tools/russian_synonyms.py mythes/usr/share/mythes/th_ru_RU_v2.dat

The thesaurus lists, under each headword, groups of words marked
"(синоним)", "(сходный термин)", "(антоним)" or "(связанный термин)". Each
line of the result is a headword, a tab, and the one-word synonyms of its
"(синоним)" groups, space-separated, in the thesaurus's order: antonyms and
related terms say something else, and a phrase ("в прежнее время") is no
word to look for. Function words ("до", "вот") are left out: they are no
paraphrase of what a question asks.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings.lexicon import best_parse  # noqa: E402

OUT = ROOT / "embeddings" / "resources" / "ru-synonyms.tsv.gz"
_SYNONYMS = "(синоним)"
_FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "NPRO", "INTJ", "PRED"})


def _is_word(piece: str) -> bool:
    """A single Cyrillic content word (no phrase, no function word)."""
    return (
        bool(piece)
        and all("а" <= c <= "я" or c in "ё-" for c in piece)
        and best_parse(piece).tag.POS not in _FUNCTION_POS
    )


def synonyms(lines: list[str]) -> dict[str, list[str]]:
    """Headword -> its one-word synonyms, from the lines of a MyThes `.dat` file (its encoding line first)."""
    found: dict[str, list[str]] = {}
    head = ""
    for line in lines[1:]:
        fields = line.rstrip("\n").split("|")
        if not line.startswith("("):
            head = fields[0].strip().lower().replace("ё", "е")
            continue
        if fields[0] != _SYNONYMS or not _is_word(head):
            continue
        own = found.setdefault(head, [])
        for piece in fields[1:]:
            word = piece.strip().lower().replace("ё", "е")
            if word != head and word not in own and _is_word(word):
                own.append(word)
    return {head: words for head, words in found.items() if words}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="th_ru_RU_v2.dat of the mythes-ru package")
    args = parser.parse_args()
    lines = args.source.read_text(encoding="utf-8-sig").splitlines()
    found = synonyms(lines)
    with gzip.open(OUT, "wt", encoding="utf-8") as out:
        for head in sorted(found):
            out.write(f"{head}\t{' '.join(found[head])}\n")
    print(f"{len(found)} headwords -> {OUT}")


if __name__ == "__main__":
    main()
