# Every target people and CI run. `make install` is the only one that needs the network.
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: install run chat test lint eval fit bench bench-scale index clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# torch first and pinned: a CPU wheel; an open range would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[sentence-transformers,dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m bot

chat: install
	$(PY) -m bot chat

index: install
	$(PY) -m embeddings build

test: install
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

eval: install
	$(PY) eval/score.py

fit: install
	$(PY) eval/fit.py

bench: install
	$(PY) bench/bench.py

bench-scale: install
	$(PY) bench/scale.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
