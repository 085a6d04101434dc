# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= data

.PHONY: run demo test lint bench vectors clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 8470

# The main job: a relay on this machine, SQLite in $(DATA)/relay.
run: $(STAMP)
	@echo "Accord relay on http://$(HOST):$(PORT) (database $(DATA)/relay/relay.sqlite)."
	@echo "Next, in another terminal (see README, 'A first tour'):"
	@echo "  .venv/bin/accord demo --relay http://$(HOST):$(PORT) --out $(DATA)/demo"
	@echo "  or open a conference yourself: .venv/bin/accord --help"
	$(BIN)/accord relay serve --db sqlite:///$(DATA)/relay/relay.sqlite --key $(DATA)/relay/sequencer.key --host $(HOST) --port $(PORT)

demo: $(STAMP)
	$(BIN)/accord demo --out $(DATA)/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	scripts/ensure-postgres.sh
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/verify.py

vectors: $(STAMP)
	$(BIN)/python -m tests.vectors.generate

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
