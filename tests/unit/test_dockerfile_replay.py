"""The Dockerfile replay itself (tests/support/dockerfile.py), on small Dockerfiles written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.dockerfile import parse, replay


def test_parse_joins_continued_lines_and_drops_comments() -> None:
    text = (
        "# a comment\nFROM python:3.11-slim\n\nRUN if true; then \\\n    echo a; \\\n    # inside\n    fi\nUSER bot\n"
    )
    assert [(i.keyword, i.args, i.line) for i in parse(text)] == [
        ("FROM", "python:3.11-slim", 2),
        ("RUN", "if true; then  echo a;  fi", 4),
        ("USER", "bot", 8),
    ]


def _checkout(tmp_path: Path, dockerfile: str) -> Path:
    checkout = tmp_path / "checkout"
    (checkout / "pkg").mkdir(parents=True)
    (checkout / "pkg" / "mod.py").write_text("X = 1\n", encoding="utf-8")
    (checkout / "a.txt").write_text("a\n", encoding="utf-8")
    (checkout / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    return checkout / "Dockerfile"


def test_replay_maps_the_image_folders_copies_and_runs_with_env_and_arg_defaults(tmp_path: Path) -> None:
    dockerfile = _checkout(
        tmp_path,
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "RUN useradd --uid 10001 bot\n"
        "COPY a.txt ./\n"
        "COPY pkg ./pkg\n"
        'ARG FLAVOUR=""\n'
        "ENV OUT=/app/var/out.txt DATA=/data/x\n"
        "RUN mkdir -p /data /app/var && chown bot:bot /data /app/var\n"
        "USER bot\n"
        'RUN test -z "$FLAVOUR" && python -c "import pkg.mod" && cat a.txt > "$OUT"\n'
        'CMD ["python"]\n',
    )
    root = tmp_path / "root"
    image = replay(dockerfile, root, blocked_env=set(), pip=False)
    assert (root / "app" / "pkg" / "mod.py").is_file()
    assert (root / "app" / "var" / "out.txt").read_text(encoding="utf-8") == "a\n"
    assert (root / "data").is_dir()
    assert image.env["DATA"] == str(root / "data" / "x")
    assert image.steps[0][0] == "useradd --uid 10001 bot"
    assert image.steps[0][1].args[-1] == "true"  # an account is not made here


def test_a_failing_run_names_its_line(tmp_path: Path) -> None:
    dockerfile = _checkout(tmp_path, "FROM python:3.11-slim\nWORKDIR /app\nRUN echo broken >&2 && false\n")
    with pytest.raises(AssertionError, match=r"(?s)Dockerfile:3 RUN .*exit 1.*broken"):
        replay(dockerfile, tmp_path / "root", blocked_env=set(), pip=False)


def test_an_unknown_instruction_is_not_skipped_silently(tmp_path: Path) -> None:
    dockerfile = _checkout(tmp_path, "FROM python:3.11-slim\nADD https://example.org/x /x\n")
    with pytest.raises(AssertionError, match="does not know ADD"):
        replay(dockerfile, tmp_path / "root", blocked_env=set(), pip=False)
