"""What the log says when the index is built on start: the first start, a stale index, a broken one."""

from __future__ import annotations

import json
import logging
import re

import pytest

from embeddings.config import EngineSettings
from embeddings.errors import StaleIndexError
from embeddings.index.brief import BriefParams
from embeddings.index.manifest import article_changes, check_fresh
from embeddings.index.progress import StageLog
from embeddings.pipeline import Pipeline
from tests.support.fakes import FakeEncoder


def _open_logged(settings: EngineSettings, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        Pipeline.open(settings, encoder=FakeEncoder(), progress=StageLog())
    return [r for r in caplog.records if r.name.startswith("embeddings")]


def test_first_start_says_so_once_then_one_line_per_stage_and_nothing_alarming(
    tiny_settings: EngineSettings, caplog: pytest.LogCaptureFixture
) -> None:
    records = _open_logged(tiny_settings, caplog)
    assert [r.levelname for r in records if r.levelno >= logging.WARNING] == []
    messages = [r.getMessage() for r in records]
    first = [m for m in messages if "first start" in m]
    assert len(first) == 1
    assert "the 2 articles in" in first[0]
    assert str(tiny_settings.index_dir) in first[0]
    counts = json.loads((tiny_settings.index_dir / "manifest.json").read_text(encoding="utf-8"))["counts"]
    steps = [m for m in messages if m.startswith("building the index, step")]
    assert steps[:2] == [
        f"building the index, step 1 of 3: encoding {counts['chunks']} passages",
        f"building the index, step 2 of 3: encoding {counts['sentences']} sentences "
        f"of {counts['windows']} evidence windows",
    ]
    assert re.fullmatch(r"building the index, step 3 of 3: encoding \d+ words of the articles", steps[2])
    assert len(steps) == 3
    assert any(m.startswith("index built: 2 articles") for m in messages)
    # A second start loads what the first one built, silently.
    assert _open_logged(tiny_settings, caplog) == []


def test_a_stale_index_names_the_articles_added_changed_and_removed(
    tiny_settings: EngineSettings, caplog: pytest.LogCaptureFixture
) -> None:
    Pipeline.open(tiny_settings, encoder=FakeEncoder(), progress=StageLog())
    seeds = tiny_settings.seeds_dir
    (seeds / "003_new.txt").write_text(" date 2026-03-03 Новость\n\nНовый текст.", encoding="utf-8")
    culture = seeds / "002_culture.md"
    culture.write_text(culture.read_text(encoding="utf-8") + "\nВход свободный.\n", encoding="utf-8")
    (seeds / "001_trade.txt").unlink()
    (seeds / "metadata.toml").unlink()  # it names 001_trade
    records = _open_logged(tiny_settings, caplog)
    assert [r for r in records if r.levelno >= logging.WARNING] == []
    assert records[0].levelno == logging.INFO
    assert records[0].getMessage() == (
        "the index was built with other articles (added: 003_new; changed: 002_culture; removed: 001_trade): "
        f"rebuilding it from the 2 articles in {seeds}"
    )


def test_metadata_alone_changing_marks_its_article_changed(tiny_settings: EngineSettings) -> None:
    Pipeline.open(tiny_settings, encoder=FakeEncoder(), progress=StageLog())
    metadata = tiny_settings.seeds_dir / "metadata.toml"
    metadata.write_text(metadata.read_text(encoding="utf-8").replace("Test Gazette", "Other Gazette"), encoding="utf-8")
    strict = tiny_settings.model_copy(update={"auto_rebuild": False})
    with pytest.raises(StaleIndexError, match=r"other articles \(changed: 001_trade\)"):
        Pipeline.open(strict, encoder=FakeEncoder())


def test_an_index_without_per_article_hashes_is_still_called_stale_for_its_articles() -> None:
    expected = {"format": 5, "encoder": 1, "chunking": 1, "sparse": None, "tokenizer": 1, "corpus_hash": "new"}
    old = {**expected, "corpus_hash": "old", "brief": BriefParams().as_dict()}
    with pytest.raises(StaleIndexError, match=r"^the index was built with other articles$"):
        check_fresh(old, {**expected, "article_hashes": {"a": "1"}})


def test_article_changes_are_listed_up_to_a_few_of_each_kind() -> None:
    before = {f"a{i:02d}": "x" for i in range(10)}
    after = {**{k: "y" for k in before}, "b": "z"}
    assert article_changes(before, after, shown=3) == " (added: b; changed: a00, a01, a02 and 7 more)"
    assert article_changes(before, before) == ""
    assert article_changes(None, after) == ""


def test_a_corrupted_index_is_worth_a_warning(tiny_settings: EngineSettings, caplog: pytest.LogCaptureFixture) -> None:
    Pipeline.open(tiny_settings, encoder=FakeEncoder(), progress=StageLog())
    (tiny_settings.index_dir / "chunks.faiss").write_bytes(b"broken")
    records = _open_logged(tiny_settings, caplog)
    assert [r.levelname for r in records if r.levelno >= logging.WARNING] == ["WARNING"]
