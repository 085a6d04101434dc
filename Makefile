# The two commands: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= data

.PHONY: run relay demo test check mutation lint bench vectors vendor screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

PORT ?= 8470

# The main job: a relay (SQLite in $(DATA)/relay) and three demo delegations in a demo
# conference, each node serving its web interface; the three addresses are printed.
run: $(STAMP)
	$(BIN)/accord web demo --data $(DATA) --relay-port $(PORT) --port $$(($(PORT) + 1))

# The relay alone, for your own conferences (see README).
relay: $(STAMP)
	$(BIN)/accord relay serve --db sqlite:///$(DATA)/relay/relay.sqlite --key $(DATA)/relay/sequencer.key --port $(PORT)

demo: $(STAMP)
	$(BIN)/accord demo --out $(DATA)/demo

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

test: lint
	scripts/ensure-postgres.sh
	scripts/ensure-chromium.sh
	$(BIN)/pytest -q -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/verify.py

# Refresh the web interface's vendored front-end files from npm (pinned in frontend/).
vendor:
	scripts/vendor-frontend.sh

# Run the browser tests and refresh the README's screenshots from their output.
screenshots: $(STAMP)
	scripts/ensure-chromium.sh
	$(BIN)/pytest -q tests/test_web_ui.py
	$(BIN)/python scripts/publish-screenshots.py

vectors: $(STAMP)
	$(BIN)/python -m tests.vectors.generate

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis mutants

# The quick loop: the fast tests (no relay, node or CLI processes, no database, no browser).
check: $(STAMP)
	$(BIN)/pytest -q -m "not (slow or postgres or browser)"

# Mutation testing of the core against the fast tests (not part of make test; see docs/testing.md).
mutation: $(STAMP)
	$(BIN)/python scripts/mutation.py run
	$(BIN)/python scripts/mutation.py report
