# Two commands do everything on a fresh machine:
#   make serve   build the graph and start the service on http://127.0.0.1:8000/
#   make test    install what the tests need (venv, packages, Chromium) and run them all
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: serve test test-embedded test-remote lint bench install chromium clean

$(BIN)/sse-graph: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/sse-graph

serve: install
	$(BIN)/sse-graph serve --host $(HOST) --port $(PORT)

chromium:
	@{ command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy; } || { \
	  echo "installing Debian chromium and a CJK font for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

lint: install
	$(BIN)/ruff check sse_graph tests bench

test-embedded: install chromium
	$(BIN)/python -m pytest -q --store-mode=embedded

test-remote: install
	$(BIN)/python -m pytest -q --store-mode=remote

test: lint test-embedded test-remote

bench: install
	$(BIN)/python bench/sparql.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
