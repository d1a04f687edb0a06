"""The Docker image's build steps, replayed from the Dockerfile itself: no Docker engine runs here.

`pip install .` into a fresh venv with no extras, `python -m embeddings
build` with the image's settings, then `python -m bot ask` once, as the
container would answer. The commands are read from the Dockerfile, so the
two cannot drift apart.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.config import Settings
from tests.conftest import ROOT
from tests.support.dockerfile import Replay, parse, replay

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]

QUESTION = "Где депутаты возложили цветы?"
IMPORT_EVERYTHING = """
import importlib, pkgutil, bot, embeddings
for package in (bot, embeddings):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
"""


@pytest.fixture(scope="module")
def image(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    """The image's build replayed once into a temporary root."""
    settings = {name.upper() for name in Settings.model_fields}
    return replay(ROOT / "Dockerfile", tmp_path_factory.mktemp("image"), blocked_env=settings)


def test_the_replay_ran_the_dockerfiles_install_and_index_build(image: Replay) -> None:
    runs = [i.args for i in parse((ROOT / "Dockerfile").read_text(encoding="utf-8")) if i.keyword == "RUN"]
    assert [command for command, _ in image.steps] == runs
    assert any("pip install ." in run for run in runs)
    build = dict(image.steps)["python -m embeddings build"]
    assert "WARNING" not in build.stderr
    assert "ERROR" not in build.stderr
    assert "building the index, step 1 of" in build.stderr  # a build log: one line per stage


def test_the_image_installs_the_runtime_without_torch(image: Replay) -> None:
    check = image.run(
        "python -c 'import importlib.util as u, sys; sys.exit(u.find_spec(\"torch\") is not None)'", timeout=60
    )
    assert check.returncode == 0, "torch is in the image without EXTRAS"
    imported = image.run(f"python -c '{IMPORT_EVERYTHING}'", timeout=120)
    assert imported.returncode == 0, imported.stderr


def test_the_image_answers_from_the_index_it_was_built_with(image: Replay) -> None:
    index = Path(image.env["INDEX_DIR"])
    built = json.loads((index / "manifest.json").read_text(encoding="utf-8"))
    assert built["counts"]["articles"] >= 1
    done = image.run(f"python -m bot ask --json '{QUESTION}'", timeout=240)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["found"], answer
    assert "Монументу Победы" in answer["answer"]
    # The index baked into the image is fresh for the container: no rebuild on start, nothing alarming.
    assert "building the index" not in done.stderr
    assert " WARNING " not in done.stderr
    assert " ERROR " not in done.stderr
    assert json.loads((index / "manifest.json").read_text(encoding="utf-8"))["built_at"] == built["built_at"]
