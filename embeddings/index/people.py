"""Who said what, kept right by an update: each article's own people stored, the affected articles re-read.

`annotate/speakers.py` attributes speech with what the whole story teaches
of each person (the fullest name, every role any article gives them), so
adding or removing an article can change the speakers of other articles:
those that name a person it names. A build keeps each article's own people
(`learn_people`: names and roles by surname key) in `people.jsonl`, one
line an article; an update merges them as `of_story` does and attributes
again only the articles that share a person with the ones it adds or
removes. The others' speakers cannot have changed and are copied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from embeddings.annotate.people import People, Role, learn_people, of_story
from embeddings.annotate.spans import Span
from embeddings.annotate.speakers import Speaker, attribute_article

PEOPLE_FILE = "people.jsonl"

Bounds = Sequence[tuple[int, int]]  # an article's sentences, (start, end) in its text


def people_of(text: str, bounds: Bounds, annotations: Sequence[Sequence[Span]]) -> People:
    """An article's own people, from its sentences' annotations (offsets relative to each sentence)."""
    spans = [
        replace(x, start=x.start + s, end=x.end + s) for (s, _), xs in zip(bounds, annotations, strict=True) for x in xs
    ]
    return learn_people(text, spans, bounds)


def save_people(folder: Path, people: Sequence[People]) -> None:
    """Write each article's own names and roles, one line an article, in the index's order."""
    lines = []
    for own in people:
        roles = {k: [[r.head, sorted(r.rest), r.text] for r in found] for k, found in own.roles.items()}
        lines.append(json.dumps({"names": own.names, "roles": roles}, ensure_ascii=False) + "\n")
    (folder / PEOPLE_FILE).write_text("".join(lines), encoding="utf-8")


def load_people(folder: Path) -> list[People]:
    """What `save_people` wrote (without the spans, which only attribution needs)."""
    people = []
    for line in (folder / PEOPLE_FILE).read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        roles = {k: [Role(h, frozenset(rest), t) for h, rest, t in found] for k, found in data["roles"].items()}
        people.append(People(dict(data["names"]), roles))
    return people


def attribute_again(
    people: Sequence[People], again: Mapping[int, tuple[str, Bounds, Sequence[Sequence[Span]]]]
) -> dict[int, list[Speaker | None]]:
    """The speakers of the articles at positions `again` (text, sentences, annotations), the story being `people`."""
    story = of_story(list(people))
    said = {}
    for position, (text, bounds, spans) in again.items():
        own = people_of(text, bounds, spans)
        said[position] = attribute_article(text, bounds, replace(story[position], spans=own.spans))
    return said
