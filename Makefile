# Every target people and CI run. The install steps are the only ones that need the network.
#
# Two sets, each installed once and only added to (docs/install.md):
#   runtime  what the bot needs (`pip install -e .`): run, chat, index, eval, fit, bench
#   dev      what the tests need on top (`pip install --group dev`): test, lint
PYTHON ?= python3.11
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
RUNTIME := $(VENV)/.runtime-installed
DEV     := $(VENV)/.dev-installed

.PHONY: install runtime run chat test lint eval fit bench bench-scale index clean

$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# pip >= 25.1 reads dependency groups (`--group`).
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	touch $@

# The group installs without the project, so nothing of the runtime is reinstalled.
$(DEV): $(RUNTIME)
	# torch first and pinned: a CPU wheel; an open range would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet --group dev
	touch $@

runtime: $(RUNTIME)

install: $(DEV)

run: $(RUNTIME)
	$(PY) -m bot

chat: $(RUNTIME)
	$(PY) -m bot chat

index: $(RUNTIME)
	$(PY) -m embeddings build

test: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(DEV)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

eval: $(RUNTIME)
	$(PY) eval/score.py --story eval/stories/tram --tune-story eval/stories/plant \
		--tune-story eval/stories/clinic --tune-story eval/stories/forum --tune-story eval/stories/airport

fit: $(RUNTIME)
	$(PY) eval/fit.py --decision --story eval/stories/plant --story eval/stories/clinic \
		--story eval/stories/forum --story eval/stories/airport

bench: $(RUNTIME)
	$(PY) bench/bench.py

bench-scale: $(RUNTIME)
	$(PY) bench/scale.py
	$(PY) bench/incremental.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
