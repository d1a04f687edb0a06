"""Stories written by the tests that need one: two short articles about a bridge, or one article of a test's own."""

from __future__ import annotations

from pathlib import Path

from embeddings.config import EngineSettings
from embeddings.params import Params
from embeddings.pipeline import Pipeline
from tests.support.fakes import FakeEncoder

BRIDGE_ARTICLES = {
    "001_bridge.txt": (
        " date 2026-05-10 В Гродно открыли новый мост через Неман\n\n"
        "Новый мост через Неман в Гродно открыли в субботу после двух лет строительства.\n\n"
        "Мост длиной 420 метров соединил центр города с районом Девятовка.\n\n"
        'На открытии выступил председатель горисполкома. "Мост разгрузит старые улицы, по которым '
        'сегодня идут все машины из новых районов города", — сказал он.\n\n'
        "Строительство обошлось в 95 миллионов рублей. Работы выполнил трест «Мостострой», "
        "который уже строил переправы в Бресте и Витебске.\n\n"
        "По мосту пустят два новых автобусных маршрута. Первый автобус пройдёт по нему в понедельник утром.\n"
    ),
    "002_bridge.md": (
        " date 2026-05-11 Мост через Неман принял первые машины\n\n"
        "В первый день по новому мосту в Гродно проехали около двенадцати тысяч машин.\n\n"
        "Мост длиной 420 метров соединил центр города с районом Девятовка, где живут сорок тысяч человек.\n\n"
        "Вечером на мосту прошёл концерт городского оркестра, послушать его пришли несколько тысяч горожан.\n\n"
        "- Мы ждали этот мост десять лет, теперь дорога на работу займёт у меня вдвое меньше времени, — "
        "рассказала жительница Девятовки.\n\n"
        "Городские власти обещают к осени открыть вдоль Немана новую велодорожку длиной три километра.\n"
    ),
}
BRIDGE_METADATA = """
["001_bridge"]
outlet = "Городские новости"

["002_bridge"]
outlet = "Неман-инфо"
"""
BRIDGE_STORY = """
[name]
ru = "открытие нового моста через Неман в Гродно"
en = "the opening of a new bridge over the Neman in Grodno"
"""


def write_bridge_story(seeds: Path) -> Path:
    """Write the bridge story's two articles, metadata and story file into `seeds` (created)."""
    seeds.mkdir(parents=True, exist_ok=True)
    for name, text in BRIDGE_ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    (seeds / "metadata.toml").write_text(BRIDGE_METADATA, encoding="utf-8")
    (seeds / "story.toml").write_text(BRIDGE_STORY, encoding="utf-8")
    return seeds


def one_article_pipeline(tmp_path: Path, name: str, text: str, params: Params) -> Pipeline:
    """A pipeline over one written article (`name` in `seeds/`), with the fake encoder and `params`."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / name).write_text(text, encoding="utf-8")
    settings = EngineSettings(seeds_dir=seeds, index_dir=tmp_path / "index", _env_file=None)
    return Pipeline.open(settings, encoder=FakeEncoder(), params=params)
