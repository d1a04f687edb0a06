"""Count the hand-written rules of a package: regular expressions and literal word lists.

`python eval/rules.py [PACKAGE]` (default `embeddings`) prints, per file and in
all, the `re.compile` calls and the word lists: an assignment whose value holds
a literal collection of three or more strings (or a string of three or more
words split), counted once however many collections it holds; elsewhere each
such collection counts once. docs/quality.md records the count before and
after each change to the answer layer.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

MIN_WORDS = 3


def _is_word_list(node: ast.AST) -> bool:
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        strings = [e for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
        return len(strings) >= MIN_WORDS and len(strings) == len(node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split":
        text = node.func.value
        return isinstance(text, ast.Constant) and isinstance(text.value, str) and len(text.value.split()) >= MIN_WORDS
    return False


def _is_regex(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "re"
        and node.func.attr == "compile"
    )


def count(source: str) -> tuple[int, int]:
    """The regexes and word lists of one module's source."""
    tree = ast.parse(source)
    regexes = lists = 0
    counted: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            inner = list(ast.walk(node.value))
            found = sum(_is_regex(n) for n in inner)
            regexes += found
            lists += not found and any(_is_word_list(n) for n in inner)
            counted.update(id(n) for n in inner)
    for node in ast.walk(tree):
        if id(node) not in counted:
            regexes += _is_regex(node)
            lists += not _is_regex(node) and _is_word_list(node)
    return regexes, lists


def main() -> None:
    """Print the counts of a package's modules and their sum."""
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "embeddings")
    total_regexes = total_lists = 0
    for path in sorted(root.rglob("*.py")):
        regexes, lists = count(path.read_text(encoding="utf-8"))
        if regexes or lists:
            print(f"{regexes:3d} {lists:3d}  {path}")
        total_regexes, total_lists = total_regexes + regexes, total_lists + lists
    print(f"regexes {total_regexes}, word lists {total_lists}, in all {total_regexes + total_lists}")


if __name__ == "__main__":
    main()
