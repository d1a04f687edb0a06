"""No Docker engine runs here: check that the compose file and the Dockerfile hold together."""

from __future__ import annotations

import re

import yaml

from tests.conftest import ROOT


def test_compose_runs_replicas_sharing_redis_behind_a_proxy_with_health_checks() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"redis", "bot", "proxy"}
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    bot = services["bot"]
    assert "container_name" not in bot
    assert "ports" not in bot
    assert bot["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "/healthz" in " ".join(bot["healthcheck"]["test"])
    assert bot["depends_on"]["redis"]["condition"] == "service_healthy"
    proxy = services["proxy"]
    caddyfile = proxy["volumes"][0].split(":")[0]
    assert (ROOT / caddyfile).is_file()
    config = (ROOT / caddyfile).read_text()
    assert "name bot" in config
    assert "port 8080" in config
    assert "/metrics" not in config.replace("/healthz and /metrics stay", "")  # metrics stay private


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
