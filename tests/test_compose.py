"""No Docker engine runs here: check that the compose file and the Dockerfile hold together."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT


def test_compose_builds_the_bot_with_the_readme_entry_point() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    bot = compose["services"]["bot"]
    assert bot["build"] == "."
    assert (ROOT / "Dockerfile").is_file()
    assert bot["env_file"] == ".env"
    assert (ROOT / ".env.example").is_file()
    assert bot["restart"] == "unless-stopped"
    assert bot["command"] == ["python", "-m", "bot"]
    assert "python -m bot" in (ROOT / "README.md").read_text()
    for volume in bot.get("volumes", []):
        assert volume.split(":")[0] in compose["volumes"]


def test_dockerfile_copies_what_exists_and_runs_as_a_user() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in dockerfile
    for line in dockerfile.splitlines():
        if line.startswith("COPY "):
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
    assert re.search(r"^USER bot$", dockerfile, re.M)
    assert 'CMD ["python", "-m", "bot"]' in dockerfile
    assert "torch==2.13.0" in dockerfile  # pinned: never a CUDA build
