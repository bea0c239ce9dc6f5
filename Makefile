# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/c5brief: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q bot
	touch $@

.PHONY: run test build lint bench
run: $(BIN)/c5brief
	$(BIN)/python -m bot run

build: $(BIN)/c5brief
	$(BIN)/python -m bot build

# Speed and scale: shipped corpus and synthetic ones of 50, 500 and 5,000 articles (~15 min).
bench: $(BIN)/c5brief
	$(BIN)/python -m bot bench

lint: $(BIN)/c5brief
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/ruff format --check bot tests benchmarks
	$(BIN)/mypy

test: $(BIN)/c5brief
	$(BIN)/python -m bot build --check
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest
