"""Documents and posts become drafts; drafts become article files with metadata, indexed under one lock."""

from __future__ import annotations

import threading
import tomllib
from pathlib import Path

import pytest

from bot.texts import LANGS, text
from embeddings.config import EngineSettings
from embeddings.errors import CorpusError
from embeddings.index.load import load_index
from embeddings.ingest import articles
from embeddings.ingest.corpus import load_corpus
from embeddings.ingest.documents import REASONS, DocumentError, Draft, draft_from_text, read_document
from embeddings.newsroom import Newsroom
from embeddings.pipeline import Pipeline
from tests.conftest import ANSWER_ALL
from tests.support.fakes import FakeEncoder

TODAY = "2026-03-05"
BODY = (
    "Хоккейный турнир юниоров собрал восемь команд из трёх областей. Победила сборная Караганды.\n\n"
    "Финал посмотрели две тысячи зрителей. Следующий турнир пройдёт в Павлодаре весной.\n"
)


def read(name: str, data: bytes, min_chars: int = 50, max_bytes: int = 100_000) -> Draft:
    return read_document(name, data, today=TODAY, min_chars=min_chars, max_bytes=max_bytes)


def test_a_text_file_in_the_articles_form_gives_its_date_and_headline() -> None:
    draft = read("whatever.txt", f" date 2026-03-03 В Караганде прошёл турнир\n\n{BODY}".encode())
    assert (draft.date, draft.title) == ("2026-03-03", "В Караганде прошёл турнир")
    assert draft.text.startswith("В Караганде прошёл турнир\n\nХоккейный турнир")
    assert (draft.outlet, draft.url, draft.language) == (None, None, "ru")


def test_markdown_gives_its_heading_and_plain_text() -> None:
    text = f"# Турнир в **Караганде**\n![фото](x.png)\n{BODY}Подробности [на сайте](https://example.org/x).\n"
    draft = read("note.MD", text.encode("utf-8-sig"))
    assert draft.title == "Турнир в Караганде"
    assert draft.date == TODAY
    assert "на сайте." in draft.text
    assert "example.org" not in draft.text
    assert "фото" not in draft.text


def test_markdown_reference_links_escapes_and_lists_read_as_their_words() -> None:
    text = (
        f"Турнир в Караганде\n\n{BODY}\nПодробности [на сайте][1], призы \\*сюрприз\\*.\n\n"
        "* лучший вратарь — из **Павлодара**;\n* лучший бомбардир — из Караганды.\n\n"
        "[1]: https://example.org/x\n"
    )
    draft = read("note.md", text.encode())
    assert "Подробности на сайте, призы *сюрприз*." in draft.text
    assert "лучший вратарь — из Павлодара;" in draft.text
    for hidden in ("example.org", "[1]", "**"):
        assert hidden not in draft.text


def test_html_is_read_as_text_with_its_head_and_nothing_it_links() -> None:
    page = f"""<!doctype html><html><head><title>Site | Турнир</title>
    <meta property="og:site_name" content="Караганда Таймс"><link rel="canonical" href="https://example.org/hockey">
    <meta property="article:published_time" content="2026-03-02T10:00:00+05:00">
    <script>document.write("Реклама")</script><style>p {{ color: red }}</style></head>
    <body><nav>Главная</nav><h1>Турнир в Караганде</h1><img src="https://tracker.example/pixel.gif">
    <p>{BODY.replace(chr(10) * 2, "</p><p>")}</p><iframe src="https://example.org/ad">Реклама</iframe>
    <script src="https://example.org/x.js"></script></body></html>"""
    draft = read("page.html", page.encode())
    assert draft.title == "Турнир в Караганде"
    assert (draft.date, draft.outlet, draft.url) == ("2026-03-02", "Караганда Таймс", "https://example.org/hockey")
    assert draft.text.startswith("Турнир в Караганде\n\nХоккейный турнир")
    for hidden in ("Реклама", "color", "Главная", "document.write", "pixel"):
        assert hidden not in draft.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.txt", b"", "empty"),
        ("a.txt", b"  \n\t ", "empty"),
        ("a.txt", "Коротко.".encode(), "short"),
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary"),
        ("a.txt", bytes(range(1, 32)) * 20, "binary"),
        ("a.txt", "Текст в другой кодировке, не UTF-8.".encode("cp1251") * 5, "encoding"),
        ("a.txt", BODY.encode() * 2000, "large"),
        ("a.pdf", BODY.encode(), "kind"),
        ("noextension", BODY.encode(), "kind"),
    ],
)
def test_what_is_not_an_article_says_why(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError) as raised:
        read(name, data)
    assert raised.value.reason == reason


def test_every_reason_to_refuse_a_document_is_said_in_every_language() -> None:
    for reason in REASONS:
        for lang in LANGS:
            assert text(f"document_{reason}", lang, min_chars=200, limit=976)


def test_a_post_has_its_first_short_line_as_headline() -> None:
    draft = draft_from_text(
        f"Турнир в Караганде\n\n{BODY}", date=TODAY, min_chars=50, outlet="Канал", url="javascript:x"
    )
    assert (draft.title, draft.outlet, draft.url) == ("Турнир в Караганде", "Канал", None)
    lede = draft_from_text(BODY, date=TODAY, min_chars=50)
    assert lede.title == "Хоккейный турнир юниоров собрал восемь команд из трёх областей."


def test_a_saved_article_is_what_loading_the_folder_reads(tiny_seeds: Path) -> None:
    before = (tiny_seeds / "metadata.toml").read_text(encoding="utf-8")
    draft = Draft('Турнир "в" \\ Караганде\u2028 \x07', "2026-03-03", f"Турнир в Караганде\n\n{BODY}", "К\nТ", None)
    article_id = articles.new_article_id(draft)
    prepared = articles.prepare(tiny_seeds, article_id, draft)
    articles.write(tiny_seeds, article_id, draft)
    loaded = load_corpus(tiny_seeds).by_id()[article_id]
    assert loaded == prepared
    assert loaded.outlet == "К Т"
    metadata = (tiny_seeds / "metadata.toml").read_text(encoding="utf-8")
    assert metadata.startswith(before.rstrip())  # the tables there stay as they were
    assert tomllib.loads(metadata)[article_id]["date"] == "2026-03-03"
    articles.delete(tiny_seeds, article_id)
    assert (tiny_seeds / "metadata.toml").read_text(encoding="utf-8").rstrip() == before.rstrip()
    assert article_id not in load_corpus(tiny_seeds).by_id()


@pytest.mark.parametrize("name", ["../../x", "/etc/x", "..", "a/b", "", "x" * 81, "a.txt", "-x"])
def test_an_id_never_names_a_file_outside_the_folder(tiny_seeds: Path, name: str) -> None:
    with pytest.raises(CorpusError):
        articles.article_path(tiny_seeds, name)


@pytest.fixture
def newsroom(tiny_settings: EngineSettings) -> Newsroom:
    Pipeline.open(tiny_settings, encoder=FakeEncoder())
    return Newsroom(tiny_settings, FakeEncoder())


def hockey(day: str = "2026-03-03", sentence: str = "") -> Draft:
    return Draft("Турнир в Караганде", day, f"Турнир в Караганде\n\n{BODY}{sentence}")


def test_an_added_article_is_answered_about_and_a_removed_one_no_more(newsroom: Newsroom) -> None:
    settings = newsroom.settings
    change = newsroom.add(hockey())
    assert (change.action, change.articles, change.passages) == ("added", 3, 1)
    pipeline = Pipeline.load(settings, encoder=FakeEncoder(), params=ANSWER_ALL)
    assert "Победила сборная Караганды" in pipeline.ask("Кто победил в хоккейном турнире?").evidence[0].text
    assert Pipeline.open(settings, encoder=FakeEncoder()).index.version == pipeline.index.version  # folder = index
    assert newsroom.add(hockey()).action == "replaced"
    removed = newsroom.remove(change.article_id)
    assert (removed.action, removed.title, removed.articles) == ("removed", "Турнир в Караганде", 2)
    assert change.article_id not in load_index(settings.index_dir).articles
    assert change.article_id not in load_corpus(settings.seeds_dir).by_id()
    with pytest.raises(CorpusError, match="no article"):
        newsroom.remove(change.article_id)


def test_an_index_update_that_fails_puts_the_files_back(newsroom: Newsroom) -> None:
    seeds = newsroom.settings.seeds_dir
    files = {p.name: p.read_bytes() for p in seeds.iterdir()}

    def power_cut(texts: list[str]) -> object:
        raise RuntimeError("power cut")

    newsroom.encoder.encode_queries = power_cut  # type: ignore[method-assign]  # the article's new words
    with pytest.raises(RuntimeError, match="power cut"):
        newsroom.add(hockey())
    assert {p.name: p.read_bytes() for p in seeds.iterdir()} == files
    assert len(load_index(newsroom.settings.index_dir).articles) == 2


def test_two_admins_adding_at_once_get_both_articles(newsroom: Newsroom) -> None:
    drafts = [hockey("2026-03-03", " Первый."), hockey("2026-03-04", " Второй.")]
    errors: list[BaseException] = []

    def add(draft: Draft) -> None:
        try:
            Newsroom(newsroom.settings, FakeEncoder()).add(draft)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    ids = {articles.new_article_id(d) for d in drafts}
    assert ids <= set(load_index(newsroom.settings.index_dir).articles)
    assert ids <= set(load_corpus(newsroom.settings.seeds_dir).by_id())
    assert ids <= set(tomllib.loads((newsroom.settings.seeds_dir / "metadata.toml").read_text(encoding="utf-8")))
