from __future__ import annotations

from pathlib import Path

import pytest

from embeddings.errors import CorpusError
from embeddings.ingest.corpus import load_corpus, load_story
from embeddings.text import document_language, is_cyrillic, is_latin, language_of, script_of, visible
from tests.conftest import SEEDS


def test_project_seeds_carry_citable_metadata() -> None:
    corpus = load_corpus(SEEDS)
    assert not corpus.problems
    articles = corpus.by_id()
    assert set(articles) == {"000_77c5b9cf32a588ca", "004_bc75b8d4eb3f4bce"}
    kazpravda = articles["004_bc75b8d4eb3f4bce"]
    assert kazpravda.outlet == "Kazpravda.kz"
    assert kazpravda.date == "2026-02-06"
    assert kazpravda.url is None  # never invented
    assert articles["000_77c5b9cf32a588ca"].outlet is None
    assert all(a.language == "ru" for a in articles.values())


def test_noise_lines_are_dropped_and_speakers_join_their_quote() -> None:
    article = load_corpus(SEEDS).by_id()["004_bc75b8d4eb3f4bce"]
    paragraphs = [article.text[p.start : p.end] for p in article.paragraphs]
    assert "185" not in paragraphs
    assert not any(p.startswith("Фото") for p in paragraphs)
    assert not any(p.startswith("#") for p in paragraphs)
    speaker = load_corpus(SEEDS).by_id()["000_77c5b9cf32a588ca"]
    joined = [p for p in (speaker.text[s.start : s.end] for s in speaker.paragraphs) if p.startswith("Игорь Сергеенко")]
    assert len(joined) == 1
    assert "Вы всегда были и остаетесь для нас друзьями" in joined[0]


def test_metadata_overrides_header_and_header_fills_the_rest(tiny_seeds: Path) -> None:
    articles = load_corpus(tiny_seeds).by_id()
    trade, culture = articles["001_trade"], articles["002_culture"]
    assert trade.title == "Торговля выросла"
    assert trade.url == "https://example.org/trade?a=1&b=2"
    assert culture.title == "Фестиваль музыки прошёл в столице"
    assert culture.date == "2026-03-02"
    assert culture.outlet is None
    assert culture.url is None
    assert "1234" not in trade.text
    assert "#торговля" not in trade.text
    assert 'Министр торговли Иван Петров: "Мы откроем' in trade.text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("nodate.txt", "Просто текст без даты\n\nЕщё абзац.".encode(), "date YYYY-MM-DD"),
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b" date 2026-01-01 x\x00\x01\x02", "binary"),
        ("latin1.txt", " date 2026-01-01 Привет".encode("cp1251"), "not UTF-8"),
        ("baddate.txt", " date 2026-13-45 Заголовок\n\nТекст.".encode(), "not a date"),
        ("onlyheader.txt", b" date 2026-01-01\n\n185\n", "no text"),
    ],
)
def test_malformed_files_are_reported_by_name_and_the_rest_still_load(
    tiny_seeds: Path, name: str, content: bytes, reason: str
) -> None:
    (tiny_seeds / name).write_bytes(content)
    corpus = load_corpus(tiny_seeds)
    assert {a.id for a in corpus.articles} == {"001_trade", "002_culture"}
    assert len(corpus.problems) == 1
    message = str(corpus.problems[0])
    assert name in message
    assert reason in message


def test_a_new_article_file_is_all_it_takes(tiny_seeds: Path) -> None:
    before = load_corpus(tiny_seeds)
    (tiny_seeds / "003_new.txt").write_text(" date 2026-03-03 Новость\n\nНовый текст статьи.", encoding="utf-8")
    after = load_corpus(tiny_seeds)
    assert len(after.articles) == len(before.articles) + 1
    assert after.fingerprint() != before.fingerprint()


def test_missing_seeds_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="seeds folder not found"):
        load_corpus(tmp_path / "nope")


def test_story_file_gives_name_and_examples() -> None:
    story = load_story(SEEDS)
    assert "Кошанов" in story.name_in("ru")
    assert len(story.examples_in("en")) >= 2
    assert load_story(Path("/nonexistent")).examples_in("ru") == ()


@pytest.mark.parametrize(
    ("text", "lang"),
    [("Привет, как дела?", "ru"), ("Hello there", "en"), ("Қазақстан Республикасы үкіметі", "kk")],
)
def test_the_language_of_an_article_and_of_a_question(text: str, lang: str) -> None:
    assert document_language(text) == lang
    assert language_of(text) == lang


def test_a_russian_article_quoting_a_kazakh_name_stays_russian() -> None:
    article = "Председатель Мажилиса встретился с коллегами. " * 20 + "Мәжіліс"
    assert document_language(article) == "ru"
    assert language_of("Мәжіліс төрағасы кім?") == "kk"


def test_a_format_character_inside_a_word_goes_and_a_control_character_parts_words() -> None:
    assert visible("Кара\u00adганда и\u200b Павлодар\u2066") == "Караганда и Павлодар"
    assert visible("турнир\x07юниоров\x85финал") == "турнир юниоров финал"


def test_letters_of_a_script_beyond_the_basic_alphabet_count_for_it() -> None:
    assert script_of("Kraków, Łódź") == "latin"
    assert is_latin("łódź")
    assert not is_cyrillic("łódź")
    assert is_cyrillic("ԁ")
    assert not is_latin("ԁ")
    assert script_of("12 345 — !") == "none"
