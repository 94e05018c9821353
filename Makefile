# newsbrief set-up and checks. README.md gives the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(wildcard corpus/samples/*.txt corpus/samples/*.md corpus/samples/*.html)
SAMPLES := $(filter-out corpus/samples/README.md,$(SAMPLES))

.PHONY: install demo test lint clean

install: $(VENV)/.installed

# torch first and pinned: 2.13.0 resolves to the local CPU wheel; anything else pulls CUDA.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

# The main job on the bundled samples: a rich view in the terminal, JSON and Markdown in out/samples/.
demo: install
	$(BIN)/newsbrief brief $(SAMPLES)
	$(BIN)/newsbrief brief $(SAMPLES) --format json --out out/samples/json
	$(BIN)/newsbrief brief $(SAMPLES) --format md --out out/samples/md

lint: install
	$(BIN)/ruff check pipeline tests benchmarks scripts

test: install lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf out .pytest_cache .ruff_cache
