"""The two install sets: `make run` gets the runtime alone, `make test` adds the rest without reinstalling."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from tests.conftest import ROOT


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def _rules() -> dict[str, tuple[list[str], list[str]]]:
    """Each Makefile target: its prerequisites and its recipe lines."""
    rules: dict[str, tuple[list[str], list[str]]] = {}
    target = ""
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith("\t") and target:
            rules[target][1].append(line.strip())
        elif (rule := re.match(r"^([^\s:=#.][^:=]*|\$\([A-Z]+\)):(?!=)\s*(.*)$", line)) is not None:
            target = rule.group(1)
            rules[target] = (rule.group(2).split(), [])
    return rules


def test_the_runtime_has_neither_torch_nor_the_test_tools() -> None:
    project = _pyproject()["project"]
    names = {_name(r) for r in project["dependencies"]}
    assert not names & {"torch", "sentence-transformers", "pytest", "mypy", "ruff", "hypothesis"}


def test_the_dev_group_holds_the_sentence_transformers_extra_with_torch_pinned() -> None:
    pyproject = _pyproject()
    extras = pyproject["project"]["optional-dependencies"]
    group = pyproject["dependency-groups"]["dev"]
    assert set(extras["sentence-transformers"]) <= set(group)
    assert "torch==2.13.0" in group
    assert {"pytest", "mypy", "ruff"} <= {_name(r) for r in group}


def test_run_chat_and_index_install_the_runtime_and_test_installs_the_rest() -> None:
    rules = _rules()
    for target in ("run", "chat", "index", "runtime"):
        assert rules[target][0] == ["$(RUNTIME)"], target
    for target in ("test", "lint", "install"):
        assert rules[target][0] == ["$(DEV)"], target
    runtime = [line for line in rules["$(RUNTIME)"][1] if " install " in line]
    assert runtime == ["$(PIP) install --quiet --upgrade pip", "$(PIP) install --quiet -e ."]  # no extras
    dev_prerequisites, dev = rules["$(DEV)"]
    assert dev_prerequisites == ["$(RUNTIME)"]
    installs = [line for line in dev if " install " in line]
    assert installs == ["$(PIP) install --quiet torch==2.13.0", "$(PIP) install --quiet --group dev"]
    # The README's test command is what CI runs.
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip().endswith("make test")
